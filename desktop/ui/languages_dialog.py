"""'My languages': which languages the volunteer speaks. Language-barrier call-backs in one
of them may then be given to them; the next sync tells the hub (offline too: it waits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.tasks import TaskRunner, plain_message
from sync.languages import COMMON, language_name

if TYPE_CHECKING:
    from desktop.ui.core_api import CoreAPI

COLUMNS = 3


class LanguagesDialog(QDialog):
    """A tick per language; Save keeps them on the laptop for the next sync to send."""

    def __init__(
        self, core: CoreAPI, tasks: TaskRunner, current: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("languagesDialog")
        self.setWindowTitle(self.tr("My languages"))
        self._core = core
        self._tasks = tasks
        intro = QLabel(
            self.tr(
                "Which languages can you make calls in? When a voter could not be helped "
                "because of their language, the call goes to a volunteer who speaks it."
            ),
            self,
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        # English first, then the common ones; any other code the volunteer has, kept.
        for index, code in enumerate(dict.fromkeys(["en", *COMMON, *current])):
            box = QCheckBox(language_name(code), self)
            box.setObjectName(f"language_{code}")
            box.setChecked(code in current)
            self.boxes[code] = box
            grid.addWidget(box, *divmod(index, COLUMNS))
        self.error = QLabel(self)
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def save(self) -> None:
        self.buttons.setEnabled(False)
        codes = self.chosen()
        self._tasks.run_db(
            lambda: self._core.set_my_languages(codes),
            lambda _none: self.accept(),
            self._failed,
            what="set_my_languages",
        )

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(plain_message(error))
        self.error.show()
