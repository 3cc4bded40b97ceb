"""The interface language: which one to use, and Qt translators that load it.

Our strings come from `phonebank_<lang>.qm` (built by `make` from resources/translations/*.ts
with pyside6-lrelease, never committed), Qt's own (standard buttons, the line edit's menu)
from `qtbase_<lang>.qm`. English is the source language; `phonebank_en.qm` carries only the
plural forms ("%n results"), which Qt cannot guess from the source text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.ui.resources import resources_dir

SOURCE_LANGUAGE = "en"
# Code -> the language's name in itself (a menu must be readable by who cannot read the
# current language).
LANGUAGES = {"en": "English", "es": "Español"}
REGIONAL_LOCALES = {"en": "en_US", "es": "es_US"}
# The checkout's build folder (`make` writes the .qm files there); the bundle keeps them in
# resources/translations, a wheel in the package (packaging/build_backend.py).
CHECKOUT_QM = Path(__file__).resolve().parents[2] / "build" / "translations"
WHEEL_QM = Path(__file__).resolve().parents[1] / "translations"


def qm_folders() -> list[Path]:
    return [resources_dir() / "translations", WHEEL_QM, CHECKOUT_QM]


def effective_language(choice: str, system: QLocale | None = None) -> str:
    """The language to show: the user's `choice` when we have it, else the system's first UI
    language we have, else English. `choice` "" means "follow the system"."""
    if choice in LANGUAGES:
        return choice
    locale = system or QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def translate_in(language: str, context: str, text: str, folders: list[Path] | None = None) -> str:
    """`text` in `language`, whatever language is installed now (to say "the app will be in
    Spanish from the next start" in Spanish)."""
    translator = QTranslator()
    for folder in folders or qm_folders():
        if translator.load(f"phonebank_{language}", str(folder)):
            return translator.translate(context, text) or text
    return text


def install_language(
    app: QCoreApplication, language: str, folders: list[Path] | None = None
) -> list[QTranslator]:
    """Replace the translators an earlier call installed with those for `language` (a code
    in LANGUAGES). Returns the installed translators; a missing .qm file just leaves those
    strings in English."""
    for old in app.findChildren(QTranslator, "phonebankTranslator"):
        app.removeTranslator(old)
        old.deleteLater()
    sources = [(f"phonebank_{language}", path) for path in folders or qm_folders()]
    if language != SOURCE_LANGUAGE:
        qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        sources.append((f"qtbase_{language}", qt_folder))
    installed: list[QTranslator] = []
    loaded: set[str] = set()
    for name, folder in sources:
        if name in loaded:
            continue  # the bundle's copy wins over the checkout's
        translator = QTranslator(app)
        translator.setObjectName("phonebankTranslator")
        if translator.load(name, str(folder)) and app.installTranslator(translator):
            installed.append(translator)
            loaded.add(name)
        else:
            translator.deleteLater()
    # Numbers and dates follow: the system's own locale when it speaks this language,
    # else the campaign's region (US Spanish: 1,234.5, not 1.234,5).
    system = QLocale.system()
    same = system.language() == QLocale(REGIONAL_LOCALES[language]).language()
    QLocale.setDefault(system if same else QLocale(REGIONAL_LOCALES[language]))
    return installed
