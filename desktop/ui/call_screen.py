"""The call screen (SPEC §5): contact card, intro, the script walker, how the call ended,
notes, Save & next (Ctrl+Enter). The whole call works from the keyboard.

This is a view: it collects a `ResultDraft` and emits `sig_save_requested`; the work screen
saves it through the core and shows the next contact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.accessibility import announce
from desktop.ui.contact_card import ContactCard
from desktop.ui.disposition_bar import DispositionBar
from desktop.ui.formatting import disposition_words, format_phone, format_when
from desktop.ui.heard_language import HeardLanguagePicker
from desktop.ui.script_language import ScriptLanguageSwitch
from desktop.ui.script_panel import ScriptPanel
from desktop.ui.steady_layout import ElidedLabel, HoldTallest, LabelSlot, TallestSoFar

if TYPE_CHECKING:
    from desktop.services.views import Attempt, CallDraft, CallView, ResultDraft


SAVE_WIDTH = 220  # px: a big target, but not the whole width of a wide window
SLOW_SAVE_MS = 150  # Save & next is greyed only for a save that takes longer than this


class CallScreen(QWidget):
    """One contact's call, from the card to Save & next."""

    sig_save_requested = Signal(object)
    """The caller pressed Save & next: a complete `ResultDraft`."""
    sig_more_names_requested = Signal()
    """The list is finished and the caller wants another one."""
    sig_correction_cancelled = Signal(int)
    """The caller gave up correcting this contact's call (its id)."""
    sig_correct_last_requested = Signal()
    """The caller wants to correct the call saved last (F2)."""
    sig_draft_changed = Signal()
    """Something of the call in progress was entered or changed (keep the draft)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callScreen")
        self._view: CallView | None = None
        self._correcting: Attempt | None = None
        self._started_at: datetime | None = None
        self._saving = False
        # A save takes a few ms: greying Save & next and restoring it each time repainted the
        # bar twice per save. It is greyed only when a save is slow (queued behind a sync).
        self._slow_save = QTimer(self)
        self._slow_save.setSingleShot(True)
        self._slow_save.setInterval(SLOW_SAVE_MS)
        # Replaceable in tests: confirm a do-not-call that reaches the whole household.
        self.confirm_do_not_call: Callable[[str], bool] = self._ask_do_not_call

        self._pages = QStackedWidget(self)
        self._empty = self._build_empty_page()
        self._call = self._build_call_page()
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._call)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self.script.sig_answers_changed.connect(self.sig_draft_changed)
        self.dispositions.sig_changed.connect(self.sig_draft_changed)
        self.dispositions.call_back_editor().dateTimeChanged.connect(self.sig_draft_changed)
        self.notes.textChanged.connect(self.sig_draft_changed)
        self.heard.sig_changed.connect(self.sig_draft_changed)
        self.script.install_shortcuts(self._call)
        self.language.install_shortcut(self._call)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self._call)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        dial = QShortcut(QKeySequence("Ctrl+D"), self._call)
        dial.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dial.activated.connect(self.card.dial)
        copy = QShortcut(QKeySequence("Ctrl+Shift+C"), self._call)
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.activated.connect(self.card.copy_number)
        correct = QShortcut(QKeySequence("F2"), self)
        correct.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        correct.activated.connect(self.sig_correct_last_requested)
        cancel = QShortcut(QKeySequence("Escape"), self._call)
        cancel.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.activated.connect(self.cancel_correction)
        self.show_empty(self.tr("Choose a name on the left to start calling."))

    # ------------------------------------------------------------------ building

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        self._empty_text = QLabel(page)
        self._empty_text.setObjectName("emptyText")
        self._empty_text.setWordWrap(True)
        self._empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._more = QPushButton(self.tr("Get more names"), page)
        self._more.setObjectName("moreNames")
        self._more.setProperty("primary", True)
        self._more.setAutoDefault(True)  # Return presses it when it has the focus
        self._more.clicked.connect(self.sig_more_names_requested)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self._empty_text)
        layout.addSpacing(16)
        layout.addWidget(self._more, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_call_page(self) -> QWidget:
        page = QWidget(self)
        self.card = ContactCard(page)
        HoldTallest(self.card)  # the household line comes and goes: the page stays put

        script_box = QFrame(page)
        script_box.setObjectName("scriptCard")
        self._intro = QLabel(script_box)
        self._intro.setObjectName("intro")
        self._intro.setWordWrap(True)
        self._intro.setTextFormat(Qt.TextFormat.PlainText)
        # Made before the script panel: in the tab order (the reading order) it comes
        # before the question, as it sits beside the intro.
        self.language = ScriptLanguageSwitch(script_box)
        self.language.sig_language_changed.connect(self._read_in)
        self.script = ScriptPanel(script_box)
        self.script.sig_answers_changed.connect(self._answers_changed)
        self.script.sig_finished.connect(self._script_finished)
        intro_row = QHBoxLayout()
        intro_row.addWidget(self._intro, 1)
        intro_row.addWidget(self.language, 0, Qt.AlignmentFlag.AlignTop)
        script_layout = QVBoxLayout(script_box)
        script_layout.setContentsMargins(24, 18, 24, 18)
        script_layout.setSpacing(14)
        script_layout.addLayout(intro_row)
        script_layout.addWidget(self.script)

        end_box = QFrame(page)
        end_box.setObjectName("endCard")
        heading = QLabel(self.tr("How did the call end?"), end_box)
        heading.setObjectName("sectionTitle")
        self.dispositions = DispositionBar(end_box)
        self.dispositions.sig_changed.connect(self._clear_error)
        self.heard = HeardLanguagePicker(end_box)
        self.dispositions.sig_changed.connect(self._ask_language_heard)
        self.notes = QPlainTextEdit(end_box)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("notes")
        self.notes.setAccessibleDescription(self.tr("Notes for the campaign (optional)"))
        self.notes.setPlaceholderText(self.tr("Notes for the campaign (optional)"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(52)
        end_layout = QVBoxLayout(end_box)
        end_layout.setContentsMargins(22, 12, 22, 12)
        end_layout.setSpacing(8)
        end_layout.addWidget(heading)
        end_layout.addWidget(self.dispositions)
        end_layout.addWidget(self.heard)
        end_layout.addWidget(self.notes)

        inner = TallestSoFar(page)
        inner.setObjectName("callInner")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(10)
        layout.addWidget(self.card)
        layout.addWidget(script_box, 1)
        layout.addWidget(end_box)
        scroll = self._scroll = QScrollArea(page)
        scroll.setObjectName("callScroll")
        scroll.setFocusPolicy(
            Qt.FocusPolicy.NoFocus
        )  # no Tab stop of its own: it follows the focus
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)

        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(6)
        page_layout.addWidget(self._build_correction_notice(page))
        page_layout.addWidget(scroll, 1)
        page_layout.addWidget(self._build_save_bar(page))

        # Tight enough that a call fits at 1280x800 without scrolling: once the page scrolls,
        # its height follows each contact's content, and every Save & next moves and repaints
        # the dispositions and the scroll bar (~2 ms of the GUI thread; bench/notes.md).
        # Focus order: answers, Back, the dispositions, notes, Save & next, Call, Copy.
        QWidget.setTabOrder(self.notes, self.save_button)
        # A widget reached by Tab inside the scroll area is scrolled into view.
        QApplication.instance().focusChanged.connect(self._scroll_to_focus)  # type: ignore[union-attr]
        return page

    def _build_correction_notice(self, page: QWidget) -> QWidget:
        """Above the call while correcting: which call is being replaced, and a way out."""
        box = self._correction_box = QFrame(page)
        box.setObjectName("correctionBox")
        self._correction_text = QLabel(box)
        self._correction_text.setObjectName("correctionNotice")
        self._correction_text.setWordWrap(True)
        cancel = QPushButton(self.tr("Cancel correction (Esc)"), box)
        cancel.setObjectName("cancelCorrection")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.cancel_correction)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(14, 8, 8, 8)
        layout.addWidget(self._correction_text, 1)
        layout.addWidget(cancel)
        box.hide()
        return box

    def _build_save_bar(self, page: QWidget) -> QWidget:
        """Save & next outside the scroll area, so it is on screen at any window size, with
        what happened to the last press beside it: "saved", or what is missing."""
        bar = QFrame(page)
        bar.setObjectName("saveBar")
        self._saved = ElidedLabel(bar)
        self._saved.setObjectName("savedNote")
        # Its new text each save is painted, never laid out again up to the window.
        self._saved_slot = LabelSlot(self._saved, bar)
        self._error = QLabel(bar)
        self._error.setObjectName("inlineError")
        self._error.setWordWrap(True)
        self._error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Focusable, so the focus can move to the message (a screen reader reads it out).
        self._error.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._error.hide()
        self.save_button = QPushButton(self.tr("Save && next"), bar)
        self.save_button.setObjectName("saveNext")
        self.save_button.setAccessibleName("saveNext")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(self.tr("Save this call and show the next name (Ctrl+Enter)"))
        self.save_button.setAutoDefault(False)
        self.save_button.setMinimumWidth(SAVE_WIDTH)
        self.save_button.clicked.connect(self.save)
        self._slow_save.timeout.connect(lambda: self.save_button.setEnabled(False))
        shortcut_hint = QLabel(self.tr("Ctrl+Enter"), bar)
        shortcut_hint.setObjectName("hint")
        # The hint beside the button, not under it: the bar is one button high.
        save_column = QHBoxLayout()
        save_column.setSpacing(8)
        save_column.addWidget(shortcut_hint, 0, Qt.AlignmentFlag.AlignVCenter)
        save_column.addWidget(self.save_button)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(4, 0, 6, 0)
        layout.setSpacing(12)
        self.correct_button = QPushButton(self.tr("Correct it (F2)"), bar)
        self.correct_button.setObjectName("correctLast")
        self.correct_button.setToolTip(self.tr("Reopen the call saved last and correct it"))
        self.correct_button.setAutoDefault(False)
        self.correct_button.setFlat(True)
        self.correct_button.clicked.connect(self.sig_correct_last_requested)
        self.correct_button.hide()
        layout.addWidget(self._saved_slot, 1)
        layout.addWidget(self.correct_button)
        layout.addWidget(self._error, 1)
        layout.addStretch(0)
        layout.addLayout(save_column)
        return bar

    # ------------------------------------------------------------------ public API

    @property
    def view(self) -> CallView | None:
        return self._view

    @property
    def correcting(self) -> Attempt | None:
        """The earlier call that Save will replace, or None for a new call."""
        return self._correcting

    def show_view(self, view: CallView, *, correct: Attempt | None = None) -> None:
        """Start the call screen for `view`'s contact (fresh script, no disposition); with
        `correct`, reopen that earlier call to correct it: its answers, outcome and notes
        are offered again, and Save records a correction that supersedes it."""
        self._view = view
        self._correcting = correct
        self._started_at = datetime.now(UTC)
        self.set_saving(False)
        self.card.show_view(view)
        announce(
            self,
            self.tr("Next name: %1, %2")
            .replace("%1", view.name)
            .replace("%2", format_phone(view.phone)),
        )
        self._intro.setText(view.intro)
        self._intro.setVisible(bool(view.intro))
        self.dispositions.clear()
        self.dispositions.set_contact(view.timezone, view.calling_hours)
        self.notes.clear()
        self._clear_error()
        self.script.start(view.script, correct.answers if correct else None)
        self.language.set_languages(view.script.languages() if view.script else [])
        self.heard.set_choices(view.script.languages()[1:] if view.script else [])
        self._ask_language_heard()
        self._show_correction(view, correct)
        self._pages.setCurrentWidget(self._call)
        if view.script is not None and not self.script.is_finished():
            self.script.focus_current()
        else:
            self.dispositions.focus_first()

    def refresh_numbers(self, view: CallView) -> None:
        """The shown contact's numbers as the laptop has them now (a sync drops one on the
        do-not-call list): the number to dial and "Number 1 of N" follow; what is entered
        for the call stays."""
        shown = self._view
        if shown is None or self._saving or shown.contact_id != view.contact_id:
            return
        numbers = (view.phone, view.extension, view.phone_kind, view.number, view.numbers)
        if numbers == (shown.phone, shown.extension, shown.phone_kind, shown.number, shown.numbers):
            return
        self._view = replace(
            shown,
            phone=view.phone,
            extension=view.extension,
            phone_kind=view.phone_kind,
            number=view.number,
            numbers=view.numbers,
            own_number=view.own_number,
        )
        self.card.show_view(self._view)

    def current_draft(self) -> CallDraft | None:
        """The call in progress as entered so far; None when nothing is entered yet."""
        view = self._view
        if view is None or self._saving:
            return None
        answers = self.script.answers()
        disposition = self.dispositions.selected()
        notes = self.notes.toPlainText()
        if not answers and disposition is None and not notes.strip():
            return None
        from desktop.services.views import CallDraft

        walk = self.script.walk
        return CallDraft(
            contact_id=view.contact_id,
            path=walk.path if walk else (),
            finished=self.script.is_finished(),
            answers=answers,
            disposition=disposition,
            notes=notes,
            call_back_at=self.dispositions.call_back_at(),
            started_at=self._started_at,
            supersedes=self._correcting.result_id if self._correcting else None,
            language=self.language.language() or None,
            heard_language=self.heard.language(),
        )

    def restore(self, view: CallView, draft: CallDraft) -> None:
        """Reopen a call left in progress where it was: the question, the answers, the
        outcome, the notes (and the call it was correcting)."""
        correct = next((a for a in view.attempts if a.result_id == draft.supersedes), None)
        self.show_view(view, correct=correct)
        if draft.language and draft.language != self.language.language():
            self.language.choose(draft.language)
        self.script.restore(draft.path, draft.answers, draft.finished)
        if draft.disposition in self.dispositions.buttons():
            self.dispositions.select(draft.disposition)
            if draft.call_back_at is not None:
                self.dispositions.set_call_back_at(draft.call_back_at)
            self._ask_language_heard()
            self.heard.choose(draft.heard_language)
        self.notes.setPlainText(draft.notes)
        self._started_at = draft.started_at or self._started_at
        if self.script.is_finished() or view.script is None:
            self.dispositions.focus_first()
        else:
            self.script.focus_current()

    def _show_correction(self, view: CallView, correct: Attempt | None) -> None:
        self._correction_box.setVisible(correct is not None)
        if correct is None:
            return
        when = format_when(correct.at.astimezone(), "%a %d %b %H:%M")
        text = self.tr(
            "Correcting your call to %1 of %2 (%3). Saving replaces it; "
            "it still counts as one call."
        )
        word = disposition_words(correct.disposition)
        self._correction_text.setText(
            text.replace("%1", view.name).replace("%2", when).replace("%3", word)
        )
        if correct.disposition in self.dispositions.buttons():
            self.dispositions.select(correct.disposition)
            if correct.disposition == "call_back":
                self.dispositions.call_back_editor().setFocus(Qt.FocusReason.OtherFocusReason)
        self.notes.setPlainText(correct.notes)

    def cancel_correction(self) -> None:
        """Leave the correction: nothing is saved, the earlier call stands."""
        if self._correcting is not None and self._view is not None and not self._saving:
            self._correcting = None
            self._correction_box.hide()
            self.sig_correction_cancelled.emit(self._view.contact_id)

    def set_can_correct(self, can: bool) -> None:
        """Whether a call was saved that F2 (or "Correct it") can reopen."""
        self.correct_button.setVisible(can and bool(self._saved.text()))

    def show_empty(self, message: str, *, offer_more: bool = False) -> None:
        self._view = None
        self._correcting = None
        self._correction_box.hide()
        self._empty_text.setText(message)
        self._more.setVisible(offer_more)
        self._pages.setCurrentWidget(self._empty)
        if offer_more and self.isVisible():
            self._more.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter: get more names

    def set_saved_note(self, text: str) -> None:
        self._saved.setText(text)
        self._saved_slot.setVisible(bool(text) and self._error.isHidden())

    @property
    def saving(self) -> bool:
        return self._saving

    def set_saving(self, saving: bool) -> None:
        """While saving, another press is ignored (`save`); the button greys if it is slow."""
        self._saving = saving
        if saving:
            self._slow_save.start()
        else:
            self._slow_save.stop()
            self.save_button.setEnabled(True)

    def show_error(self, message: str, *, focus: QWidget | None = None) -> None:
        """`message` beside Save & next, in place of the last "saved" note (which no longer
        says what happened); the focus moves to `focus` (what to fix), else the message."""
        self._error.setText(message)
        self._saved.setText("")
        self._saved_slot.hide()
        self.correct_button.hide()
        self._error.show()
        target = focus if focus is not None else self._error
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll_to_focus(None, target)

    def draft(self) -> ResultDraft | None:
        """The result as entered, or None (with an inline message) when it is incomplete."""
        if self._view is None:
            return None
        disposition = self.dispositions.selected()
        if disposition is None:
            self.show_error(
                self.tr("Choose how the call ended first (for example Alt+C Contacted)."),
                focus=self.dispositions.first_button(),
            )
            return None
        call_back_at = self.dispositions.call_back_at()
        if disposition == "call_back" and (
            call_back_at is None or call_back_at <= datetime.now(UTC)
        ):
            self.show_error(
                self.tr("Choose a call-back time in the future."),
                focus=self.dispositions.call_back_editor(),
            )
            return None
        talked = disposition in ("contacted", "call_back", "refused")
        answers = self.script.answers() if talked else {}
        from desktop.services.views import ResultDraft

        return ResultDraft(
            contact_id=self._view.contact_id,
            disposition=disposition,
            answers=answers,
            notes=self.notes.toPlainText().strip(),
            started_at=self._started_at,
            ended_at=datetime.now(UTC),
            call_back_at=call_back_at,
            # The version on screen, not whatever is current when the result is saved.
            script_version=self._view.script.version if self._view.script else None,
            supersedes=self._correcting.result_id if self._correcting else None,
            language=self.language.language() or None,
            heard_language=self.heard.language() if disposition == "language_barrier" else None,
        )

    def save(self) -> None:
        if self._saving or self._pages.currentWidget() is not self._call:
            return
        draft = self.draft()
        if draft is None:
            return
        if not self._do_not_call_confirmed(draft):
            self.dispositions.first_button().setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.set_saving(True)
        self.sig_save_requested.emit(draft)

    def _do_not_call_confirmed(self, draft: ResultDraft) -> bool:
        """A do-not-call that reaches more than the person called is asked first."""
        view = self._view
        if draft.disposition != "do_not_call" or view is None or not view.household:
            return True
        if view.own_number:  # their own cell: the household's number is not listed
            return True
        return self.confirm_do_not_call(self._do_not_call_question(view))

    def _do_not_call_question(self, view: CallView) -> str:
        """What a do-not-call reaches (sync.protocol.HouseholdEffect.do_not_call): everyone
        at the number, call-backs included."""
        people = [view.name, *(m.name for m in view.household)]
        promised = [m.name for m in view.household if m.state == "call_back"]
        text = self.tr("Put %1 on the do-not-call list? Nobody at this number is called again: %2.")
        text = text.replace("%1", format_phone(view.phone)).replace("%2", ", ".join(people))
        if promised:
            text += " " + self.tr("The call-back promised to %1 is cancelled too.").replace(
                "%1", ", ".join(promised)
            )
        return text

    def _ask_do_not_call(self, question: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Do not call the whole household?"))
        box.setText(question)
        yes = box.addButton(self.tr("Put on do-not-call"), QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton(self.tr("Go back"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is yes

    # ------------------------------------------------------------------ internals

    def _ask_language_heard(self) -> None:
        """Which language they spoke is asked only after a language barrier."""
        barrier = self.dispositions.selected() == "language_barrier"
        if barrier == self.heard.isHidden():
            self.heard.setVisible(barrier)
        if not barrier:
            self.heard.choose(None)

    def _read_in(self, language: str) -> None:
        """The caller switched the script's language: the same call, in other words."""
        view = self._view
        if view is None or view.script is None:
            return
        self._intro.setText(view.intros.get(language, view.intro))
        self.script.set_script(view.script.in_language(language))
        self.sig_draft_changed.emit()

    def _answers_changed(self) -> None:
        if self.script.answers() and self.dispositions.selected() is None:
            self.dispositions.select("contacted")

    def _script_finished(self) -> None:
        self.dispositions.focus_first()

    def _clear_error(self) -> None:
        self._error.hide()
        self._saved_slot.setVisible(bool(self._saved.text()))

    def _scroll_to_focus(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and self._pages.currentWidget() is self._call:
            inner = self._scroll.widget()
            if inner is not None and inner.isAncestorOf(now):
                self._scroll.ensureWidgetVisible(now, 16, 16)
