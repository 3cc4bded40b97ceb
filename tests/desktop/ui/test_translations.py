"""The interface in English and Spanish: complete .ts files, plural forms, the system's
language or the one chosen in the app, remembered for the next start."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStatusBar
from pytestqt.qtbot import QtBot

from desktop.demo import DemoHubError
from desktop.paths import AppPaths
from desktop.services.core import PhonebankCore, UserError
from desktop.services.views import StatusView
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import message_text
from desktop.ui.sample_core import SampleCore
from desktop.ui.status_bar import StatusWidgets
from desktop.ui.tasks import plain_message
from desktop.ui.translations import effective_language, install_language
from sync.messages import Code, Message
from sync.protocol import MAX_LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
TS_DIR = ROOT / "resources" / "translations"


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_translations", ROOT / "packaging" / "check_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    return load_checker()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """Switch the installed interface language; English again afterwards."""
    yield lambda code: (install_language(qapp, code), None)[1]
    install_language(qapp, "en")


def test_every_source_string_is_translated(checker: ModuleType) -> None:
    # lupdate over desktop/ into a temporary file, compared with the committed .ts files.
    assert checker.problems(TS_DIR) == []


def test_a_missing_or_unfinished_string_is_reported(checker: ModuleType, tmp_path: Path) -> None:
    for ts in TS_DIR.glob("*.ts"):
        shutil.copy(ts, tmp_path / ts.name)
    spanish = tmp_path / "phonebank_es.ts"
    text = spanish.read_text(encoding="utf-8")
    text = re.sub(
        r"\s*<message>\s*<source>Get more names</source>.*?</message>",
        "",
        text,
        count=1,
        flags=re.S,
    )
    text = text.replace(
        "<translation>Copiado</translation>", '<translation type="unfinished">Copiado</translation>'
    )
    text = text.replace(
        "<translation>Mismo hogar: %1</translation>", "<translation>Mismo hogar</translation>"
    )
    spanish.write_text(text, encoding="utf-8")
    found = checker.problems(tmp_path)
    assert any("missing 'Get more names' (context CallScreen)" in line for line in found)
    assert any("unfinished translation of 'Copied'" in line for line in found)
    assert any("'Same household: %1'" in line and "placeholders" in line for line in found)
    assert len(found) == 3, found


def test_make_translations_keeps_every_translation(checker: ModuleType, tmp_path: Path) -> None:
    # `make translations` (checker.update) over copies of the committed files changes no
    # entry: every plural lupdate reads in the sources stays a plural with its forms.
    for ts in TS_DIR.glob("*.ts"):
        shutil.copy(ts, tmp_path / ts.name)
    checker.update(tmp_path)
    for ts in sorted(TS_DIR.glob("*.ts")):
        assert checker.read_catalog(tmp_path / ts.name) == checker.read_catalog(ts), ts.name
    spanish = checker.read_catalog(tmp_path / "phonebank_es.ts")
    reserved = spanish[("messages", "%n name(s) reserved for you.")]
    assert reserved.numerus
    assert reserved.forms == ("%n nombre reservado para ti.", "%n nombres reservados para ti.")
    plurals = [key for key, entry in spanish.items() if key[0] == "messages" and entry.numerus]
    assert len(plurals) == 15


def test_a_plural_lupdate_does_not_read_as_one_is_reported(
    checker: ModuleType, tmp_path: Path
) -> None:
    # translate() with a name for the count: lupdate takes it for a Qt 4 encoding argument.
    source = tmp_path / "texts.py"
    source.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def text(n):\n"
        '    return QCoreApplication.translate("messages", "%n name(s) left", None, n)\n',
        encoding="utf-8",
    )
    ts_dir = tmp_path / "ts"
    ts_dir.mkdir()
    (ts_dir / "phonebank_es.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="es"><context><name>messages</name>'
        '<message numerus="yes"><source>%n name(s) left</source><translation>'
        "<numerusform>queda %n nombre</numerusform><numerusform>quedan %n nombres</numerusform>"
        "</translation></message></context></TS>\n",
        encoding="utf-8",
    )
    assert checker.problems(ts_dir, [source]) == [
        "phonebank_es.ts: '%n name(s) left' (context messages) is a plural in the file but "
        "lupdate does not read it as one in the sources"
    ]


@pytest.mark.parametrize(
    ("code", "one", "five"),
    [
        ("en", "1 name reserved for you.", "5 names reserved for you."),
        ("es", "1 nombre reservado para ti.", "5 nombres reservados para ti."),
    ],
)
def test_message_plurals_come_from_the_translation(
    language: Callable[[str], None], code: str, one: str, five: str
) -> None:
    language(code)
    said = [message_text(Message(Code.NAMES_RESERVED, {"n": n})) for n in (1, 5)]
    assert said == [one, five]


def test_core_and_demo_hub_errors_are_said_in_the_interface_language(
    language: Callable[[str], None], tmp_path: Path
) -> None:
    language("es")
    core = PhonebankCore(tmp_path / "laptop", config_dir=tmp_path / "config")
    try:
        with pytest.raises(UserError) as bad_code:
            core.set_my_languages(["Spanish"])
        with pytest.raises(UserError) as too_many:
            core.set_my_languages([f"x{chr(97 + i)}" for i in range(MAX_LANGUAGES + 1)])
        with pytest.raises(UserError) as not_ours:
            core.set_language("fr")
    finally:
        core.close()
    assert [plain_message(e.value) for e in (bad_code, too_many, not_ours)] == [
        "'spanish' no es un código de idioma (dos o tres letras, p. ej. es).",
        f"Como máximo {MAX_LANGUAGES} idiomas.",
        "Phonebank no está traducido a 'fr'.",
    ]
    slow = DemoHubError(Code.DEMO_HUB_SLOW, log="/tmp/demo/hub.log")
    assert str(slow) == "The demo hub did not start in time; see /tmp/demo/hub.log."
    assert plain_message(UserError(slow.msg)) == (
        "El hub de demostración no se inició a tiempo; mira /tmp/demo/hub.log."
    )


def status(pending: int) -> StatusView:
    return replace(SampleCore().status(), pending=pending)


@pytest.mark.parametrize(
    ("code", "one", "many"),
    [
        ("en", "1 result waiting to send", "1,250 results waiting to send"),
        ("es", "1 resultado por enviar", "1,250 resultados por enviar"),
    ],
)
def test_plural_forms_in_both_languages(
    qtbot: QtBot, language: Callable[[str], None], code: str, one: str, many: str
) -> None:
    language(code)
    bar = QStatusBar()
    qtbot.addWidget(bar)
    widgets = StatusWidgets(bar)
    widgets.show_status(status(1))
    assert widgets.pending_count.text() == one
    widgets.show_status(status(1250))
    assert widgets.pending_count.text() == many


def test_qt_own_buttons_are_translated(qtbot: QtBot, language: Callable[[str], None]) -> None:
    language("es")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"


@pytest.mark.parametrize(
    ("choice", "system", "shown"),
    [
        ("", "es_MX", "es"),  # follows the system
        ("", "fr_FR", "en"),  # a language we do not have: English
        ("en", "es_US", "en"),  # the choice in the app wins
        ("es", "en_US", "es"),
    ],
)
def test_language_follows_system_unless_chosen(choice: str, system: str, shown: str) -> None:
    assert effective_language(choice, QLocale(system)) == shown


def test_language_chosen_in_the_menu_is_saved_and_said_in_it(
    main_window: Callable[[], MainWindow], sample_core: SampleCore, qtbot: QtBot
) -> None:
    window = main_window()
    assert window.language_actions[""].isChecked()  # the system's, until chosen
    with qtbot.waitSignal(window.sig_language_saved):
        window.language_actions["es"].trigger()
    assert sample_core.language == "es"
    assert window.language_actions["es"].isChecked()
    # Told in the language chosen, though the window is still in English until restarted.
    assert window.statusBar().currentMessage() == (
        "Phonebank estará en Español la próxima vez que lo abras."
    )


def test_the_saved_language_applies_at_start(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, language: Callable[[str], None]
) -> None:
    from desktop import app

    paths = AppPaths(data=tmp_path, config=tmp_path / "config", log=tmp_path / "logs").create()
    Settings(language="es").save(paths.settings)
    assert app.apply_language_setting(qapp, paths) == "es"
    window = MainWindow(SampleCore(signed_in=False), app.TaskRunner(), sync_interval=3600)
    qtbot.addWidget(window)
    app.prepare_window(window, paths, None)
    assert window.sign_in.sign_in_button.text() == "Iniciar sesión"
    assert window.language_actions["es"].isChecked()


def test_settings_from_version_2_keep_the_language_by_code(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for stored, kept in (("es_MX", "es"), ("es-419", "es"), ("EN", "en"), ("Klingon", "")):
        path.write_text(json.dumps({"version": 2, "language": stored}))
        assert Settings.load(path).language == kept
