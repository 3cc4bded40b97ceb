"""The calling page: my list on the left, the call screen on the right.

It asks the core (through the task runner) for the list and each contact's call view, and
saves results: the save, the next contact's id and its view come back from ONE database task,
so "Save & next" is a single round trip to the worker. It refreshes itself from the `Changes`
use cases publish: the rows a save changed are updated in place, and the list is read again
only when names came, went or changed as a whole (a sync, "Get names", a release, sign-in).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QWidget

from desktop.services.hours import local_time
from desktop.ui.call_screen import CallScreen
from desktop.ui.formatting import disposition_words, format_when
from desktop.ui.my_list import MyListPanel
from desktop.ui.tasks import TaskRunner, plain_message

if TYPE_CHECKING:
    from desktop.services.views import (
        CallDraft,
        CallView,
        Changes,
        MyList,
        Released,
        ResultDraft,
        RetryOutlook,
        SavedResult,
    )
    from desktop.ui.core_api import CoreAPI

log = logging.getLogger("phonebank.ui")
LIST_WIDTH = 340  # px of the list at 1280 wide and up; narrower on a small screen
MIN_LIST_WIDTH = 240
DRAFT_DELAY_MS = 1500


class WorkScreen(QWidget):
    """My list + the call screen, wired to the core."""

    sig_result_saved = Signal(str)
    """A result is durably on disk (its UUID); the outbox will send it."""
    sig_list_changed = Signal(object)
    """The list was (re)loaded: the `MyList` or None."""
    sig_choose_list_requested = Signal()
    """The caller wants the "Choose a state" screen."""
    sig_names_released = Signal(int)
    """Unused names were given back (how many); the hub hears of it at the next sync."""
    sig_call_shown = Signal()
    """The call screen shows a contact, or says why there is none (the list too)."""

    def __init__(self, core: CoreAPI, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workScreen")
        self._core = core
        self._tasks = tasks
        # Replaceable in tests: ask before releasing names.
        self.confirm_release = self._ask_release

        self.list_panel = MyListPanel(self)
        self.list_panel.setFixedWidth(LIST_WIDTH)
        self.call = CallScreen(self)
        self.list_panel.sig_contact_chosen.connect(self.open_contact)
        self.list_panel.sig_release_requested.connect(self.release_unused)
        self.list_panel.sig_choose_list_requested.connect(self.sig_choose_list_requested)
        self.call.sig_save_requested.connect(self.save)
        self.call.sig_more_names_requested.connect(self.sig_choose_list_requested)
        self.call.sig_correct_last_requested.connect(self.correct_last)
        self.call.sig_correction_cancelled.connect(self.open_next)
        self._last_saved: int | None = None  # the contact of the call saved last (F2)
        # The call in progress goes to disk a moment after each change (not on every key:
        # the database thread must be free when Save & next comes).
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._drafts_ready = False  # a draft left by the last run is looked for first
        self._retry_at: datetime | None = None  # list done for now: when to offer retries
        self.call.sig_draft_changed.connect(self._draft_changed)
        # A list read queued and not started yet: [whether to open the next name after it].
        self._waiting_read: list[bool] | None = None
        tasks.sig_changes.connect(self._changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(18)
        layout.addWidget(self.list_panel)
        layout.addWidget(self.call, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The list gives up width first on a small screen: the call needs it more."""
        super().resizeEvent(event)
        width = max(MIN_LIST_WIDTH, min(LIST_WIDTH, event.size().width() * 3 // 10))
        if self.list_panel.width() != width:
            self.list_panel.setFixedWidth(width)

    @property
    def current_list(self) -> MyList | None:
        return self.list_panel.current_list

    def reload(self, *, open_next: bool = False) -> None:
        """Re-read the list (after a sync or a reservation); optionally open the next name.
        Requests made while a read waits to start are folded into it (a long list takes
        a while to read, and a sign-in or a round may ask twice)."""
        waiting = self._waiting_read
        if waiting is not None:  # a read waits to start: it will see the same data
            waiting[0] |= open_next
            return
        cell = [open_next]
        self._waiting_read = cell

        def read() -> MyList | None:
            self._waiting_read = None  # from here on, a new request reads again
            return self._core.my_list()

        self._tasks.run_db(
            read,
            lambda my_list: self._show_list(my_list, cell[0]),
            self._list_failed,
            what="my_list",
        )

    def open_first_of_new_list(self) -> None:
        """A list was just reserved: read the list and open its next name (the read its
        changes ask for folds into this one)."""
        self.reload(open_next=True)

    def _changed(self, changes: Changes, initiator: object) -> None:
        if changes.contacts or changes.reservations or changes.account:
            self.reload()
        elif changes.rows and initiator is not self:
            self.list_panel.update_rows(changes.rows)

    def open_next(self, after_contact_id: int | None = None) -> None:
        def work() -> CallView | None:
            contact_id = self._core.next_contact_id(after_contact_id)
            return None if contact_id is None else self._core.call_view(contact_id)

        self._tasks.run_db(work, self._show_call, self._open_failed, what="open_next")

    def open_contact(self, contact_id: int) -> None:
        """A name chosen in the list: a new call, or, for someone finished with a call on
        this laptop, that call reopened to correct it (not a second call)."""
        if self.call.view is not None and self.call.view.contact_id == contact_id:
            return
        self._tasks.run_db(
            lambda: self._core.call_view(contact_id),
            lambda view: self._show_call(view, correct=view.state in ("done", "dnc")),
            self._open_failed,
            what="call_view",
        )

    def correct_last(self) -> None:
        """Reopen the call saved last to correct it (F2, "Correct it")."""
        contact_id = self._last_saved
        if contact_id is None or self.call.saving:
            return
        self._tasks.run_db(
            lambda: self._core.call_view(contact_id),
            lambda view: self._show_call(view, correct=True),
            self._open_failed,
            what="call_view",
        )

    # ------------------------------------------------------------------ drafts

    def _draft_changed(self) -> None:
        if self._drafts_ready and not self.call.saving:
            self._draft_timer.start()

    def keep_draft(self) -> None:
        """Write the call in progress to disk now (or drop its draft if nothing is entered)."""
        self._draft_timer.stop()
        view = self.call.view
        if view is None or not self._drafts_ready or self.call.saving:
            return
        draft = self.call.current_draft()
        if draft is None:
            contact_id = view.contact_id
            self._tasks.run_db(lambda: self._core.discard_draft(contact_id), what="draft")
        else:
            self._tasks.run_db(lambda: self._core.save_draft(draft), what="draft")

    def discard_draft(self) -> None:
        self._draft_timer.stop()
        view = self.call.view
        if view is not None:
            contact_id = view.contact_id
            self._tasks.run_db(lambda: self._core.discard_draft(contact_id), what="draft")

    def _open_draft_or_next(self, after: int | None) -> None:
        """At start: the call left in progress (closed or crashed mid-call), else the next."""

        def work() -> tuple[CallView | None, CallDraft | None]:
            draft = self._core.saved_draft()
            if draft is not None:
                return self._core.call_view(draft.contact_id), draft
            contact_id = self._core.next_contact_id(after)
            return (None if contact_id is None else self._core.call_view(contact_id)), None

        def show(found: tuple[CallView | None, CallDraft | None]) -> None:
            view, draft = found
            if view is not None and draft is not None:
                self.call.restore(view, draft)
                self.list_panel.select_contact(view.contact_id)
                when = draft.saved_at.astimezone().strftime("%H:%M") if draft.saved_at else ""
                self.call.set_saved_note(
                    self.tr("Reopened the call to %1 left unfinished at %2")
                    .replace("%1", view.name)
                    .replace("%2", when)
                )
                self.sig_call_shown.emit()
            else:
                self._show_call(view)
            self._drafts_ready = True

        def failed(error: BaseException) -> None:
            self._drafts_ready = True
            self._open_failed(error)

        self._tasks.run_db(work, show, failed, what="open_draft")

    def save(self, draft: ResultDraft) -> None:
        self._draft_timer.stop()  # the save clears the draft in its own transaction

        def work() -> tuple[SavedResult, CallView | None, str]:
            saved = self._core.record_result(draft)
            # The result is safe now: trouble showing the next name must not say "not saved".
            # No list reload here: `saved.rows` are the rows this save changed (a full
            # my_list() takes seconds with 100,000 names on the laptop).
            try:
                next_id = self._core.next_contact_id(draft.contact_id)
                view = None if next_id is None else self._core.call_view(next_id)
                return saved, view, ""
            except Exception as exc:
                log.exception("showing the next contact failed")
                return saved, None, plain_message(exc)

        view = self.call.view
        name = view.name if view else ""
        timezone = view.timezone if view else "UTC"
        self._tasks.run_db(
            work,
            lambda outcome: self._saved(outcome, name, draft, timezone),
            self._save_failed,
            what="record_result",
        )

    def release_unused(self) -> None:
        if self.current_list is None or not self.confirm_release(self.list_panel.remaining):
            return
        self._tasks.run_net(
            self._core.release_unused,
            self._released,
            lambda error: self.call.show_error(plain_message(error)),
            what="release_unused",
        )

    def _released(self, released: Released) -> None:
        self.sig_names_released.emit(released.names)  # the list reloads from its changes

    # ------------------------------------------------------------------ internals

    def _show_list(self, my_list: MyList | None, open_next: bool) -> None:
        current = self.call.view.contact_id if self.call.view else None
        self.list_panel.show_list(my_list, current_contact=current)
        self.sig_list_changed.emit(my_list)
        if my_list is None:
            self.call.show_empty(
                self.tr("You have no names right now. Choose a state to get a list."),
                offer_more=True,
            )
        elif not self._drafts_ready:
            self._open_draft_or_next(current)
        elif open_next or self.call.view is None:
            self.open_next(current)
        elif current is not None:
            row = self.list_panel.model.contact(current)
            if row is None:
                self.open_next()  # the shown contact left the list (released...)
            elif row.state == "dnc" and not self.call.saving:
                # The hub says this number is on the do-not-call list: never dial it.
                self.call.set_saved_note(
                    self.tr("%1 is now on the do-not-call list; skipped.").replace("%1", row.name)
                )
                self.open_next(current)
            elif not self.call.saving:
                # A sync may have dropped one of its numbers (on the do-not-call list).
                self._tasks.run_db(
                    lambda: self._core.call_view(current),
                    self.call.refresh_numbers,
                    self._open_failed,
                    what="call_view",
                )

    def _show_call(self, view: CallView | None, *, correct: bool = False) -> None:
        if view is None:
            self.call.show_empty(
                self.tr("You've called everyone on this list. Thank you!"), offer_more=True
            )
            self._tasks.run_db(self._core.retry_outlook, self._show_retries, what="retries")
        else:
            earlier = view.attempts[-1] if correct and view.attempts else None
            self.call.show_view(view, correct=earlier)
            self.list_panel.select_contact(view.contact_id)
        self.sig_call_shown.emit()

    def _show_retries(self, outlook: RetryOutlook | None) -> None:
        """The list is done for now, not for good: say who can be tried again and when,
        and offer them when the time comes (the window's clock ticks every second)."""
        if outlook is None or self.call.view is not None:
            self._retry_at = None
            return
        first = outlook.first_at.astimezone().strftime("%H:%M")
        until = format_when(outlook.hold_until.astimezone(), "%a %H:%M")
        text = self.tr(
            "Everyone has been called for now. %n person(s) who did not answer can be tried "
            "again from %1 (your list is held until %2).",
            "",
            outlook.waiting,
        )
        self.call.show_empty(text.replace("%1", first).replace("%2", until), offer_more=True)
        self._retry_at = outlook.first_at

    def tick(self, now: datetime) -> None:
        """Once a second: when a retry time comes, the next person is offered by itself."""
        if self._retry_at is not None and now >= self._retry_at and self.call.view is None:
            self._retry_at = None
            self.open_next()

    def _list_failed(self, error: BaseException) -> None:
        self.call.show_error(plain_message(error))
        self.sig_call_shown.emit()

    def _open_failed(self, error: BaseException) -> None:
        self.call.show_empty(plain_message(error))
        self.sig_call_shown.emit()

    def _saved(
        self,
        outcome: tuple[SavedResult, CallView | None, str],
        name: str,
        draft: ResultDraft,
        timezone: str,
    ) -> None:
        saved, view, follow_up_error = outcome
        self.call.set_saving(False)
        self.list_panel.update_rows(saved.rows)
        # Every screen hears of it (the status bar's count, the scheduler's push); this
        # one has shown its rows already.
        self._tasks.publish(saved.changes, self)
        if follow_up_error:
            self.call.show_empty(follow_up_error)
            self.reload()
        else:
            self._show_call(view)
        when = datetime.now(UTC).astimezone().strftime("%H:%M")
        word = disposition_words(draft.disposition)
        if draft.call_back_at is not None:
            # The time chosen, on both clocks: not only when it was saved.
            theirs = format_when(local_time(timezone, draft.call_back_at), "%a %d %b %H:%M")
            yours = draft.call_back_at.astimezone().strftime("%H:%M")
            word = (
                self.tr("call back %1 their time (%2 yours)")
                .replace("%1", theirs)
                .replace("%2", yours)
            )
        text = (
            self.tr("✓ Corrected %1 — %2 at %3")
            if draft.supersedes
            else self.tr("✓ Saved %1 — %2 at %3")
        )
        self.call.set_saved_note(text.replace("%1", name).replace("%2", word).replace("%3", when))
        self._last_saved = draft.contact_id
        self.call.set_can_correct(True)
        self.sig_result_saved.emit(str(saved.id))

    def _save_failed(self, error: BaseException) -> None:
        self.call.set_saving(False)
        self.call.show_error(self.tr("Not saved: %1").replace("%1", plain_message(error)))

    def _ask_release(self, remaining: int) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Release unused names"),
            self.tr(
                "Give the %n name(s) you have not called back to the campaign, so other "
                "volunteers can call them? Results you recorded are kept.",
                "",
                remaining,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
