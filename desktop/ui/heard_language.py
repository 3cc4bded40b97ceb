"""After "Language barrier": which language the voter spoke (optional). Named, the person goes
back to the pool for volunteers who speak it (the hub's reservation pool), and only to them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from sync.languages import COMMON, language_name


class HeardLanguagePicker(QWidget):
    """ "They spoke: [not sure / Español / 中文 / ...]", shown for a language barrier only."""

    sig_changed = Signal()
    """The caller chose (or cleared) the language heard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heardLanguageRow")
        label = QLabel(self.tr("They spoke:"), self)
        self._combo = QComboBox(self)
        self._combo.setObjectName("heardLanguage")
        self._combo.setAccessibleName("heardLanguage")
        self._combo.setAccessibleDescription(
            self.tr("The language the person spoke, so someone who speaks it can call back")
        )
        label.setBuddy(self._combo)
        self._combo.currentIndexChanged.connect(self.sig_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self._combo)
        layout.addStretch(1)
        self.set_choices([])
        self.hide()

    def set_choices(self, first: list[str]) -> None:
        """`first` (e.g. the script's other languages) at the top, then the common ones."""
        self._combo.blockSignals(True)
        self._combo.clear()
        self._combo.addItem(self.tr("Not sure (nobody follows up)"), None)
        for code in dict.fromkeys([*first, *COMMON]):
            self._combo.addItem(language_name(code), code)
        self._combo.blockSignals(False)

    def language(self) -> str | None:
        """The language chosen, or None (not sure)."""
        if self.isHidden():
            return None
        code = self._combo.currentData()
        return str(code) if code else None

    def choose(self, code: str | None) -> None:
        index = self._combo.findData(code) if code else 0
        self._combo.setCurrentIndex(max(index, 0))
