"""'Message to organizers': a short note the next sync delivers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.tasks import TaskRunner, plain_message

if TYPE_CHECKING:
    from desktop.ui.core_api import CoreAPI

MAX_LENGTH = 5000


class FeedbackDialog(QDialog):
    """Write a message; it is queued on the laptop and sent at the next sync."""

    def __init__(
        self,
        core: CoreAPI,
        tasks: TaskRunner,
        campaign_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(self.tr("Message to organizers"))
        self.setMinimumWidth(520)
        self._core = core
        self._tasks = tasks
        self._campaign_id = campaign_id

        intro = QLabel(
            self.tr(
                "Tell the organizers what you hear on the phone, or what would help you. "
                "It is sent with the next sync, even if you are offline now."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("feedbackText")
        self.text.setAccessibleName(self.tr("Message"))
        self.text.setTabChangesFocus(True)
        self.error = QLabel(self)
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Send"))
        ok.setProperty("primary", True)
        ok.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.send)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def send(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            self._show_error(self.tr("Please write a message first."))
            return
        if len(text) > MAX_LENGTH:
            self._show_error(
                self.tr("The message is too long (%1 characters; at most %2).")
                .replace("%1", str(len(text)))
                .replace("%2", str(MAX_LENGTH))
            )
            return
        self.buttons.setEnabled(False)
        campaign_id = self._campaign_id
        self._tasks.run_db(
            lambda: self._core.send_feedback(text, campaign_id),
            lambda _changes: self.accept(),
            self._failed,
            what="send_feedback",
        )

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show_error(plain_message(error))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
