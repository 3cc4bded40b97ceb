"""The script's language during a call: F4 (or the button) switches the words, the answers
keep their codes, the result and the draft say which language was read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from tests.desktop.ui.helpers import type_keys

CTRL = Qt.KeyboardModifier.ControlModifier


def ready(qtbot: QtBot, make: Callable[[], MainWindow]) -> MainWindow:
    window = make()
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.work)
    return window


def labels(window: MainWindow) -> list[str]:
    return [b.accessibleName() for b in window.work.call.script._answer_buttons]


def question(window: MainWindow) -> str:
    return window.findChild(QLabel, "questionText").text()


def test_f4_switches_the_script_to_spanish_and_back_mid_call(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    switch = window.findChild(QPushButton, "scriptLanguage")
    assert switch.isVisible() and "English" in switch.text() and "F4" in switch.text()
    intro = window.findChild(QLabel, "intro")
    assert intro.text().startswith("Hi, may I speak with Maria?")
    type_keys(qtbot, Qt.Key.Key_1)  # "Yes" in English -> the polling place question
    assert question(window) == "Do you know where your polling place is?"

    type_keys(qtbot, Qt.Key.Key_F4)
    assert "Español" in switch.text()
    assert intro.text().startswith("Hola, ¿puedo hablar con Maria? Soy Sam")
    assert question(window) == "¿Sabe dónde está su lugar de votación?"
    assert labels(window) == ["Sí", "No"]
    # The focus stayed on the answers: the keys go on answering.
    assert QApplication.focusWidget().objectName() == "answerButton"
    type_keys(qtbot, Qt.Key.Key_2)  # "No" in Spanish: the same code as in English
    assert question(window) == "¿Cómo llegará a las urnas?"
    type_keys(qtbot, Qt.Key.Key_1, Qt.Key.Key_4)  # tick "A pie", "Necesita transporte"
    type_keys(qtbot, Qt.Key.Key_F4)  # back to English: the ticks stay
    assert question(window) == "How will you get to the polls?"
    ticked = [b.accessibleName() for b in window.work.call.script._answer_buttons if b.isChecked()]
    assert ticked == ["Walk", "Needs a ride"]
    type_keys(qtbot, Qt.Key.Key_F4, Qt.Key.Key_Return, Qt.Key.Key_5)
    assert window.work.call.script.is_finished()

    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    draft = sample_core.saved[0][1]
    assert draft.answers == {
        "support": "yes",
        "plan": "no",
        "ride": ["walk", "ride"],
        "enthusiasm": 5,
    }
    assert draft.language == "es"  # the language being read when the call ended
    # The next call starts in the script's own language.
    qtbot.waitUntil(
        lambda: window.work.call.view is not None and window.work.call.view.first_name == "Daniel"
    )
    assert "English" in switch.text()


def test_the_button_switches_too_and_a_draft_reopens_in_its_language(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, tmp_path: Path
) -> None:
    window = ready(qtbot, main_window)
    call = window.work.call
    switch = window.findChild(QPushButton, "scriptLanguage")
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert question(window) == "¿Podemos contar con su voto el martes?"
    type_keys(qtbot, Qt.Key.Key_2)  # Indeciso/a
    draft = call.current_draft()
    assert (
        draft is not None and draft.language == "es" and draft.answers == {"support": "undecided"}
    )
    view = call.view
    assert view is not None
    call.show_view(view)  # another call in between: back in English
    assert "English" in switch.text()
    call.restore(view, draft)
    assert "Español" in switch.text()
    assert question(window) == "¿Qué es lo más importante para usted?"
    window.grab().save(str(tmp_path / "call-in-spanish.png"))


def test_a_script_in_one_language_shows_no_switch(qtbot: QtBot) -> None:
    from desktop.ui.script_language import ScriptLanguageSwitch

    switch = ScriptLanguageSwitch()
    qtbot.addWidget(switch)
    switch.set_languages(["en"])
    assert switch.isHidden()
    with qtbot.assertNotEmitted(switch.sig_language_changed):
        switch.next_language()
    switch.set_languages(["en", "es", "vi"], current="vi")
    with qtbot.waitSignal(switch.sig_language_changed) as changed:
        switch.next_language()
    assert changed.args == ["en"]


def test_a_language_barrier_asks_which_language_they_spoke(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, tmp_path: Path
) -> None:
    window = ready(qtbot, main_window)
    call = window.work.call
    picker = window.findChild(QComboBox, "heardLanguage")
    assert not picker.isVisible()  # asked only after a language barrier
    call.dispositions.select("language_barrier")
    qtbot.waitUntil(picker.isVisible)
    # The script's other language first, then the common ones; "not sure" by default.
    assert [picker.itemData(i) for i in range(3)] == [None, "es", "zh"]
    picker.setFocus()
    type_keys(qtbot, Qt.Key.Key_Down)  # Español
    window.grab().save(str(tmp_path / "language-barrier.png"))
    draft = call.current_draft()
    assert draft is not None and draft.heard_language == "es"
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    saved = sample_core.saved[0][1]
    assert (saved.disposition, saved.heard_language) == ("language_barrier", "es")
    # The next call: nothing asked until its own language barrier.
    qtbot.waitUntil(lambda: call.view is not None and call.view.first_name == "Daniel")
    assert not picker.isVisible()
    call.dispositions.select("no_answer")
    assert call.draft() is not None and call.draft().heard_language is None  # type: ignore[union-attr]


def test_my_languages_are_ticked_and_saved_from_the_menu(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, tmp_path: Path
) -> None:
    window = ready(qtbot, main_window)
    sample_core.languages = ["en", "vi"]
    window.languages_action.trigger()
    qtbot.waitUntil(
        lambda: window.languages_dialog is not None and window.languages_dialog.isVisible()
    )
    dialog = window.languages_dialog
    assert dialog is not None
    assert dialog.chosen() == ["en", "vi"]
    dialog.boxes["es"].click()
    dialog.grab().save(str(tmp_path / "my-languages.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    assert sample_core.languages == ["en", "es", "vi"]
