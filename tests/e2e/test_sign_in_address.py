"""Issue 12 point 9: a hub address typed without http:// reaches a hub on this machine or the
office network over http; https to a hub that speaks http says so, not "bad certificate"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from sync.client.http import normalize_hub_url
from tests.desktop.ui.helpers import type_keys
from tests.e2e.seed import VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD, Seeded
from tests.e2e.test_calls_offline_keyboard import WAIT, app_window, focused_name  # noqa: F401
from tests.support.hub_process import HubProcess


def type_sign_in(qtbot: QtBot, window: MainWindow, address: str) -> None:
    qtbot.waitUntil(lambda: focused_name() == "hubUrl", timeout=WAIT)
    window.sign_in.hub_url.clear()
    type_keys(qtbot, address, Qt.Key.Key_Tab, VOLUNTEER_EMAIL, Qt.Key.Key_Tab)
    type_keys(qtbot, VOLUNTEER_PASSWORD, Qt.Key.Key_Return)


def test_an_address_without_a_scheme_signs_in_to_a_hub_on_this_machine(
    qtbot: QtBot,
    seeded_hub_db: Seeded,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        window = app_window()
        type_sign_in(qtbot, window, hub.url.removeprefix("http://"))  # "127.0.0.1:PORT"
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.campaigns, timeout=WAIT)
    finally:
        hub.stop()


def test_https_to_a_plain_http_hub_says_so_in_plain_words(
    qtbot: QtBot,
    seeded_hub_db: Seeded,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        window = app_window()
        secure = hub.url.replace("http://", "https://")
        type_sign_in(qtbot, window, secure)
        error = window.sign_in.findChild(QLabel, "inlineError")
        qtbot.waitUntil(lambda: error.isVisible() and bool(error.text()), timeout=WAIT)
        assert "does not use a secure (https) connection" in error.text()
        assert hub.url in error.text()  # the address to type instead
        assert "certificate" not in error.text()
    finally:
        hub.stop()


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("localhost:8765", "http://localhost:8765"),
        ("192.168.1.20:8765", "http://192.168.1.20:8765"),
        ("10.0.0.5", "http://10.0.0.5"),
        ("fieldoffice:8765", "http://fieldoffice:8765"),
        ("hub.local", "http://hub.local"),
        ("[::1]:8765", "http://[::1]:8765"),
        ("hub.neighborsforohio.org", "https://hub.neighborsforohio.org"),
        ("8.8.8.8", "https://8.8.8.8"),
    ],
)
def test_the_scheme_a_bare_address_gets(typed: str, url: str) -> None:
    assert normalize_hub_url(typed) == url
