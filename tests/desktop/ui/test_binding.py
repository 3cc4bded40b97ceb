"""The Qt binding itself: PySide6 6.12.0 returns None and True from many calls without
taking a reference (QFont.setWeight, QPainter.save, Signal.emit...). On Python 3.11, where
None and True are not immortal, a long session then dies with "Fatal Python error:
none_dealloc". pyproject.toml keeps that version out; this test keeps it out."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QImage, QPainter
from pytestqt.qtbot import QtBot

CALLS = 200


class _Emitter(QObject):
    sig_ping = Signal(int)
    """Emitted by the test only."""


def dropped(obj: object, call: object) -> int:
    before = sys.getrefcount(obj)
    for _ in range(CALLS):
        call()  # type: ignore[operator]
    return before - sys.getrefcount(obj)


def test_the_binding_keeps_its_references_to_none_and_true(qtbot: QtBot) -> None:
    font = QFont()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    emitter = _Emitter()
    try:
        assert dropped(None, lambda: font.setWeight(QFont.Weight.DemiBold)) < CALLS // 2
        assert dropped(None, lambda: (painter.save(), painter.restore())) < CALLS // 2
        assert dropped(True, lambda: emitter.sig_ping.emit(1)) < CALLS // 2
    finally:
        painter.end()
