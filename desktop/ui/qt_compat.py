"""Work-arounds for bugs in the Qt binding, each detected at run time (not by version).

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without taking a reference to it, so
every emit from Python drops one reference to `True`; on Python 3.11 (where `True` is not
immortal) a long session ends in "Fatal Python error: bool_dealloc". `emit()` below gives the
reference back when the binding in use has the bug, and is a plain emit otherwise.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBES = 64


class _Probe(QObject):
    sig_probe = Signal()
    """Emitted only to measure the binding."""


def _emit_drops_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.sig_probe.emit()
    dropped = before - sys.getrefcount(True)
    if dropped >= _PROBES // 2:
        for _ in range(dropped):  # give back what the probe itself took
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
        return True
    return False


EMIT_DROPS_TRUE = _emit_drops_true()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, safe from the reference bug above."""
    signal.emit(*args)
    if EMIT_DROPS_TRUE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
