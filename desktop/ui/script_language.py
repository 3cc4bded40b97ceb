"""The script's language during a call: one button showing the language being read; it and
F4 move to the script's next language. Hidden when the script has only one.

Switching changes only the words: the answers keep their codes (sync.protocol.Script
.in_language), so a call may switch halfway and the result says which language was read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from sync.languages import language_name

SWITCH_KEY = "F4"


class ScriptLanguageSwitch(QPushButton):
    """Which language the script is read in; pressing it (or F4) takes the next one."""

    sig_language_changed = Signal(str)
    """The caller switched the script to this language (a code such as "es")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptLanguage")
        self.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click keeps the focus on the answers
        self._languages: list[str] = []
        self._current = ""
        self.clicked.connect(self.next_language)
        self.hide()

    def install_shortcut(self, host: QWidget) -> None:
        """F4 anywhere inside `host`, typing included (it types nothing)."""
        shortcut = QShortcut(QKeySequence(SWITCH_KEY), host)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.next_language)

    def set_languages(self, languages: list[str], current: str | None = None) -> None:
        """The script's languages, its own first; shows `current` (default the first)."""
        self._languages = list(languages)
        wanted = current if current in self._languages else None
        self._current = wanted or (self._languages[0] if self._languages else "")
        self.setVisible(len(self._languages) > 1)
        self._show()

    def language(self) -> str:
        """The language being read ("" when there is no script)."""
        return self._current

    def choose(self, language: str) -> None:
        if language in self._languages and language != self._current:
            self._current = language
            self._show()
            self.sig_language_changed.emit(language)

    def next_language(self) -> None:
        if len(self._languages) > 1:
            index = self._languages.index(self._current)
            self.choose(self._languages[(index + 1) % len(self._languages)])

    def _show(self) -> None:
        name = language_name(self._current) if self._current else ""
        others = [language_name(code) for code in self._languages if code != self._current]
        self.setText(self.tr("Script: %1 (%2)").replace("%1", name).replace("%2", SWITCH_KEY))
        tip = self.tr("Read the script in %1 (%2); the answers are kept")
        self.setToolTip(tip.replace("%1", " / ".join(others)).replace("%2", SWITCH_KEY))
        self.setAccessibleName("scriptLanguage")
        self.setAccessibleDescription(self.text())
