"""desktop/ui/messages.py: every message code has its text, with Qt's %n plurals, and the app
shows the translated text when a translation is loaded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from pytestqt.qtbot import QtBot

from desktop.services.errors import UserError
from desktop.services.views import Account, ReserveOutcome
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import has_text, message_text
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import plain_message
from sync.messages import Code, Message, Params
from tests.desktop.ui.helpers import type_keys


def sample_params(n: int) -> Params:
    """Every parameter any code takes; each code uses its own."""
    return {
        "n": n,
        "seconds": n,
        "minutes": n,
        "cap": n,
        "sent": n,
        "names": n,
        "reserved": 1,
        "window": "hour",
        "id": 42,
        "list": "Ohio",
        "campaign": "GOTV",
        "start": "09:00",
        "end": "21:00",
        "at": "12:00:00",
        "megabytes": 8,
        "where": "body.call_list_id",
        "problem": "not a number",
        "header": "X-Phonebank-Protocol",
        "value": "x",
        "url": "https://hub.example.org",
        "plain": "http://hub.example.org",
        "status": 502,
        "detail": "The hub's own words.",
        "address": "ftp://x",
        "email": "sam@example.org",
        "kind": "KeyError",
        "question": "support",
        "max": 5000,
        "field": "started_at",
        "error": "disk full",
        "path": "/data/phonebank.db",
        "version": 9,
        "known": 8,
        "text": "Words from elsewhere.",
        "language": "fr",
        "log": "/tmp/demo/hub.log",
    }


def test_every_code_has_a_text_in_the_app() -> None:
    missing = [code for code in Code if not has_text(code)]
    assert missing == []


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("n", [1, 2, 5, 90, 7200])
def test_untranslated_the_app_says_what_the_core_says_in_english(n: int) -> None:
    for code in Code:
        message = Message(code, sample_params(n))
        text = message_text(message)
        assert text == str(message), code
        assert "(s)" not in text and "%" not in text, code


@pytest.mark.usefixtures("qapp")
def test_english_plurals_follow_the_count() -> None:
    assert message_text(Message(Code.NAMES_RESERVED, {"n": 1})) == "1 name reserved for you."
    assert message_text(Message(Code.NAMES_RESERVED, {"n": 20})) == "20 names reserved for you."
    sent = Message(Code.SYNC_DONE, {"sent": 1, "names": 20, "reserved": 1})
    assert message_text(sent) == "1 result sent; 20 names reserved for you."
    cap = {"cap": 1, "window": "day", "campaign": "GOTV", "seconds": 3 * 3600}
    assert message_text(Message(Code.LIST_CAP, cap)) == (
        "You have had 1 list from 'GOTV' in the last 24 hours, the most its organizers "
        "allow. You can ask for more names in 3 hours."
    )
    then = Message(Code.HUB_TIMEOUT, {"url": "http://h"}, Message(Code.CHECK_CONNECTION))
    assert message_text(then) == (
        "The hub at http://h did not answer in time. Check the address and your connection."
    )


# A translation with Polish plural rules (1; 2-4; 5+), compiled by Qt's own lrelease.
POLISH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>messages</name>
    <message numerus="yes">
        <source>%n name(s) reserved for you.</source>
        <translation>
            <numerusform>%n nazwisko dla ciebie.</numerusform>
            <numerusform>%n nazwiska dla ciebie.</numerusform>
            <numerusform>%n nazwisk dla ciebie.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>Zły e-mail lub hasło.</translation>
    </message>
    <message>
        <source>There is no call list with id %1.</source>
        <translation>Nie ma listy o numerze %1.</translation>
    </message>
</context>
</TS>
"""


@pytest.fixture
def polish(qapp: QCoreApplication, tmp_path: Path) -> Iterator[QTranslator]:
    source = tmp_path / "phonebank_pl.ts"
    source.write_text(POLISH_TS, encoding="utf-8")
    compiled = tmp_path / "phonebank_pl.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([lrelease, source, "-qm", compiled], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(compiled))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_a_translation_picks_its_own_plural_forms(polish: QTranslator) -> None:
    said = [message_text(Message(Code.NAMES_RESERVED, {"n": n})) for n in (1, 3, 5, 22)]
    assert said == [
        "1 nazwisko dla ciebie.",
        "3 nazwiska dla ciebie.",
        "5 nazwisk dla ciebie.",
        "22 nazwiska dla ciebie.",
    ]
    unknown = Message(Code.UNKNOWN_LIST, {"id": 7})
    assert message_text(unknown) == "Nie ma listy o numerze 7."
    assert str(unknown) == "There is no call list with id 7."  # the log keeps English
    # Errors carry their message to the screen; the English is only for the log.
    assert plain_message(UserError(Message(Code.WRONG_CREDENTIALS))) == "Zły e-mail lub hasło."


def test_the_app_shows_the_translated_text_of_a_code(
    qtbot: QtBot,
    polish: QTranslator,
    main_window: Callable[[], MainWindow],
    sample_core: SampleCore,
) -> None:
    sample_core.signed_in = False

    def refuse(hub_url: str, email: str, password: str) -> Account:
        raise UserError(Message(Code.SIGN_IN_REFUSED))

    sample_core.sign_in = refuse  # type: ignore[method-assign]
    window = main_window()
    form = window.sign_in
    qtbot.waitUntil(lambda: form.hub_url.text() != "")
    form.email.setText("sam@example.org")
    form.password.setFocus()
    type_keys(qtbot, "secret", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error.isVisible())
    assert form.error.text() == "Zły e-mail lub hasło."


def test_get_names_shows_the_translated_outcome(
    qtbot: QtBot,
    polish: QTranslator,
    main_window: Callable[[], MainWindow],
    sample_core: SampleCore,
) -> None:
    reserved = Message(Code.NAMES_RESERVED, {"n": 3})

    def request_names(call_list_id: int) -> ReserveOutcome:
        return ReserveOutcome("empty", str(reserved), msg=reserved)  # "empty": no page change

    sample_core.request_names = request_names  # type: ignore[method-assign]
    window = main_window()
    qtbot.waitUntil(lambda: window.work.current_list is not None)
    window.show_campaigns()
    screen = window.campaigns
    qtbot.waitUntil(lambda: screen.list_picker.count() == 4)
    screen.set_next_request_at(None)
    screen.reserve_button.click()
    qtbot.waitUntil(lambda: screen.message.text() == "3 nazwiska dla ciebie.")
