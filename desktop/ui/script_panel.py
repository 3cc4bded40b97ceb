"""The script walker: one question at a time, answers by button or keys 1–9, Back.

`ScriptWalk` is the plain logic (which question is current, the answers so far, going back);
`ScriptPanel` shows it. Choice, yes/no and scale questions are rows of buttons (keys 1–9);
a text question is a line edit confirmed with Enter (empty Enter skips it); a multiple-choice
question is a row of toggles (keys 1–9 toggle) confirmed with Enter or "Done".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.accessibility import announce, chain_tabs, describe

if TYPE_CHECKING:
    from sync.protocol import Answer, Question, Script

BUTTONS_PER_ROW = 4
# Answer buttons never force the window wider than this each: long labels make fewer columns.
ANSWER_MIN_WIDTH = 80


def _as_value(answer: Answer) -> str:
    """An answer as the `answerValue` of its button (yes/no may be stored as a bool)."""
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return str(answer)


class ScriptWalk:
    """Where a caller is in a script: the path of questions taken and the answers given."""

    def __init__(self, script: Script) -> None:
        self.script = script
        first = script.first_question_id()
        self._path: list[str] = [first] if first else []
        self._answers: dict[str, Answer] = {}
        # Answers taken back with Back, shown again when their question is (until replaced).
        self._taken_back: dict[str, Answer] = {}
        self.finished = first is None

    @property
    def path(self) -> tuple[str, ...]:
        """The questions asked so far, in order."""
        return tuple(self._path)

    def replay(self, path: tuple[str, ...], answers: dict[str, Answer], finished: bool) -> None:
        """Walk again to where a draft was: the answers given along `path` (a script that
        changed since stops the replay where it no longer matches)."""
        for index, question_id in enumerate(path):
            current = self.current
            if current is None or current.id != question_id:
                return
            if index == len(path) - 1 and not finished:
                return
            self.answer(answers.get(question_id))

    @property
    def current(self) -> Question | None:
        if self.finished or not self._path:
            return None
        return self.script.question(self._path[-1])

    @property
    def step(self) -> int:
        """1 for the first question asked, 2 for the next one, ..."""
        return len(self._path)

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers along the path taken (a question skipped has none)."""
        return dict(self._answers)

    @property
    def can_go_back(self) -> bool:
        return (self.finished and bool(self._path)) or len(self._path) > 1

    def answer(self, value: Answer) -> None:
        """Record `value` (None skips) for the current question and move on."""
        question = self.current
        if question is None:
            return
        self._taken_back.pop(question.id, None)
        if value is not None and value != "" and value != []:
            self._answers[question.id] = value
        next_id = self.script.next_question_id(question.id, value)
        if next_id is None or next_id in self._path or self.script.question(next_id) is None:
            self.finished = True
        else:
            self._path.append(next_id)

    def back(self) -> None:
        """Undo the last answer: show the question it answered again."""
        if self.finished:
            self.finished = False
        elif len(self._path) > 1:
            self._path.pop()
        else:
            return
        earlier = self._answers.pop(self._path[-1], None)
        if earlier is not None:
            self._taken_back[self._path[-1]] = earlier

    def recall(self, answers: dict[str, Answer]) -> None:
        """Answers of an earlier call (a correction): shown again as each question comes."""
        self._taken_back = dict(answers)

    def earlier_answer(self) -> Answer:
        """The answer the current question had before Back was pressed (None: none)."""
        question = self.current
        return self._taken_back.get(question.id) if question is not None else None


