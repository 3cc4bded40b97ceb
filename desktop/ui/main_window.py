"""The main window: sign in, choose a state, call — plus the menu, the banner, the status bar.

It decides which page shows; the pages do their own work through the core and the task
runner, and refresh themselves from the `Changes` every finished use case publishes
(`TaskRunner.sig_changes`). The window's own part of that is the status bar: a save's
pending count and goal are shown as they came, anything wider asks for the status again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.ui.campaigns import CampaignsScreen
from desktop.ui.feedback_dialog import FeedbackDialog
from desktop.ui.languages_dialog import LanguagesDialog
from desktop.ui.messages import say
from desktop.ui.resources import icon_path
from desktop.ui.sign_in import SignInScreen
from desktop.ui.status_bar import StatusWidgets
from desktop.ui.sync_scheduler import SyncScheduler
from desktop.ui.tasks import TaskRunner, plain_message
from desktop.ui.translations import LANGUAGES, effective_language, translate_in
from desktop.ui.work_screen import WorkScreen

if TYPE_CHECKING:
    from desktop.services.views import (
        Account,
        Changes,
        MyList,
        ReserveOutcome,
        StatusView,
        SyncReport,
    )
    from desktop.ui.core_api import CoreAPI


MIN_WIDTH, MIN_HEIGHT = 760, 520


class MainWindow(QMainWindow):
    """Phonebank's only window."""

    sig_result_saved = Signal(str)
    """A result is durably saved on this laptop (its UUID)."""
    sig_synced = Signal(object)
    """A sync round finished (its `SyncReport`)."""
    sig_language_saved = Signal(str)
    """The interface language chosen in the menu is saved ("" follows the system's)."""
    sig_usable = Signal()
    """Once per start: the first page the user can act on is shown with its data — the
    sign-in form, the campaigns, or the list with the first name's call screen."""

    def __init__(
        self,
        core: CoreAPI,
        tasks: TaskRunner,
        *,
        sync_interval: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(QIcon(str(icon_path())))
        # Fits a 1024x600 netbook and an 800x600 screen (the call page scrolls; Save & next
        # stays on screen).
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self._core = core
        self._tasks = tasks
        self._account: Account | None = None
        self._last_status: StatusView | None = None
        self._landing = False
        self._usable = False
        self._status_queued = False  # a status read is queued and has not started yet
        # Replaceable in tests: confirm signing out with unsent results; what to do with a
        # call in progress when closing ("keep", "discard" or "cancel").
        self.confirm_lose_results = self._ask_lose_results
        self.ask_close_mid_call: Callable[[str], str] = self._ask_close_mid_call
        # Set by the app: after a failed start, fix what it can (True: start again).
        self.recover_start: Callable[[], bool] | None = None
        # (hub URL, text): a notice shown whenever signed in to that hub (the demo's).
        self._standing_notice: tuple[str, str] | None = None

        self.sign_in = SignInScreen(core, tasks)
        self.campaigns = CampaignsScreen(core, tasks)
        self.work = WorkScreen(core, tasks)
        self.languages_dialog: LanguagesDialog | None = None  # "My languages…", once opened
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.opening = QLabel(self.tr("Opening Phonebank…"))
        self.opening.setObjectName("emptyText")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for page in (self.opening, self.sign_in, self.campaigns, self.work):
            self.pages.addWidget(page)

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        central = QWidget()
        central.setObjectName("centralArea")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status = StatusWidgets(self.statusBar())
        self.scheduler = SyncScheduler(core, tasks, interval=sync_interval, parent=self)
        self.status.sync_now.clicked.connect(self.scheduler.sync_now)
        self._build_menu()

        self.sign_in.sig_signed_in.connect(self._signed_in)
        self.campaigns.sig_list_reserved.connect(self._list_reserved)
        self.campaigns.sig_campaign_shown.connect(self._show_chosen_campaign_goal)
        self.campaigns.sig_back_to_list_requested.connect(self.show_work)
        self.work.sig_choose_list_requested.connect(self.show_campaigns)
        self.work.sig_list_changed.connect(self._list_changed)
        self.work.sig_result_saved.connect(self._result_saved)
        self.work.sig_call_shown.connect(self._call_shown)
        # With results unsent, the hub hears of a release only through a sync (results first).
        self.work.sig_names_released.connect(lambda _count: self.scheduler.sync_now())
        self.scheduler.sig_started.connect(lambda: self.status.set_syncing(True))
        self.scheduler.sig_synced.connect(self._synced)
        tasks.sig_changes.connect(self._changed)

        self._ticker = QTimer(self)
        self._ticker.setObjectName("ticker")
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self.pages.setCurrentWidget(self.opening)  # until the saved account is known

    # ------------------------------------------------------------------ start-up

    def start(self) -> None:
        """Show the right page for the saved account (or the sign-in form)."""

        def load() -> tuple[Account | None, str]:
            return self._core.saved_account(), self._core.default_hub_url

        self._tasks.run_db(load, self._account_loaded, self._start_failed, what="saved_account")

    def _account_loaded(self, loaded: tuple[Account | None, str]) -> None:
        account, hub_url = loaded
        if (
            account is not None
            and account.has_token
            and (not hub_url or hub_url == account.hub_url)
        ):
            self._signed_in(account)
            return
        self.show_sign_in(
            hub_url or (account.hub_url if account else ""), account.email if account else ""
        )

    def _start_failed(self, error: BaseException) -> None:
        if self.recover_start is not None and self.recover_start():
            self.start()
            return
        self.show_sign_in(message=plain_message(error))

    def show_sign_in(self, hub_url: str = "", email: str = "", message: str = "") -> None:
        self.scheduler.stop()
        self.sign_in.prefill(hub_url, email, message)
        self.pages.setCurrentWidget(self.sign_in)
        self.statusBar().hide()  # nothing to report before signing in
        if message or not self.sign_in.owns_focus():
            self.sign_in.focus_first_empty()
        self._update_actions()
        self._say_usable()

    def set_standing_notice(self, hub_url: str, text: str) -> None:
        """Show `text` whenever signed in to `hub_url`, after a sign-out and back too (the
        demo says it is a practice hub every time, not only the first)."""
        self._standing_notice = (hub_url, text)

    def accept_account(self, account: Account) -> None:
        """Signed in elsewhere (e.g. the demo signs in by itself): go on as after the form."""
        self._signed_in(account)

    def _signed_in(self, account: Account) -> None:
        self._account = account
        self._landing = True
        self.statusBar().show()
        who = account.volunteer_name or account.email
        self.setWindowTitle(f"{APP_NAME} — {who}" if who else APP_NAME)
        notice = self._standing_notice
        if notice is not None and notice[0] == account.hub_url:
            self.show_banner(notice[1], kind="info")
        elif not account.remember:
            self.show_banner(
                self.tr(
                    "This computer has no keyring: you'll be asked for your password "
                    "next time you open Phonebank."
                ),
                kind="info",
            )
        self.show_campaigns()
        self.work.reload()
        if self._usable:
            self.scheduler.start()
        else:  # a cold start: the first sync waits until the list is on screen
            self.sig_usable.connect(self._start_syncing, Qt.ConnectionType.SingleShotConnection)
        self.refresh_status()
        self._update_actions()

    # ------------------------------------------------------------------ pages

    def show_campaigns(self) -> None:
        self.campaigns.set_has_list(self.work.current_list is not None)
        self.campaigns.reload()
        self.pages.setCurrentWidget(self.campaigns)
        self.campaigns.list_picker.setFocus()

    def show_work(self) -> None:
        self.pages.setCurrentWidget(self.work)
        if self.work.call.view is not None:
            self.work.call.script.focus_current()

    def _list_changed(self, my_list: MyList | None) -> None:
        self.campaigns.set_has_list(my_list is not None)
        if my_list is not None:
            self.campaigns.set_next_request_at(my_list.next_request_at)
        # Right after sign-in: straight to the list if there is one. A list read that answers
        # after a sign-out belongs to the account that left: it moves no page.
        if self._landing and self._account is not None:
            self._landing = False
            if my_list is not None and my_list.remaining:
                self.show_work()  # usable once its first name is shown
            else:
                self._say_usable()  # the campaigns page, read before the list

    def _call_shown(self) -> None:
        # On the list, or still landing (the list could not be read): usable as it is.
        if self.pages.currentWidget() is self.work or self._landing:
            self._say_usable()

    def _start_syncing(self) -> None:
        if self._account is not None:
            self.scheduler.start()

    def _say_usable(self) -> None:
        if not self._usable:
            self._usable = True
            self.sig_usable.emit()

    def _list_reserved(self, outcome: ReserveOutcome) -> None:
        self.work.open_first_of_new_list()  # the list itself reloads from the changes
        self.show_work()

    def _result_saved(self, result_id: str) -> None:
        # No status query and no sync round here: the save's changes carry the pending
        # count and the goal, and the scheduler pushes the outbox a moment later.
        self.sig_result_saved.emit(result_id)

    # ------------------------------------------------------------------ sync and status

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """The status bar's part of what a use case changed."""
        if changes.status or changes.account:
            self.refresh_status()
            return
        if changes.pending is not None:
            self.status.show_pending(changes.pending)
        progress = changes.progress
        shown = self._last_status.progress if self._last_status else None
        if progress is not None and (shown is None or shown.campaign_id == progress.campaign_id):
            self.status.show_goal(progress.calls_made, progress.goal, progress.mine)

    def refresh_status(self) -> None:
        """Read the status again (one read queued at a time: a second request while one is
        waiting to start would read the same)."""
        if self._status_queued:
            return
        self._status_queued = True

        def read() -> StatusView:
            self._status_queued = False  # from here on, a new request reads again
            return self._core.status()

        self._tasks.run_db(read, self._show_status, what="status")

    def _show_status(self, status: StatusView) -> None:
        self._last_status = status
        self.status.show_status(status)
        self._show_chosen_campaign_goal()

    def _show_chosen_campaign_goal(self) -> None:
        """Before any list is on the laptop, the goal shown is the chosen campaign's."""
        campaign = self.campaigns.selected_campaign()
        status = self._last_status
        if campaign is not None and (status is None or status.progress is None):
            self.status.show_goal(campaign.calls_made, campaign.goal, campaign.mine)

    def _synced(self, report: SyncReport) -> None:
        try:
            self._apply_sync_report(report)
        finally:
            self.sig_synced.emit(report)

    def _apply_sync_report(self, report: SyncReport) -> None:
        """The pages to show after a round; the screens refresh from its changes."""
        self.status.set_syncing(False)
        if report.needs_upgrade:
            self.show_banner(
                self.tr(
                    "This version of Phonebank is too old for the hub. Please upgrade the "
                    "app — your unsent results are kept safe until then."
                )
            )
        elif self.banner.property("kind") == "warning":
            self.banner.hide()
        if report.needs_sign_in:
            account = self._account
            self.show_sign_in(
                account.hub_url if account else "",
                account.email if account else "",
                self.tr("Please sign in again. Nothing you recorded is lost."),
            )
            return
        if report.reserved is not None:
            self.campaigns.show_message(say(report.reserved.msg, report.reserved.message))
            if report.reserved.kind == "reserved":
                self.show_work()

    def show_banner(self, text: str, kind: str = "warning") -> None:
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def _tick(self) -> None:
        now = datetime.now(UTC)
        self.work.list_panel.tick(now)
        self.work.tick(now)
        self.work.call.card.tick()
        self.campaigns.tick(now)

    # ------------------------------------------------------------------ menu

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Phonebank"))
        self.sync_action = QAction(self.tr("Sync now"), self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self.scheduler.sync_now)
        self.choose_action = QAction(self.tr("Choose a state…"), self)
        self.choose_action.setShortcut(QKeySequence("Ctrl+L"))
        self.choose_action.triggered.connect(self.show_campaigns)
        self.feedback_action = QAction(self.tr("Message to organizers…"), self)
        self.feedback_action.setShortcut(QKeySequence("Ctrl+M"))
        self.feedback_action.triggered.connect(self.open_feedback)
        self.languages_action = QAction(self.tr("My languages…"), self)
        self.languages_action.triggered.connect(self.open_languages)
        self.sign_out_action = QAction(self.tr("Sign out…"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.sync_action, self.choose_action, self.feedback_action):
            menu.addAction(action)
            self.addAction(action)  # shortcuts work even with the menu bar hidden
        menu.addAction(self.languages_action)
        menu.addMenu(self._build_language_menu())
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        menu.addAction(quit_action)
        self.addAction(quit_action)
        self._update_actions()

    def _build_language_menu(self) -> QMenu:
        """System language, then each language by its own name; checked: the saved choice."""
        menu = QMenu(self.tr("&Language"), self)
        menu.setObjectName("languageMenu")
        group = QActionGroup(menu)
        self.language_actions: dict[str, QAction] = {}
        choices = [("", self.tr("System language")), *LANGUAGES.items()]
        for code, name in choices:
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[code] = action
        self.language_actions[""].setChecked(True)
        return menu

    def show_language_choice(self, language: str) -> None:
        """Check the saved choice in the menu (the app calls this from the settings file)."""
        action = self.language_actions.get(language) or self.language_actions[""]
        action.setChecked(True)

    def choose_language(self, language: str) -> None:
        """Remember the language; it applies from the next start, which we say in it."""
        self.show_language_choice(language)
        self._tasks.run_db(
            lambda: self._core.set_language(language),
            lambda _none: self._language_saved(language),
            self._show_error,
            what="set_language",
        )

    def _language_saved(self, language: str) -> None:
        shown = effective_language(language)
        notice = translate_in(
            shown,
            "MainWindow",
            str(
                QT_TRANSLATE_NOOP(
                    "MainWindow", "Phonebank will be in %1 the next time you open it."
                )
            ),
        ).replace("%1", LANGUAGES[shown])
        self.statusBar().showMessage(notice, 15_000)
        self.sig_language_saved.emit(language)

    def _update_actions(self) -> None:
        signed_in = self.pages.currentWidget() not in (self.sign_in, self.opening)
        for action in (
            self.sync_action,
            self.choose_action,
            self.feedback_action,
            self.languages_action,
            self.sign_out_action,
        ):
            action.setEnabled(signed_in)

    def open_feedback(self) -> FeedbackDialog:
        my_list = self.work.current_list
        dialog = FeedbackDialog(
            self._core, self._tasks, my_list.campaign_id if my_list else None, self
        )
        dialog.open()  # what it queued reaches the status bar through its changes
        return dialog

    def open_languages(self) -> None:
        """'My languages…': read what the laptop knows, then ask."""
        self._tasks.run_db(self._core.my_languages, self._ask_languages, self._show_error)

    def _ask_languages(self, current: list[str]) -> None:
        self.languages_dialog = LanguagesDialog(self._core, self._tasks, current, self)
        self.languages_dialog.open()

    def sign_out(self) -> None:
        # On the network pool: signing out waits for a running sync round, which itself
        # waits for the database worker (the worker never waits for a round).
        self._tasks.run_net(
            lambda: self._core.sign_out(False),
            self._sign_out_answer,
            self._show_error,
            what="sign_out",
        )

    def _sign_out_answer(self, outcome: Any) -> None:
        if outcome.signed_out:
            self._signed_out()
            return
        if self.confirm_lose_results(outcome.pending, outcome.pending_feedback):
            self._tasks.run_net(
                lambda: self._core.sign_out(True),
                lambda _o: self._signed_out(),
                self._show_error,
                what="sign_out",
            )

    def _signed_out(self) -> None:
        account = self._account
        self._account = None
        self._landing = False
        self.setWindowTitle(APP_NAME)
        self.work.list_panel.show_list(None)
        self.work.call.show_empty("")
        if self.banner.property("kind") == "info":
            self.banner.hide()  # it was about the account just signed out of
        self.show_sign_in(account.hub_url if account else "", account.email if account else "")
        self.refresh_status()

    def _ask_lose_results(self, pending: int, messages: int = 0) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Results not sent yet"))
        if messages:
            what = []
            if pending:
                what.append(self.tr("%Ln result(s)", "", pending))
            what.append(self.tr("%Ln message(s) to the organizers", "", messages))
            one = len(what) == 1 and pending + messages == 1
            text = (
                self.tr(
                    "%1 has not reached the hub yet. If you sign out now it is deleted "
                    "from this computer and lost."
                )
                if one
                else self.tr(
                    "%1 have not reached the hub yet. If you sign out now they are "
                    "deleted from this computer and lost."
                )
            ).replace("%1", self.tr(" and ").join(what))
            lose_label = (
                self.tr("Sign out and lose them") if not one else self.tr("Sign out and lose it")
            )
        else:
            text = self.tr(
                "%Ln result(s) have not reached the hub yet. If you sign out now they are "
                "deleted from this computer and lost.",
                "",
                pending,
            )
            lose_label = self.tr("Sign out and lose %Ln result(s)", "", pending)
        box.setText(text)
        box.setInformativeText(self.tr("Connect to the internet and wait for the sync instead?"))
        lose = box.addButton(lose_label, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep them"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is lose

    def _show_error(self, error: BaseException) -> None:
        QMessageBox.warning(self, APP_NAME, plain_message(error))

    def _ask_close_mid_call(self, name: str) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("A call is in progress"))
        box.setText(self.tr("The call to %1 is not saved yet.").replace("%1", name))
        box.setInformativeText(
            self.tr("Keep it as a draft to finish it when Phonebank opens again?")
        )
        keep = box.addButton(self.tr("Keep as draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Discard it"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return "keep" if clicked is keep else "discard" if clicked is discard else "cancel"

    def closeEvent(self, event: QCloseEvent) -> None:
        call = self.work.call
        draft = call.current_draft() if self._account is not None else None
        if draft is not None and call.view is not None:
            choice = self.ask_close_mid_call(call.view.name)
            if choice == "cancel":
                event.ignore()
                return
            if choice == "keep":
                self.work.keep_draft()
            else:
                self.work.discard_draft()
            self._tasks.wait_for_db()  # the draft is on disk before the store closes
        self.scheduler.stop()
        self._ticker.stop()
        super().closeEvent(event)
