"""How the call ended: one toggle per disposition (each with an Alt+letter mnemonic).

Choosing "Call back" shows a date-time picker for when to call again, on the contact's own
clock (what they asked for), with the volunteer's time beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.services.hours import default_call_back, from_wall_clock, in_calling_hours, local_time
from desktop.ui.formatting import format_when

MAX_COLUMNS = 6
MIN_COLUMNS = 3
BUTTON_WIDTH = 128  # px a button needs for the longest label ("Language barrier")


def disposition_labels(widget: QWidget) -> dict[str, str]:
    """Button text per disposition (`sync.protocol.Disposition` values, kept as plain strings
    so the window does not wait for the protocol module); `&` marks the Alt+letter key."""
    del widget  # kept for callers; the labels' context is the bar's own
    translate = QCoreApplication.translate
    return {
        "contacted": translate("DispositionBar", "&Contacted"),
        "no_answer": translate("DispositionBar", "&No answer"),
        "busy": translate("DispositionBar", "&Busy"),
        "left_message": translate("DispositionBar", "&Left message"),
        "call_back": translate("DispositionBar", "Call bac&k"),
        "refused": translate("DispositionBar", "&Refused"),
        "wrong_number": translate("DispositionBar", "&Wrong number"),
        "disconnected": translate("DispositionBar", "D&isconnected"),
        "language_barrier": translate("DispositionBar", "Lan&guage barrier"),
        "deceased": translate("DispositionBar", "D&eceased"),
        "do_not_call": translate("DispositionBar", "&Do not call"),
    }


def mnemonic_letter(label: str) -> str:
    """The letter after the single `&` in `label` (upper case), or ""."""
    index = label.replace("&&", "").find("&")
    clean = label.replace("&&", "")
    return clean[index + 1].upper() if 0 <= index < len(clean) - 1 else ""


class DispositionBar(QWidget):
    """The disposition row plus the call-back time picker."""

    sig_changed = Signal()
    """A disposition was chosen (or the choice was cleared)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)

        box = QWidget(self)
        box.setObjectName("dispositionButtons")
        box.setAccessibleName("dispositionButtons")
        box.setAccessibleDescription(self.tr("How the call ended (Alt+letter)"))
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        for disposition, label in disposition_labels(self).items():
            button = QPushButton(label, box)
            button.setObjectName(f"disposition_{disposition}")
            button.setAccessibleName(label.replace("&", ""))
            button.setCheckable(True)
            button.setAutoDefault(False)
            letter = mnemonic_letter(label)
            if letter:
                # Our own Alt+letter (the `&` still underlines it): a button's built-in
                # mnemonic clicks only after a 100 ms animation, so a quick Alt+D, Ctrl+Enter
                # would save the previous choice; and some platforms have no mnemonics.
                button.setShortcut(QKeySequence())
                shortcut = QShortcut(QKeySequence(f"Alt+{letter}"), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda b=button: self._choose(b))
                button.setToolTip(self.tr("Alt+%1").replace("%1", letter))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if disposition == "do_not_call":
                button.setProperty("danger", True)
            button.toggled.connect(lambda on, d=disposition: self._toggled(d, on))
            self._group.addButton(button)
            self._buttons[disposition] = button
        self.box = box
        self._grid = grid
        self._columns = 0
        self._arrange(MAX_COLUMNS)

        # The contact's zone and calling hours (set with each contact).
        self._timezone = "UTC"
        self._hours = ("09:00", "21:00")
        self._call_back_row = QWidget(self)
        row_layout = QHBoxLayout(self._call_back_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        when_label = QLabel(self.tr("Call back a&t (their time):"), self._call_back_row)
        self._call_back = QDateTimeEdit(self._call_back_row)
        self._call_back.setObjectName("callBackAt")
        self._call_back.setAccessibleName(self.tr("Call back at, their time"))
        self._call_back.setCalendarPopup(True)
        self._call_back.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        # The editor holds the contact's wall clock as a UTC value: no conversion through
        # the volunteer's zone (whose DST gaps would skip times the contact can have).
        self._call_back.setTimeZone(QTimeZone.utc())
        self._call_back.dateTimeChanged.connect(self._show_your_time)
        self._your_time = QLabel(self._call_back_row)
        self._your_time.setObjectName("callBackYourTime")
        self._your_time.setWordWrap(True)
        when_label.setBuddy(self._call_back)
        row_layout.addWidget(when_label)
        row_layout.addWidget(self._call_back)
        row_layout.addWidget(self._your_time, 1)
        self._call_back_row.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(box)
        layout.addWidget(self._call_back_row)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Six buttons a row when there is room, fewer (more rows) in a narrow window."""
        super().resizeEvent(event)
        spacing = self._grid.horizontalSpacing()
        fits = (event.size().width() + spacing) // (BUTTON_WIDTH + spacing)
        self._arrange(max(MIN_COLUMNS, min(MAX_COLUMNS, fits)))

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self._buttons.values()):
            row, column = divmod(index, columns)
            self._grid.addWidget(button, row, column)

    def buttons(self) -> dict[str, QPushButton]:
        return dict(self._buttons)

    def selected(self) -> str | None:
        return next((d for d, b in self._buttons.items() if b.isChecked()), None)

    def select(self, disposition: str) -> None:
        self._buttons[disposition].setChecked(True)

    def set_contact(self, timezone: str, calling_hours: tuple[str, str]) -> None:
        """Whose call-back is picked: their zone and calling hours."""
        self._timezone = timezone
        self._hours = calling_hours

    def call_back_at(self) -> datetime | None:
        """The chosen call-back time (aware, UTC) when "Call back" is selected."""
        if self.selected() != "call_back":
            return None
        return self._chosen()

    def _chosen(self) -> datetime:
        shown = self._call_back.dateTime()
        date, clock = shown.date(), shown.time()
        wall = datetime(date.year(), date.month(), date.day(), clock.hour(), clock.minute())
        return from_wall_clock(self._timezone, wall)

    def set_call_back_at(self, when: datetime) -> None:
        wall = local_time(self._timezone, when)
        self._call_back.setDateTime(
            QDateTime(
                QDate(wall.year, wall.month, wall.day),
                QTime(wall.hour, wall.minute),
                QTimeZone.utc(),
            )
        )
        self._show_your_time()

    def call_back_editor(self) -> QDateTimeEdit:
        return self._call_back

    def _show_your_time(self) -> None:
        when = self._chosen()
        yours = format_when(when.astimezone(), "%a %d %b %H:%M")
        text = self.tr("= %1 your time").replace("%1", yours)
        if not in_calling_hours(self._timezone, *self._hours, when):
            text += self.tr(" · outside their calling hours (%1–%2)")
            text = text.replace("%1", self._hours[0]).replace("%2", self._hours[1])
        self._your_time.setText(text)

    def clear(self) -> None:
        self._group.setExclusive(False)
        for button in self._buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)
        self._call_back_row.hide()

    def first_button(self) -> QPushButton:
        """The chosen disposition's button, else the first one (where to start choosing)."""
        chosen = self.selected()
        return self._buttons[chosen] if chosen else self._buttons["contacted"]

    def focus_first(self) -> None:
        chosen = self.selected()
        target = self._buttons[chosen] if chosen else self._buttons["contacted"]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose(self, button: QPushButton) -> None:
        if self.isVisible() and button.isEnabled():
            button.click()
            if not self._call_back_row.isVisible():
                button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _toggled(self, disposition: str, on: bool) -> None:
        if disposition == "call_back":
            self._call_back_row.setVisible(on)
            if on:
                start, end = self._hours
                now = datetime.now(UTC)
                self.set_call_back_at(default_call_back(self._timezone, start, end, now))
                self._call_back.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_changed.emit()
