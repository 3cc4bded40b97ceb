"""Words and numbers the screens show, and the disposition row matching the protocol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.disposition_bar import disposition_labels, mnemonic_letter
from desktop.ui.formatting import disposition_words, format_countdown, format_phone, state_label
from sync.protocol import Disposition


def test_phone_numbers_read_the_north_american_way() -> None:
    assert format_phone("+16145550123") == "(614) 555-0123"
    assert format_phone("+442071838750") == "+442071838750"


def test_countdowns() -> None:
    now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    assert format_countdown(now + timedelta(minutes=7, seconds=5), now) == "7:05"
    assert format_countdown(now + timedelta(hours=23, seconds=59), now) == "23:00:59"
    assert format_countdown(now - timedelta(seconds=1), now) == "0:00"


def test_every_disposition_has_a_button_a_distinct_key_and_words(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    labels = disposition_labels(widget)
    assert set(labels) == {d.value for d in Disposition}
    letters = [mnemonic_letter(label) for label in labels.values()]
    assert all(letters) and len(set(letters)) == len(letters)
    assert all(disposition_words(d.value) != d.value or "_" not in d.value for d in Disposition)
    assert state_label("dnc") == "Do not call"
