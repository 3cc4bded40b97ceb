"""The facade the desktop UI calls: every use case, no Qt, plain dataclasses back.

    core = PhonebankCore(data_dir, hub_url=None, config_dir=None)
        # opens (or creates) <data_dir>/phonebank.db; raises desktop.store.StoreError, or
        # CorruptStoreError (offer desktop.store.quarantine_corrupt_file(error.path))

Accounts (network; run on the network pool):
    core.saved_account() -> Account | None
    core.sign_in(hub_url, email, password) -> SignedIn         # UserError with plain words
    core.sign_out(force=False) -> SignOutOutcome                # SPEC §3.8

Campaigns and lists:
    core.campaigns() -> list[CampaignRow]                       # local, as of the last sync
    core.request_names(call_list_id) -> ReserveOutcome          # network; queued when offline
    core.my_list() -> MyList | None                             # every list on the laptop
    core.release_unused() -> Released                           # network; names given back

Calling (local only; run on the database worker):
    core.next_contact_id(after_contact_id=None) -> int | None
    core.call_view(contact_id) -> CallView                      # UserError if unknown
    core.record_result(draft: ResultDraft) -> SavedResult       # durable before it returns
    core.save_draft(CallDraft) / saved_draft() / discard_draft() # the call in progress

Status and sync:
    core.status() -> StatusView
    core.sync_once() -> SyncReport                              # network; the timer uses retry_in
    core.hub_reachable() -> bool                                # network; a cheap probe
    core.send_feedback(text, campaign_id=None) -> Changes       # queued; sent by sync
    core.my_languages() / set_my_languages(codes)               # queued; sent by sync
    core.default_hub_url -> str                                 # --hub, else the saved one
    core.settings / core.save_settings()                        # desktop.settings.Settings
    core.db_worker                                              # the UI queues its tasks there
    core.language / core.set_language(code)                     # "" follows the system
    core.close()

Every mutating use case returns a `Changes` (alone or on its outcome's `changes`): what it
changed, for each screen to refresh what it shows (a save carries its rows, the pending count
and the goal, so nothing is queried again).

Threads: every write runs on ONE database worker (`db_worker`, desktop/db_worker.py). The
local use cases (saving a result, drafts, feedback) run on it whole — from the UI's database
tasks, or handed to it when called from elsewhere. The network use cases (sign-in/out, "Get
names", release, a sync round) run on the caller's thread, the UI's network pool, and hand
what they fetched to the worker (`Store.run_write`); they never open a write transaction.
Nothing running on the worker waits for the network or for a sync round, so the two never
wait on each other. Errors a user can fix come as `UserError` (its `message` is ready to
show). Every method is safe to call from any thread, and sync rounds never overlap.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.db_worker import DbWorker
from desktop.paths import DATABASE_NAME, SETTINGS_NAME
from desktop.services import calls, feedback, languages, lists
from desktop.services import status as status_module
from desktop.services.context import Context
from desktop.services.errors import UserError, user_error
from desktop.services.session import Session
from desktop.services.views import (
    Account,
    Attempt,
    CallDraft,
    CallView,
    CampaignRow,
    Changes,
    ContactRow,
    HouseholdMember,
    ListRow,
    MyList,
    ProgressView,
    Released,
    ReserveOutcome,
    ResultDraft,
    RetryOutlook,
    SavedResult,
    SignedIn,
    SignOutOutcome,
    StatusView,
    SyncReport,
)
from desktop.settings import LANGUAGES, Settings
from desktop.store import Store
from desktop.sync.engine import RoundResult, SyncEngine
from sync.messages import Code

if TYPE_CHECKING:
    import requests

CLOSE_WAIT_SECONDS = 10.0

__all__ = [
    "Account",
    "Attempt",
    "CallDraft",
    "CallView",
    "CampaignRow",
    "Changes",
    "ContactRow",
    "HouseholdMember",
    "ListRow",
    "MyList",
    "PhonebankCore",
    "ProgressView",
    "Released",
    "ReserveOutcome",
    "ResultDraft",
    "RetryOutlook",
    "SavedResult",
    "SignOutOutcome",
    "SignedIn",
    "StatusView",
    "SyncReport",
    "UserError",
]


class PhonebankCore:
    """Everything the UI does with the laptop's data and the hub.

    `data_dir`: where phonebank.db lives (desktop.paths.resolve(...).data in the app).
    `hub_url`: a hub to use instead of the saved one (the `--hub` option).
    `http`: a requests.Session to use for every hub call (tests); default a fresh one.
    `clock`: returns "now" as an aware UTC datetime (tests).
    `config_dir`: where settings.json lives (default: `data_dir`/config).
    `db_worker`: the database worker to write on (the app shares its task runner's);
    default one of its own.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        hub_url: str | None = None,
        http: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        config_dir: Path | None = None,
        db_worker: DbWorker | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.db_worker = db_worker or DbWorker()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._settings_path = (config_dir or self.data_dir / "config") / SETTINGS_NAME
        self._settings = Settings.load(self._settings_path)
        self._hub_url = hub_url
        self.store = Store(self.data_dir / DATABASE_NAME, worker=self.db_worker)
        self.session = Session(self.store, http, self._clock)
        self.engine = SyncEngine(
            self.store,
            self.session.client,
            clock=self._clock,
            keep_token=self.session.keep_renewed_token,
        )
        self._ctx = Context(self.store, self.session, self.engine, self._clock)
        self._closed = threading.Event()

    @property
    def default_hub_url(self) -> str:
        """The hub to show on the sign-in screen: `--hub`, else the last one used."""
        if self._hub_url:
            return self._hub_url
        account = self.session.account()
        return account.hub_url if account else self._settings.hub_url

    @property
    def settings(self) -> Settings:
        """The user's settings (desktop.settings.Settings); change fields, then save."""
        return self._settings

    def save_settings(self) -> None:
        self._settings.save(self._settings_path)

    @property
    def language(self) -> str:
        """The interface language chosen in the app ("" follows the system's)."""
        return self._settings.language

    def set_language(self, language: str) -> None:
        """Remember the interface language ("" to follow the system's) for the next start."""
        if language and language not in LANGUAGES:
            raise user_error(Code.NOT_TRANSLATED_INTO, language=language)
        self._settings.language = language
        self.save_settings()

    # ------------------------------------------------------------ accounts

    def saved_account(self) -> Account | None:
        """The account this laptop is signed in to, or None (show the sign-in screen)."""
        return self.session.account()

    def sign_in(self, hub_url: str, email: str, password: str) -> SignedIn:
        """Log in to the hub; keep the token in the keyring (or only in memory without one).

        Raises UserError: wrong email or password, hub unreachable, too many attempts (try
        again in N minutes), app too old (upgrade). Signing in as someone else than the
        last account is refused while that account has unsent results.
        """
        with self.engine.paused():  # signing in as someone else wipes the old data
            account = self.session.sign_in(hub_url, email, password)
        self.engine.online = True
        self.engine.failures = 0
        self._settings.hub_url = account.hub_url
        self._settings.email = account.email
        self._save_settings_quietly()
        return SignedIn(account, EVERYTHING)

    def sign_out(self, force: bool = False) -> SignOutOutcome:
        """Forget the token; wipe local voter data only when nothing is unsent or `force`.
        Waits for a running sync round: call it from the network pool, never the worker."""
        with self.engine.paused():
            outcome = self.session.sign_out(force)
        if not outcome.signed_out:
            return outcome
        self._settings.last_campaign_id = None
        self._settings.last_list_id = None
        self._save_settings_quietly()
        return replace(outcome, changes=EVERYTHING)

    # ------------------------------------------------------------ campaigns and lists

    def campaigns(self) -> list[CampaignRow]:
        """Campaigns and their lists as of the last sync (empty before the first one)."""
        return lists.campaigns(self._ctx)

    def request_names(self, call_list_id: int) -> ReserveOutcome:
        """ "Get names": reserve a list now, or remember the request until the next sync."""
        outcome = lists.request_names(self._ctx, call_list_id)
        return replace(outcome, changes=_reserve_changes(outcome))

    def my_list(self) -> MyList | None:
        """The current list (newest reservation kept on this laptop), or None."""
        return lists.my_list(self._ctx)

    def release_unused(self) -> Released:
        """Give the current list's uncalled names back (at once when online, else at the
        next sync); says how many names were given back."""
        names = lists.release_unused(self._ctx)
        return Released(names, Changes(contacts=True, reservations=True, status=True))

    # ------------------------------------------------------------ calling

    def next_contact_id(self, after_contact_id: int | None = None) -> int | None:
        """The next contact to call in the current list: a due call-back first, else the
        next one after `after_contact_id` in list order (households kept together),
        wrapping around; contacts waiting for a retry are skipped. None when done."""
        return calls.next_contact_id(self._ctx, after_contact_id)

    def call_view(self, contact_id: int) -> CallView:
        """The call screen's data for one contact. UserError if it is not on the laptop."""
        return calls.call_view(self._ctx, contact_id)

    def record_result(self, draft: ResultDraft) -> SavedResult:
        """Save a result and its outbox row in one durable transaction, then return.

        Raises UserError for a draft that cannot be saved (unknown contact or disposition,
        call_back without a future time, unknown question ids...). Nothing is written then.
        """
        return self.db_worker.call(calls.record_result, self._ctx, draft)

    def retry_outlook(self) -> RetryOutlook | None:
        """With nobody due now: the people to try again within the hold, and from when."""
        return calls.retry_outlook(self._ctx)

    def save_draft(self, draft: CallDraft) -> Changes:
        """Keep the call in progress on disk (replaces the previous draft)."""
        self.db_worker.call(calls.save_draft, self._ctx, draft)
        return Changes()  # nothing a screen shows: the call screen has it already

    def saved_draft(self) -> CallDraft | None:
        """The call left in progress (closed or crashed mid-call), if still callable."""
        return calls.saved_draft(self._ctx)

    def discard_draft(self, contact_id: int | None = None) -> Changes:
        """Forget the call in progress (only `contact_id`'s, when given)."""
        self.db_worker.call(calls.discard_draft, self._ctx, contact_id)
        return Changes()

    # ------------------------------------------------------------ status and sync

    def status(self) -> StatusView:
        return status_module.status(self._ctx, self._settings.last_campaign_id)

    def sync_once(self) -> SyncReport:
        """Send the outbox, download changes, make a queued "Get names". Never raises for
        network trouble: the report says what happened and when to try again."""
        result = self.engine.sync_once()
        if result.needs_sign_in and result.online:
            self.session.token_refused()
        return _report(result)

    def hub_reachable(self) -> bool:
        """Whether the hub answers at all (one HEAD request, a few seconds at most): the UI
        probes this on a short timer while offline, to sync as soon as the hub is back."""
        account = self.session.account()
        if account is None:
            return False
        return self.session.anonymous_client(account.hub_url).reachable()

    def my_languages(self) -> list[str]:
        """The languages the volunteer speaks, as this laptop knows them."""
        return languages.my_languages(self._ctx)

    def set_my_languages(self, codes: list[str]) -> None:
        """Keep the volunteer's languages; the next sync tells the hub. UserError if bad."""
        self.db_worker.call(languages.set_my_languages, self._ctx, codes)

    def send_feedback(self, text: str, campaign_id: int | None = None) -> Changes:
        """Queue a message to organizers; the next sync sends it. UserError if empty/long."""
        self.db_worker.call(feedback.send_feedback, self._ctx, text, campaign_id)
        return Changes(status=True)  # the messages waiting to be sent

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            with self.engine.paused(timeout=CLOSE_WAIT_SECONDS):  # let a running round end
                self.store.close()

    def _save_settings_quietly(self) -> None:
        # Preferences are a convenience; never fail a sign-in over them.
        with contextlib.suppress(OSError):
            self.save_settings()


# Signing in or out changes what every screen shows.
EVERYTHING = Changes(contacts=True, reservations=True, campaigns=True, status=True, account=True)


def _reserve_changes(outcome: ReserveOutcome) -> Changes:
    if outcome.kind == "reserved":
        return Changes(contacts=True, reservations=True, campaigns=True, status=True)
    # queued: the status bar says so; error: perhaps the hub refused the token
    return Changes(status=outcome.kind in ("queued", "error"))


def _round_changes(r: RoundResult) -> Changes:
    """What a sync round changed, from what it did."""
    names = bool(r.dnc or r.reset or r.minimized or r.reserved or r.reservations_changed)
    if not r.ok:
        names = bool(r.pushed or r.pulled)
    return Changes(
        contacts=names,
        reservations=bool(r.reservations_changed or r.reserved or r.reset or r.minimized),
        campaigns=r.pulled,
        status=True,
        account=r.needs_sign_in,
    )


def _report(r: RoundResult) -> SyncReport:
    reserved = None
    if r.reserved is not None:
        reserved = ReserveOutcome(
            r.reserved.kind,  # type: ignore[arg-type]
            r.reserved.message,
            retry_at=r.reserved.retry_at,
            reservation_id=r.reserved.reservation_id,
            msg=r.reserved.msg,
        )
    return SyncReport(
        ok=r.ok,
        online=r.online,
        pushed=r.pushed,
        feedback_sent=r.feedback_sent,
        pulled=r.pulled,
        reset=r.reset,
        dnc=r.dnc,
        retry_in=r.retry_in,
        message=r.message,
        msg=r.msg,
        needs_sign_in=r.needs_sign_in,
        needs_upgrade=r.needs_upgrade,
        reserved=reserved,
        changes=_round_changes(r),
    )
