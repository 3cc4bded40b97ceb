"""Widgets whose size does not follow their text, so Save & next does not re-run the layout of
the whole window (bench/notes.md, save_next).

Qt propagates a size change up through every layout to the main window unless a widget's
minimum and maximum sizes are equal; a label fixed to its slot's size stops it there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """One line, cut with "…" where it does not fit (the whole text in its tooltip): held in a
    `LabelSlot`, its text can never ask for more room."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), shown,
            self.foregroundRole(),
        )  # fmt: skip


class LabelSlot(QWidget):
    """Holds `label` at exactly the slot's size: the label's new text is painted, never laid
    out again. The slot itself takes what room its layout gives it."""

    def __init__(self, label: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.label.setFixedSize(event.size())
        super().resizeEvent(event)


class WrappedSlot(QWidget):
    """Holds a word-wrapped `label` at exactly the slot's size; the slot is as tall as the
    label's text needs at its width. A new text that fits is painted, never laid out again
    (My list's "N of M names left" changes with every save, and each change went up to the
    main window's layout); one that needs another line asks for it."""

    def __init__(self, label: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        label.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # what hasHeightForWidth() answers: no layout inside
        self.setSizePolicy(policy)

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        if self.label.heightForWidth(self.width()) > self.height():
            self.updateGeometry()

    def heightForWidth(self, width: int) -> int:
        return self.label.heightForWidth(width)

    def sizeHint(self) -> QSize:
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.label.fontMetrics().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.label.setFixedSize(event.size())
        super().resizeEvent(event)


class TallestSoFar(QWidget):
    """A scroll area's content whose height never shrinks while the window keeps its size:
    once the content is taller than the viewport, its height follows each contact's content,
    and each change moves and repaints everything below it (the dispositions, the scroll
    bar). Held at the tallest seen (a minimum height), the bottom of the page stays put
    between contacts and the extra room goes to a stretching child. A new viewport size (the
    window resized) starts again."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._viewport = QSize()  # the viewport size the minimum height was found at

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        viewport = self.parentWidget()
        seen = viewport.size() if viewport is not None else QSize()
        if seen != self._viewport:
            self._viewport = seen
            if self.minimumHeight():
                self.setMinimumHeight(0)
        elif event.size().height() > self.minimumHeight():
            self.setMinimumHeight(event.size().height())


class HoldTallest(QObject):
    """Keeps `widget` at least as tall as it has been at its present width. The contact card
    is one line shorter for a contact without the household line; each time it shrank or
    grew, everything under it in the call page (the intro, the question, its answer
    buttons) was laid out and painted again. Held, the spare line is room at the card's
    bottom. A new width (the window resized) starts again."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._width = -1
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            size = event.size()  # type: ignore[attr-defined]
            if size.width() != self._width:
                self._width = size.width()
                # Its own height at this width (not the old width's hold): the start.
                natural = watched.heightForWidth(size.width())
                watched.setMinimumHeight(natural if natural >= 0 else watched.sizeHint().height())
            elif size.height() > watched.minimumHeight():
                watched.setMinimumHeight(size.height())
        return False
