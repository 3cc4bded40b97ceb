"""The facade the desktop UI calls: every use case, no Qt, plain dataclasses back.

    core = PhonebankCore(data_dir, hub_url=None)   # opens (or creates) <data_dir>/phonebank.db
                                                    # raises store.StoreError / CorruptStoreError

Accounts (network; run on the network pool):
    core.saved_account() -> Account | None
    core.sign_in(hub_url, email, password) -> Account          # UserError with plain words
    core.sign_out(force=False) -> SignOutOutcome                # SPEC §3.8

Campaigns and lists:
    core.campaigns() -> list[CampaignRow]                       # local, as of the last sync
    core.request_names(call_list_id) -> ReserveOutcome          # network; queued when offline
    core.my_list() -> MyList | None
    core.release_unused() -> int                                # names given back

Calling (local only; run on the database worker):
    core.next_contact_id(after_contact_id=None) -> int | None
    core.call_view(contact_id) -> CallView                      # UserError if unknown
    core.record_result(draft: ResultDraft) -> SavedResult       # durable before it returns

Status and sync:
    core.status() -> StatusView
    core.sync_once() -> SyncReport                              # network; the timer uses retry_in
    core.send_feedback(text, campaign_id=None) -> None          # queued; sent by sync
    core.default_hub_url -> str                                 # --hub, else the saved one
    core.settings / core.save_settings()                        # desktop.settings.Settings
    core.close()

Errors a user can fix come as `UserError` (its `message` is ready to show). Every method is
safe to call from any thread; the store serializes writes, and sync rounds never overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import requests

from desktop.services.errors import UserError
from desktop.services.views import (
    Account,
    Attempt,
    CallView,
    CampaignRow,
    ContactRow,
    HouseholdMember,
    ListRow,
    MyList,
    ProgressView,
    ReserveOutcome,
    ResultDraft,
    SavedResult,
    SignOutOutcome,
    StatusView,
    SyncReport,
)
from desktop.settings import Settings

__all__ = [
    "Account",
    "Attempt",
    "CallView",
    "CampaignRow",
    "ContactRow",
    "HouseholdMember",
    "ListRow",
    "MyList",
    "PhonebankCore",
    "ProgressView",
    "ReserveOutcome",
    "ResultDraft",
    "SavedResult",
    "SignOutOutcome",
    "StatusView",
    "SyncReport",
    "UserError",
]


class PhonebankCore:
    """Everything the UI does with the laptop's data and the hub.

    `data_dir`: where phonebank.db lives (desktop.paths.data_dir() by default in the app).
    `hub_url`: a hub to use instead of the saved one (the `--hub` option).
    `http`: a requests.Session to use for every hub call (tests); default a fresh one.
    `clock`: returns "now" as an aware UTC datetime (tests).
    `config_dir`: where settings.json lives (default: `data_dir`/config).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        hub_url: str | None = None,
        http: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        config_dir: Path | None = None,
    ) -> None:
        raise NotImplementedError

    @property
    def default_hub_url(self) -> str:
        """The hub to show on the sign-in screen: `--hub`, else the last one used."""
        raise NotImplementedError

    @property
    def settings(self) -> Settings:
        """The user's settings (desktop.settings.Settings); change fields, then save."""
        raise NotImplementedError

    def save_settings(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ accounts

    def saved_account(self) -> Account | None:
        """The account this laptop is signed in to, or None (show the sign-in screen)."""
        raise NotImplementedError

    def sign_in(self, hub_url: str, email: str, password: str) -> Account:
        """Log in to the hub; keep the token in the keyring (or only in memory without one).

        Raises UserError: wrong email or password, hub unreachable, too many attempts (try
        again in N minutes), app too old (upgrade). Signing in as someone else than the
        last account is refused while that account has unsent results.
        """
        raise NotImplementedError

    def sign_out(self, force: bool = False) -> SignOutOutcome:
        """Forget the token; wipe local voter data only when nothing is unsent or `force`."""
        raise NotImplementedError

    # ------------------------------------------------------------ campaigns and lists

    def campaigns(self) -> list[CampaignRow]:
        """Campaigns and their lists as of the last sync (empty before the first one)."""
        raise NotImplementedError

    def request_names(self, call_list_id: int) -> ReserveOutcome:
        """ "Get names": reserve a list now, or remember the request until the next sync."""
        raise NotImplementedError

    def my_list(self) -> MyList | None:
        """The current list (newest reservation kept on this laptop), or None."""
        raise NotImplementedError

    def release_unused(self) -> int:
        """Give the current list's uncalled names back (at once when online, else at the
        next sync); returns how many names were given back."""
        raise NotImplementedError

    # ------------------------------------------------------------ calling

    def next_contact_id(self, after_contact_id: int | None = None) -> int | None:
        """The next contact to call in the current list (after `after_contact_id` in list
        order, wrapping around), skipping households already reached; None when done."""
        raise NotImplementedError

    def call_view(self, contact_id: int) -> CallView:
        raise NotImplementedError

    def record_result(self, draft: ResultDraft) -> SavedResult:
        """Save a result and its outbox row in one durable transaction, then return.

        Raises UserError for a draft that cannot be saved (unknown contact or disposition,
        call_back without a future time, unknown question ids...). Nothing is written then.
        """
        raise NotImplementedError

    # ------------------------------------------------------------ status and sync

    def status(self) -> StatusView:
        raise NotImplementedError

    def sync_once(self) -> SyncReport:
        """Send the outbox, download changes, make a queued "Get names". Never raises for
        network trouble: the report says what happened and when to try again."""
        raise NotImplementedError

    def send_feedback(self, text: str, campaign_id: int | None = None) -> None:
        """Queue a message to organizers; the next sync sends it. UserError if empty/long."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
