"""The call screen (SPEC §5): contact card, intro, the script walker, how the call ended,
notes, Save & next (Ctrl+Enter). The whole call works from the keyboard.

This is a view: it collects a `ResultDraft` and emits `sig_save_requested`; the work screen
saves it through the core and shows the next contact.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.contact_card import ContactCard
from desktop.ui.disposition_bar import DispositionBar
from desktop.ui.script_panel import ScriptPanel

if TYPE_CHECKING:
    from desktop.services.views import CallView, ResultDraft


SAVE_WIDTH = 220  # px: a big target, but not the whole width of a wide window


class CallScreen(QWidget):
    """One contact's call, from the card to Save & next."""

    sig_save_requested = Signal(object)
    """The caller pressed Save & next: a complete `ResultDraft`."""
    sig_more_names_requested = Signal()
    """The list is finished and the caller wants another one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callScreen")
        self._view: CallView | None = None
        self._started_at: datetime | None = None
        self._saving = False

        self._pages = QStackedWidget(self)
        self._empty = self._build_empty_page()
        self._call = self._build_call_page()
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._call)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self.script.install_shortcuts(self._call)
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

        script_box = QFrame(page)
        script_box.setObjectName("scriptCard")
        self._intro = QLabel(script_box)
        self._intro.setObjectName("intro")
        self._intro.setWordWrap(True)
        self._intro.setTextFormat(Qt.TextFormat.PlainText)
        self.script = ScriptPanel(script_box)
        self.script.sig_answers_changed.connect(self._answers_changed)
        self.script.sig_finished.connect(self._script_finished)
        script_layout = QVBoxLayout(script_box)
        script_layout.setContentsMargins(24, 18, 24, 18)
        script_layout.setSpacing(14)
        script_layout.addWidget(self._intro)
        script_layout.addWidget(self.script)

        end_box = QFrame(page)
        end_box.setObjectName("endCard")
        heading = QLabel(self.tr("How did the call end?"), end_box)
        heading.setObjectName("sectionTitle")
        self.dispositions = DispositionBar(end_box)
        self.dispositions.sig_changed.connect(self._clear_error)
        self.notes = QPlainTextEdit(end_box)
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("notes")
        self.notes.setPlaceholderText(self.tr("Notes for the campaign (optional)"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)
        end_layout = QVBoxLayout(end_box)
        end_layout.setContentsMargins(22, 14, 22, 14)
        end_layout.setSpacing(10)
        end_layout.addWidget(heading)
        end_layout.addWidget(self.dispositions)
        end_layout.addWidget(self.notes)

        inner = QWidget(page)
        inner.setObjectName("callInner")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(12)
        layout.addWidget(self.card)
        layout.addWidget(script_box, 1)
        layout.addWidget(end_box)
        scroll = self._scroll = QScrollArea(page)
        scroll.setObjectName("callScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)

        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(10)
        page_layout.addWidget(scroll, 1)
        page_layout.addWidget(self._build_save_bar(page))

        # Focus order: answers, Back, the dispositions, notes, Save & next, Call, Copy.
        QWidget.setTabOrder(self.notes, self.save_button)
        # A widget reached by Tab inside the scroll area is scrolled into view.
        QApplication.instance().focusChanged.connect(self._scroll_to_focus)  # type: ignore[union-attr]
        return page

    def _build_save_bar(self, page: QWidget) -> QWidget:
        """Save & next outside the scroll area, so it is on screen at any window size, with
        what happened to the last press beside it: "saved", or what is missing."""
        bar = QFrame(page)
        bar.setObjectName("saveBar")
        self._saved = QLabel(bar)
        self._saved.setObjectName("savedNote")
        self._saved.setWordWrap(True)
        self._saved.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        shortcut_hint = QLabel(self.tr("Ctrl+Enter"), bar)
        shortcut_hint.setObjectName("hint")
        save_column = QVBoxLayout()
        save_column.setSpacing(2)
        save_column.addWidget(self.save_button)
        save_column.addWidget(shortcut_hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(4, 0, 6, 0)
        layout.setSpacing(12)
        layout.addWidget(self._saved, 1)
        layout.addWidget(self._error, 1)
        layout.addStretch(0)
        layout.addLayout(save_column)
        return bar

    # ------------------------------------------------------------------ public API

    @property
    def view(self) -> CallView | None:
        return self._view

    def show_view(self, view: CallView) -> None:
        """Start the call screen for `view`'s contact (fresh script, no disposition)."""
        self._view = view
        self._started_at = datetime.now(UTC)
        self._saving = False
        self.save_button.setEnabled(True)
        self.card.show_view(view)
        self._intro.setText(view.intro)
        self._intro.setVisible(bool(view.intro))
        self.dispositions.clear()
        self.dispositions.set_contact(view.timezone, view.calling_hours)
        self.notes.clear()
        self._clear_error()
        self.script.start(view.script)
        self._pages.setCurrentWidget(self._call)
        if view.script is not None and not self.script.is_finished():
            self.script.focus_current()
        else:
            self.dispositions.focus_first()

    def show_empty(self, message: str, *, offer_more: bool = False) -> None:
        self._view = None
        self._empty_text.setText(message)
        self._more.setVisible(offer_more)
        self._pages.setCurrentWidget(self._empty)
        if offer_more and self.isVisible():
            self._more.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter: get more names

    def set_saved_note(self, text: str) -> None:
        self._saved.setText(text)
        self._saved.setVisible(bool(text) and self._error.isHidden())

    @property
    def saving(self) -> bool:
        return self._saving

    def set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    def show_error(self, message: str, *, focus: QWidget | None = None) -> None:
        """`message` beside Save & next, in place of the last "saved" note (which no longer
        says what happened); the focus moves to `focus` (what to fix), else the message."""
        self._error.setText(message)
        self._saved.setText("")
        self._saved.hide()
        self._error.show()
        target = focus if focus is not None else self._error
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll_to_focus(None, target)

    @property
    def error_text(self) -> str:
        return "" if self._error.isHidden() else self._error.text()

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
        )

    def save(self) -> None:
        if self._saving or self._pages.currentWidget() is not self._call:
            return
        draft = self.draft()
        if draft is not None:
            self.set_saving(True)
            self.sig_save_requested.emit(draft)

    # ------------------------------------------------------------------ internals

    def _answers_changed(self) -> None:
        if self.script.answers() and self.dispositions.selected() is None:
            self.dispositions.select("contacted")

    def _script_finished(self) -> None:
        self.dispositions.focus_first()

    def _clear_error(self) -> None:
        self._error.hide()
        self._saved.setVisible(bool(self._saved.text()))

    def _scroll_to_focus(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and self._pages.currentWidget() is self._call:
            inner = self._scroll.widget()
            if inner is not None and inner.isAncestorOf(now):
                self._scroll.ensureWidgetVisible(now, 16, 16)
