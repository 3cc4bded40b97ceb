"""Sign in: hub address, email, password. Errors in plain words, right under the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.resources import icon_path
from desktop.ui.tasks import TaskRunner, plain_message

if TYPE_CHECKING:
    from desktop.services.views import SignedIn
    from desktop.ui.core_api import CoreAPI


class SignInScreen(QWidget):
    """The sign-in form; signs in through the core on the network pool."""

    sig_signed_in = Signal(object)
    """Sign-in succeeded: the `Account`."""

    def __init__(self, core: CoreAPI, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self._core = core
        self._tasks = tasks

        card = QFrame(self)
        card.setObjectName("card")
        card.setFixedWidth(480)

        logo = QLabel(card)
        logo.setPixmap(
            QPixmap(str(icon_path())).scaled(
                56,
                56,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        title = QLabel(self.tr("Sign in to Phonebank"), card)
        title.setObjectName("screenTitle")
        title.setWordWrap(True)  # translations run longer than the English
        subtitle = QLabel(
            self.tr(
                "Use the account your campaign's organizers gave you. "
                "You stay signed in on this computer."
            ),
            card,
        )
        subtitle.setObjectName("screenSubtitle")
        subtitle.setWordWrap(True)

        self.hub_url = QLineEdit(card)
        self.hub_url.setObjectName("hubUrl")
        self.hub_url.setAccessibleName("hubUrl")
        self.hub_url.setPlaceholderText("https://hub.example.org")
        self.email = QLineEdit(card)
        self.email.setObjectName("email")
        self.email.setAccessibleName("email")
        self.email.setPlaceholderText("you@example.org")
        self.password = QLineEdit(card)
        self.password.setObjectName("password")
        self.password.setAccessibleName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.hub_url, self.email, self.password):
            edit.returnPressed.connect(self.sign_in)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(6)
        for text, edit in (
            (self.tr("&Hub address"), self.hub_url),
            (self.tr("&Email"), self.email),
            (self.tr("&Password"), self.password),
        ):
            label = QLabel(text, card)
            edit.setAccessibleDescription(text.replace("&", ""))  # the name is SPEC's id
            label.setObjectName("fieldLabel")
            label.setBuddy(edit)
            form.addRow(label, edit)

        self.error = QLabel(card)
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.sign_in_button = QPushButton(self.tr("Sign in"), card)
        self.sign_in_button.setObjectName("signIn")
        self.sign_in_button.setAccessibleName("signIn")
        self.sign_in_button.setAccessibleDescription(self.tr("Sign in"))
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.clicked.connect(self.sign_in)

        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(logo)
        header.addWidget(title, 1)

        layout = QVBoxLayout(card)
        layout.setContentsMargins(40, 36, 40, 36)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(self.sign_in_button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def prefill(self, hub_url: str = "", email: str = "", message: str = "") -> None:
        """Fill what is known (never over what the user already typed) and say why the form
        is showing (e.g. the hub asked to sign in again)."""
        if hub_url and not self.hub_url.text():
            self.hub_url.setText(hub_url)
        if email and not self.email.text():
            self.email.setText(email)
        if message:
            self.password.clear()
        self.show_error(message)

    def owns_focus(self) -> bool:
        """The user is already working in this form (do not move their cursor)."""
        focused = QApplication.focusWidget()
        return focused is not None and self.isAncestorOf(focused)

    def focus_first_empty(self) -> None:
        for edit in (self.hub_url, self.email, self.password):
            if not edit.text():
                edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def sign_in(self) -> None:
        hub_url = self.hub_url.text().strip()
        email = self.email.text().strip()
        password = self.password.text()
        missing = [
            name
            for name, value in (
                (self.tr("the hub address"), hub_url),
                (self.tr("your email"), email),
                (self.tr("your password"), password),
            )
            if not value
        ]
        if missing:
            self.show_error(
                self.tr("Please enter %1.").replace("%1", self.tr(" and ").join(missing))
            )
            self.focus_first_empty()
            return
        # An address without http:// or https:// is completed by the core: http for this
        # machine and the office network, https for anything else.
        self._set_busy(True)
        self.show_error("")
        self._tasks.run_net(
            lambda: self._core.sign_in(hub_url, email, password),
            self._signed_in,
            self._failed,
            what="sign_in",
        )

    def _set_busy(self, busy: bool) -> None:
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))

    def _signed_in(self, signed_in: SignedIn) -> None:
        self._set_busy(False)
        self.password.clear()
        self.sig_signed_in.emit(signed_in.account)  # the window says so if there is no keyring

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_error(plain_message(error))
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password.selectAll()
