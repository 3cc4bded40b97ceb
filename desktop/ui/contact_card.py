"""The contact card: who to call, their household, local time, earlier calls, the number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.hours import in_calling_hours, local_time
from desktop.ui.formatting import disposition_words, format_phone, format_when, state_label

if TYPE_CHECKING:
    from desktop.services.views import CallView


STACK_BELOW = 600  # px of card width under which the number goes below the name


def open_tel_url(phone: str) -> bool:
    """Hand the number to the desktop's phone handler (softphone, phone link...)."""
    return QDesktopServices.openUrl(QUrl(f"tel:{phone}"))


class ContactCard(QFrame):
    """Shows one `CallView`'s contact; Call (with a calling-hours check) and Copy."""

    sig_dialed = Signal(str)
    """The number was handed to the desktop's phone handler."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactCard")
        self._view: CallView | None = None
        # Replaceable in tests: ask before dialing outside calling hours; open tel: URLs.
        self.confirm_outside_hours: Callable[[str], bool] = self._ask_outside_hours
        self.dialer: Callable[[str], bool] = open_tel_url
        # Replaceable in tests: the contact's local time is re-read from it on every tick
        # and at the moment of dialing (a card left open can cross the end of the hours).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._shown_hours: tuple[str, bool] | None = None

        self._name = QLabel(self)
        self._name.setObjectName("contactName")
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._household = QLabel(self)
        self._household.setObjectName("household")
        self._household.setWordWrap(True)
        self._extra = QLabel(self)
        self._extra.setObjectName("extraFields")
        self._extra.setWordWrap(True)
        self._local_time = QLabel(self)
        self._local_time.setObjectName("localTime")
        self._local_time.setWordWrap(True)
        self._attempts = QLabel(self)
        self._attempts.setObjectName("priorAttempts")
        self._attempts.setWordWrap(True)

        self._phone = QLabel(self)
        self._phone.setObjectName("phoneNumber")
        self._phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._phone.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # "Number 1 of 2 · cell": which of the person's numbers this is (after a wrong
        # number the next one is shown).
        self._number_of = QLabel(self)
        self._number_of.setObjectName("numberPosition")
        self._number_of.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._dial = QPushButton(self.tr("Call"), self)
        self._dial.setObjectName("dialButton")
        self._dial.setAccessibleName("dialButton")
        self._dial.setProperty("primary", True)
        self._dial.setToolTip(self.tr("Call with your phone app (Ctrl+D)"))
        self._dial.setAutoDefault(False)
        self._dial.clicked.connect(self.dial)
        self._copy = QPushButton(self.tr("Copy"), self)
        self._copy.setObjectName("copyNumber")
        self._copy.setToolTip(self.tr("Copy the number (Ctrl+Shift+C)"))
        self._copy.setAutoDefault(False)
        self._copy.clicked.connect(self.copy_number)
        self._copied = QLabel(self)
        self._copied.setObjectName("hint")
        QWidget.setTabOrder(self._copy, self._dial)  # reading order: Copy sits left of Call

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self._name)
        left.addWidget(self._household)
        left.addWidget(self._extra)
        left.addSpacing(4)
        left.addWidget(self._local_time)
        left.addWidget(self._attempts)
        left.addStretch(1)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        buttons.addWidget(self._copied)
        buttons.addWidget(self._copy)
        buttons.addWidget(self._dial)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self._phone)
        right.addWidget(self._number_of)
        right.addLayout(buttons)

        layout = self._grid = QGridLayout(self)
        layout.setContentsMargins(22, 16, 22, 16)
        layout.setHorizontalSpacing(24)
        layout.setVerticalSpacing(10)
        layout.addLayout(left, 0, 0)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 0)
        self._right = right
        self._stacked: bool | None = None
        self._place_number(stacked=False)

    def _place_number(self, *, stacked: bool) -> None:
        """The number beside the name, or under it when the card is narrow (800x600): the
        number and Call must never be cut off."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        self._grid.removeItem(self._right)
        if stacked:
            self._grid.addLayout(self._right, 1, 0)
        else:
            self._grid.addLayout(self._right, 0, 1, Qt.AlignmentFlag.AlignTop)
        # Stacked: the number and its buttons on one row, to keep the card short.
        self._right.setDirection(
            QBoxLayout.Direction.LeftToRight if stacked else QBoxLayout.Direction.TopToBottom
        )
        self._phone.setAlignment(
            (Qt.AlignmentFlag.AlignLeft if stacked else Qt.AlignmentFlag.AlignRight)
            | Qt.AlignmentFlag.AlignVCenter
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_number(stacked=event.size().width() < STACK_BELOW)

    def show_view(self, view: CallView) -> None:
        self._view = view
        self._name.setText(view.name)
        if view.household:
            members = ", ".join(
                f"{m.name} ({state_label(m.state).lower()})" for m in view.household
            )
            self._household.setText(self.tr("Same household: %1").replace("%1", members))
            self._household.show()
        else:
            self._household.hide()
        extra = "   ·   ".join(f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in view.extra)
        self._extra.setText(extra)
        self._extra.setVisible(bool(extra))
        self._shown_hours = None
        self._show_hours(view, self.clock())
        self._attempts.setText(self._attempts_text(view))
        phone = format_phone(view.phone)
        if view.extension:
            phone = self.tr("%1 ext. %2").replace("%1", phone).replace("%2", view.extension)
        self._phone.setText(phone)
        position = ""
        if view.numbers > 1:
            position = (
                self.tr("Number %1 of %2")
                .replace("%1", str(view.number))
                .replace("%2", str(view.numbers))
            )
        kind = {"cell": self.tr("cell"), "home": self.tr("home"), "work": self.tr("work")}.get(
            view.phone_kind, ""
        )
        self._number_of.setText("  ·  ".join(t for t in (position, kind) if t))
        self._number_of.setVisible(bool(position or kind))
        self._copied.setText("")

    def tick(self) -> None:
        """Keep the contact's local time and the calling-hours warning current."""
        if self._view is not None:
            self._show_hours(self._view, self.clock())

    def calling_time(self, view: CallView, now: datetime) -> tuple[str, bool]:
        """The contact's local time ("14:05 Tue") at `now`, and whether it is in the hours."""
        local = local_time(view.timezone, now)
        start, end = view.calling_hours
        return format_when(local, "%H:%M %a"), in_calling_hours(view.timezone, start, end, now)

    def _show_hours(self, view: CallView, now: datetime) -> None:
        hours = self.calling_time(view, now)
        if hours == self._shown_hours:
            return
        self._shown_hours = hours
        local, within = hours
        start, end = view.calling_hours
        if within:
            text = self.tr("Their local time: %1 — within calling hours (%2–%3)")
        else:
            text = self.tr("Their local time: %1 — OUTSIDE calling hours (%2–%3)")
        self._local_time.setText(text.replace("%1", local).replace("%2", start).replace("%3", end))
        self._dial.setToolTip(
            self.tr("Call with your phone app (Ctrl+D)")
            if within
            else self.tr("Outside their calling hours: you'll be asked first (Ctrl+D)")
        )
        for widget in (self._local_time, self._dial):
            # Restyled only when the warning changes (polishing costs ~1 ms a widget, and
            # most contacts in a row are within the hours like the one before).
            if widget.property("warning") != (not within):
                widget.setProperty("warning", not within)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def _attempts_text(self, view: CallView) -> str:
        count = view.hub_attempts + len(view.attempts)
        if count == 0:
            return self.tr("First call to this person.")
        text = self.tr("Earlier calls: %1").replace("%1", str(count))
        if view.attempts:
            last = view.attempts[-1]
            when = format_when(last.at.astimezone(), "%d %b %H:%M")
            word = disposition_words(last.disposition)
            text += self.tr(" — last %1 (%2)").replace("%1", when).replace("%2", word)
        return text

    def dial(self) -> None:
        view = self._view
        if view is None:
            return
        local, within = self.calling_time(view, self.clock())  # now, not when it opened
        if not within:
            start, end = view.calling_hours
            question = (
                self.tr("It is %1 for %2, outside the calling hours (%3–%4).\n\nCall anyway?")
                .replace("%1", local)
                .replace("%2", view.first_name or view.name)
                .replace("%3", start)
                .replace("%4", end)
            )
            if not self.confirm_outside_hours(question):
                return
        # RFC 3966: the extension rides along for phone apps that dial it after connecting
        url_number = f"{view.phone};ext={view.extension}" if view.extension else view.phone
        if self.dialer(url_number):
            self.sig_dialed.emit(view.phone)
        else:
            self._copied.setText(self.tr("No phone app found — number copied"))
            QGuiApplication.clipboard().setText(view.phone)

    def copy_number(self) -> None:
        if self._view is None:
            return
        QGuiApplication.clipboard().setText(self._view.phone)
        self._copied.setText(self.tr("Copied"))

    def _ask_outside_hours(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Outside calling hours"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