class ScriptPanel(QWidget):
    """Shows the current question of a `ScriptWalk` and takes its answer."""

    sig_answers_changed = Signal()
    """An answer was given or taken back."""
    sig_finished = Signal()
    """The last question was answered (the closing text is showing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptPanel")
        self._walk: ScriptWalk | None = None
        self._answer_buttons: list[QAbstractButton] = []
        self._text_edit: QLineEdit | None = None

        self._step = QLabel(self)
        self._step.setObjectName("questionStep")
        self._question = QLabel(self)
        self._question.setObjectName("questionText")
        self._question.setAccessibleName("questionText")
        self._spoken = ""  # the question last announced to screen readers
        self._question.setWordWrap(True)
        self._question.setTextFormat(Qt.TextFormat.PlainText)
        self._question.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self._answers_box = QWidget(self)
        self._answers_box.setObjectName("answerButtons")
        self._answers_box.setAccessibleDescription(self.tr("Answers (keys 1–9)"))
        self._answers_box.setAccessibleName("answerButtons")
        self._answers_layout = QGridLayout(self._answers_box)
        self._answers_layout.setContentsMargins(0, 0, 0, 0)
        self._answers_layout.setHorizontalSpacing(10)
        self._answers_layout.setVerticalSpacing(10)
        self._answers_box.installEventFilter(self)
        self._multi_done: QPushButton | None = None
        self._columns = 0
        # (script id, version, question id) whose answer buttons are shown: the next call
        # often starts on the question the last one ended on, and keeps its buttons.
        self._buttons_for: tuple[int, int, str, str] | None = None

        self._back = QPushButton(self.tr("← Back"), self)
        self._back.setObjectName("backButton")
        self._back.setAccessibleName("backButton")
        self._back.setToolTip(self.tr("Previous question (Alt+Left, or Backspace)"))
        self._back.clicked.connect(self.go_back)
        self._hint = QLabel(self)
        self._hint.setObjectName("hint")

        bottom = QHBoxLayout()
        bottom.addWidget(self._back)
        bottom.addStretch(1)
        bottom.addWidget(self._hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._step)
        layout.addWidget(self._question)
        layout.addWidget(self._answers_box)
        layout.addLayout(bottom)
        self._render()

    # ------------------------------------------------------------------ public API

    @property
    def walk(self) -> ScriptWalk | None:
        return self._walk

    def answers(self) -> dict[str, Answer]:
        return self._walk.answers if self._walk else {}

    def is_finished(self) -> bool:
        return self._walk is not None and self._walk.finished

    def start(self, script: Script | None, earlier: dict[str, Answer] | None = None) -> None:
        """Begin `script` from its first question (None: no script for this campaign);
        `earlier`: the answers of the call being corrected, offered again."""
        self._walk = ScriptWalk(script) if script is not None else None
        if self._walk is not None and earlier:
            self._walk.recall(earlier)
        self._spoken = ""  # a new call: its first question is said even if it is the same
        self._render()

    def restore(self, path: tuple[str, ...], answers: dict[str, Answer], finished: bool) -> None:
        """Show the walk where a draft left it."""
        if self._walk is None:
            return
        self._walk.replay(path, answers, finished)
        self._render()

    def set_script(self, script: Script) -> None:
        """Show the same script in other words (a translation: the same questions and
        answer codes); where the caller is, the answers and any ticks stay."""
        if self._walk is None:
            return
        ticked = [b.property("answerValue") for b in self._answer_buttons if b.isChecked()]
        typed = self._text_edit.text() if self._text_edit is not None else ""
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self._walk.script = script
        self._clear_answers()
        self._render()
        for button in self._answer_buttons:
            if button.isCheckable() and button.property("answerValue") in ticked:
                button.setChecked(True)
        if self._text_edit is not None and typed:
            self._text_edit.setText(typed)
        if had_focus:  # the focused button was replaced: focus its successor
            self.focus_current()

    def install_shortcuts(self, host: QWidget) -> None:
        """Keys 1–9, Alt+Left and Backspace anywhere inside `host` (not while typing)."""
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(number)), host)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=number: self.choose_number(n))
        for keys in ("Alt+Left", "Backspace"):
            shortcut = QShortcut(QKeySequence(keys), host)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.go_back)

    def choose_number(self, number: int) -> None:
        """Key `number`: press (or toggle) the number-th answer button."""
        if 1 <= number <= len(self._answer_buttons):
            self._answer_buttons[number - 1].click()

    def go_back(self) -> None:
        if self._walk is None or not self._walk.can_go_back:
            return
        self._walk.back()
        self._render()
        self.sig_answers_changed.emit()
        self.focus_current()

    def focus_current(self) -> None:
        """Put the keyboard focus on the current question's first input (after Back: on
        the answer given before)."""
        if self._text_edit is not None:
            self._text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._answer_buttons:
            target = self.earlier_button() or self._answer_buttons[0]
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ internals

    def _give(self, value: Answer) -> None:
        if self._walk is None:
            return
        self._walk.answer(value)
        self._render()
        self.sig_answers_changed.emit()
        if self._walk.finished:
            self.sig_finished.emit()
        else:
            self.focus_current()

    def _confirm_multi(self) -> None:
        chosen = [str(b.property("answerValue")) for b in self._answer_buttons if b.isChecked()]
        self._give(chosen)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        question = self._walk.current if self._walk else None
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and question is not None and question.kind == "multi":
            self._confirm_multi()
            return
        super().keyPressEvent(event)

    def _clear_answers(self) -> None:
        while self._answers_layout.count():
            item = self._answers_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._answer_buttons = []
        self._multi_done = None
        self._columns = 0
        self._text_edit = None
        self._buttons_for = None

    def _render(self) -> None:
        self._render_question()
        # Screen readers: the label's name is SPEC's "questionText"; its words are the
        # description, said at once when the question changes. Answers follow it in Tab order.
        spoken = " ".join(text for text in (self._step.text(), self._question.text()) if text)
        describe(self._question, self._question.text())
        answers = [*self._answer_buttons, self._multi_done, self._text_edit]
        chain_tabs(self._answers_box, [widget for widget in answers if widget is not None])
        if spoken != self._spoken:
            self._spoken = spoken
            announce(self, spoken)

    def _render_question(self) -> None:
        walk = self._walk
        question = walk.current if walk else None
        self._back.setEnabled(walk is not None and walk.can_go_back)
        shown = None
        if walk is not None and question is not None and question.kind != "text":
            shown = (walk.script.id, walk.script.version, walk.script.language, question.id)
            if shown == self._buttons_for:  # the same question again: same buttons
                self._step.setText(self.tr("Question %n", "", walk.step))
                for button in self._answer_buttons:
                    button.setChecked(False)
                self._show_earlier_answer()
                return
        self._clear_answers()
        if walk is None:
            self._step.setText("")
            self._question.setText(self.tr("This campaign has no script yet."))
            self._hint.setText("")
            return
        if question is None:
            self._step.setText(self.tr("Script finished"))
            closing = walk.script.closing or self.tr("That was the last question.")
            self._question.setText(closing)
            self._hint.setText(self.tr("Now choose how the call ended below."))
            return
        self._step.setText(self.tr("Question %n", "", walk.step))
        self._question.setText(question.text)
        if question.kind == "text":
            self._render_text()
        else:
            self._render_buttons(question)
            self._buttons_for = shown
        for index in range(self._answers_layout.count()):
            item = self._answers_layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.show()  # now, so that the focus can move to it at once
        self._show_earlier_answer()

    def earlier_button(self) -> QAbstractButton | None:
        """The answer button marked as the answer given before Back, if any."""
        return next((b for b in self._answer_buttons if b.property("earlier")), None)

    def _show_earlier_answer(self) -> None:
        """After Back, the answer given before is shown (marked, ticked or typed in again)
        and has the focus: Enter or its key keeps it, another answer replaces it."""
        earlier = self._walk.earlier_answer() if self._walk else None
        chosen = {str(v) for v in earlier} if isinstance(earlier, list) else None
        for button in self._answer_buttons:
            value = str(button.property("answerValue"))
            if chosen is not None:
                button.setChecked(value in chosen)
                mark = False
            else:
                mark = earlier is not None and value == _as_value(earlier)
            if bool(button.property("earlier")) != mark:
                button.setProperty("earlier", mark)
                button.style().unpolish(button)
                button.style().polish(button)
        if self._text_edit is not None and isinstance(earlier, str):
            self._text_edit.setText(earlier)
            self._text_edit.selectAll()
        if earlier is not None and chosen is None:
            self._hint.setText(self.tr("Your earlier answer is marked · its key or Space keeps it"))

    def _render_text(self) -> None:
        edit = QLineEdit(self._answers_box)
        edit.setObjectName("textAnswer")
        edit.setAccessibleName(self.tr("Answer"))
        edit.setPlaceholderText(self.tr("Type what they said, then press Enter"))
        edit.returnPressed.connect(lambda: self._give(edit.text().strip() or None))
        self._answers_layout.addWidget(edit, 0, 0, 1, BUTTONS_PER_ROW)
        self._text_edit = edit
        self._hint.setText(self.tr("Enter: next question (empty skips)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._answers_box and event.type() == QEvent.Type.Resize:
            self._place_buttons()
        return super().eventFilter(watched, event)

    def _columns_that_fit(self) -> int:
        """As many columns (up to BUTTONS_PER_ROW) as the widest answer allows, so a long
        label wraps the row instead of pushing the call screen off the side."""
        buttons = [*self._answer_buttons, *([self._multi_done] if self._multi_done else [])]
        widest = max(b.sizeHint().width() for b in buttons)
        spacing = self._answers_layout.horizontalSpacing()
        width = self._answers_box.width()
        return max(
            1,
            min(
                BUTTONS_PER_ROW, len(self._answer_buttons), (width + spacing) // (widest + spacing)
            ),
        )

    def _place_buttons(self) -> None:
        if not self._answer_buttons:
            return
        columns = self._columns_that_fit()
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._answer_buttons:
            self._answers_layout.removeWidget(button)
        if self._multi_done is not None:
            self._answers_layout.removeWidget(self._multi_done)
        for index, button in enumerate(self._answer_buttons):
            row, column = divmod(index, columns)
            self._answers_layout.addWidget(button, row, column)
        if self._multi_done is not None:
            row = (len(self._answer_buttons) - 1) // columns + 1
            self._answers_layout.addWidget(self._multi_done, row, 0)

    def _render_buttons(self, question: Question) -> None:
        multi = question.kind == "multi"
        for index, option in enumerate(question.choices()):
            key = f"{index + 1}  " if index < 9 and option.label != str(index + 1) else ""
            button = QPushButton(f"{key}{option.label}", self._answers_box)
            button.setObjectName("answerButton")
            button.setAccessibleName(option.label)
            button.setProperty("answerValue", option.value)
            button.setCheckable(multi)
            button.setAutoDefault(False)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if not multi:
                value: Answer = option.value
                if question.kind == "scale" and option.value.lstrip("-").isdigit():
                    value = int(option.value)
                button.clicked.connect(lambda _=False, v=value: self._give(v))
            button.setMinimumWidth(ANSWER_MIN_WIDTH)
            self._answer_buttons.append(button)
        if multi:
            done = QPushButton(self.tr("Done ⏎"), self._answers_box)
            done.setObjectName("multiDone")
            done.setAutoDefault(False)
            done.clicked.connect(self._confirm_multi)
            done.setMinimumWidth(ANSWER_MIN_WIDTH)
            self._multi_done = done
        self._columns = 0
        self._place_buttons()
        if multi:
            self._hint.setText(self.tr("1–9: tick answers · Enter: next question"))
        else:
            self._hint.setText(self.tr("Press 1–9 to answer"))
