"""Widgets whose size does not follow their text, so Save & next does not re-run the layout of
the whole window (bench/notes.md, save_next).

Qt propagates a size change up through every layout to the main window unless a widget's
minimum and maximum sizes are equal; a label fixed to its slot's size stops it there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class LabelSlot(QWidget):
    """Holds `label` at exactly the slot's size: the label's new text is painted, never laid
    out again. The slot itself takes what room its layout gives it (one line or two, wrapped,
    at the bar's height)."""

    def __init__(self, label: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.label.setFixedSize(event.size())
        super().resizeEvent(event)


class TallestSoFar(QWidget):
    """A scroll area's content whose height, at a given width, never shrinks: once the content
    is taller than the viewport, its height follows each contact's content, and each change
    moves and repaints everything below it. Pinned to the tallest seen at that width, the
    bottom of the page stays put between contacts (the extra room goes to a stretching child).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._tallest: dict[int, int] = {}  # width -> height (with and without a scroll bar)

    def heightForWidth(self, width: int) -> int:
        height = max(super().heightForWidth(width), self._tallest.get(width, 0))
        if len(self._tallest) > 64:  # a window resized many times: forget the old widths
            self._tallest.clear()
        self._tallest[width] = height
        return height
