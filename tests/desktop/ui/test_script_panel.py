"""The script walker: branching, Back, keys 1–9, text and multiple-choice questions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.sample_core import SAMPLE_SCRIPT
from desktop.ui.script_panel import ScriptPanel, ScriptWalk
from sync.protocol import Option, Question, QuestionKind, Script
from tests.desktop.ui.helpers import show_active, type_keys


def looping_script() -> Script:
    return Script(
        id=9,
        campaign_id=1,
        version=1,
        title="t",
        intro="",
        questions=[
            Question(
                id="a",
                text="A?",
                kind=QuestionKind.choice,
                options=[Option(value="again", label="Again", next="a")],
            )
        ],
    )


def test_walk_follows_the_branch_an_answer_names() -> None:
    walk = ScriptWalk(SAMPLE_SCRIPT)
    assert walk.current is not None and walk.current.id == "support"
    walk.answer("undecided")
    assert walk.current is not None and walk.current.id == "issue"
    walk.answer("Jobs and the economy")
    assert walk.finished
    assert walk.answers == {"support": "undecided", "issue": "Jobs and the economy"}


def test_walk_yes_goes_through_the_remaining_questions_in_order() -> None:
    walk = ScriptWalk(SAMPLE_SCRIPT)
    walk.answer("yes")
    assert walk.current is not None and walk.current.id == "plan"
    walk.answer("no")
    assert walk.current is not None and walk.current.id == "ride"
    walk.answer(["walk", "ride"])
    assert walk.current is not None and walk.current.id == "enthusiasm"
    walk.answer(4)
    assert walk.finished
    assert walk.answers == {
        "support": "yes",
        "plan": "no",
        "ride": ["walk", "ride"],
        "enthusiasm": 4,
    }


def test_walk_back_takes_the_answer_back_and_allows_another_branch() -> None:
    walk = ScriptWalk(SAMPLE_SCRIPT)
    walk.answer("no")  # -> end
    assert walk.finished
    walk.back()
    assert not walk.finished and walk.current is not None and walk.current.id == "support"
    assert walk.answers == {}
    walk.answer("yes")
    walk.back()
    assert walk.current is not None and walk.current.id == "support"
    walk.back()  # nothing before the first question
    assert walk.current is not None and walk.current.id == "support"


def test_walk_stops_instead_of_looping_forever() -> None:
    walk = ScriptWalk(looping_script())
    walk.answer("again")
    assert walk.finished


def test_walk_skipped_text_question_records_no_answer() -> None:
    walk = ScriptWalk(SAMPLE_SCRIPT)
    walk.answer("undecided")
    walk.answer(None)
    assert walk.finished and walk.answers == {"support": "undecided"}


def make_panel(qtbot: QtBot) -> tuple[QWidget, ScriptPanel]:
    host = QWidget()
    qtbot.addWidget(host)
    panel = ScriptPanel(host)
    panel.install_shortcuts(host)
    panel.start(SAMPLE_SCRIPT)
    show_active(qtbot, host)
    panel.focus_current()
    return host, panel


def answer_labels(panel: ScriptPanel) -> list[str]:
    box = panel.findChild(QWidget, "answerButtons")
    return [b.accessibleName() for b in box.findChildren(QPushButton) if b.isVisible()]


def test_panel_keys_answer_branch_and_go_back(qtbot: QtBot) -> None:
    _host, panel = make_panel(qtbot)
    question = panel.findChild(QWidget, "questionText")
    assert question.text() == "Can we count on your vote on Tuesday?"
    assert answer_labels(panel) == ["Yes", "Undecided", "No"]

    type_keys(qtbot, Qt.Key.Key_2)  # Undecided -> the free-text question
    assert question.text() == "What matters most to you this year?"
    assert isinstance(qtbot_focus(), QLineEdit)

    type_keys(qtbot, "Schools 1st")  # digits typed into the answer are text, not shortcuts
    assert question.text() == "What matters most to you this year?"
    type_keys(qtbot, Qt.Key.Key_Backspace)  # deletes a character while typing
    assert qtbot_focus().text() == "Schools 1s"
    type_keys(qtbot, Qt.Key.Key_Return)
    assert panel.is_finished()
    assert panel.answers() == {"support": "undecided", "issue": "Schools 1s"}

    type_keys(qtbot, (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier))
    assert question.text() == "What matters most to you this year?"
    type_keys(qtbot, Qt.Key.Key_Escape)  # focus stays; nothing happens
    back = panel.findChild(QPushButton, "backButton")
    back.setFocus()
    type_keys(qtbot, Qt.Key.Key_Backspace)  # Backspace is Back when not typing
    assert question.text() == "Can we count on your vote on Tuesday?"
    assert panel.answers() == {}


def qtbot_focus() -> QWidget:
    from PySide6.QtWidgets import QApplication

    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_panel_multi_choice_toggles_with_keys_and_enter_confirms(qtbot: QtBot) -> None:
    _host, panel = make_panel(qtbot)
    type_keys(qtbot, Qt.Key.Key_1, Qt.Key.Key_1)  # Yes -> plan (yes/no) -> Yes -> ride
    question = panel.findChild(QWidget, "questionText")
    assert question.text() == "How will you get to the polls?"
    type_keys(qtbot, Qt.Key.Key_2, Qt.Key.Key_4, Qt.Key.Key_2, Qt.Key.Key_1)
    type_keys(qtbot, Qt.Key.Key_Return)
    assert question.text() == "How excited are you to vote, from 1 to 5?"
    assert answer_labels(panel) == ["1", "2", "3", "4", "5"]
    type_keys(qtbot, Qt.Key.Key_5)
    assert panel.is_finished()
    assert panel.answers() == {
        "support": "yes",
        "plan": "yes",
        "ride": ["walk", "ride"],
        "enthusiasm": 5,
    }
    # The closing text shows once the script is done.
    assert question.text() == SAMPLE_SCRIPT.closing


def test_panel_key_beyond_the_options_does_nothing(qtbot: QtBot) -> None:
    _host, panel = make_panel(qtbot)
    type_keys(qtbot, Qt.Key.Key_7)
    assert panel.answers() == {} and not panel.is_finished()


def test_long_answers_wrap_to_more_rows_instead_of_widening_the_screen(qtbot: QtBot) -> None:
    labels = [
        "A ride to the polls on election day",
        "A reminder the day before",
        "Polling place information and opening hours",
        "Nothing, I'm all set, thank you",
    ]
    script = Script(
        id=3,
        campaign_id=1,
        version=1,
        title="t",
        intro="",
        questions=[
            Question(
                id="help",
                text="Which of these would help you vote?",
                kind=QuestionKind.multi,
                options=[Option(value=f"o{i}", label=label) for i, label in enumerate(labels)],
            )
        ],
    )
    panel = ScriptPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 300)
    panel.start(script)
    show_active(qtbot, panel)
    buttons = panel.findChildren(QPushButton, "answerButton")
    assert panel.minimumSizeHint().width() <= 640
    qtbot.waitUntil(lambda: all(b.width() >= b.sizeHint().width() for b in buttons))
    assert all(b.geometry().right() < panel.width() for b in buttons)
    panel.resize(1800, 300)  # room again: back to one row
    qtbot.waitUntil(lambda: len({b.y() for b in buttons}) == 1)


def test_a_new_call_on_the_same_question_starts_afresh_with_working_keys(qtbot: QtBot) -> None:
    """The next call often starts on the question the last one ended on: the panel keeps
    those answer buttons (cheaper Save & next), and they answer for the new walk."""
    _host, panel = make_panel(qtbot)
    first = panel.findChildren(QPushButton, "answerButton")
    labels = answer_labels(panel)
    panel.start(SAMPLE_SCRIPT.model_copy())  # the next contact: same script version
    assert panel.findChildren(QPushButton, "answerButton") == first
    assert panel.answers() == {}
    panel.focus_current()
    type_keys(qtbot, "1")  # yes -> plan
    assert panel.answers() == {"support": "yes"}
    assert panel.walk is not None and panel.walk.current is not None
    assert panel.walk.current.id == "plan"
    panel.start(SAMPLE_SCRIPT)  # another question was showing: its buttons are made anew
    assert answer_labels(panel) == labels
    assert panel.answers() == {}
