"""What the screens need from the core: `desktop.services.core.PhonebankCore` provides it (and
the sample core for screenshots and tests). Typed here so mypy checks every call the UI makes,
without the UI importing the core (SQLite, requests) at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from desktop.services.views import (
        Account,
        CallDraft,
        CallView,
        CampaignRow,
        Changes,
        MyList,
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


class CoreAPI(Protocol):
    @property
    def default_hub_url(self) -> str: ...

    def saved_account(self) -> Account | None: ...

    def sign_in(self, hub_url: str, email: str, password: str) -> SignedIn: ...

    def sign_out(self, force: bool = False) -> SignOutOutcome: ...

    def campaigns(self) -> list[CampaignRow]: ...

    def request_names(self, call_list_id: int) -> ReserveOutcome: ...

    def my_list(self) -> MyList | None: ...

    def release_unused(self) -> Released: ...

    def next_contact_id(self, after_contact_id: int | None = None) -> int | None: ...

    def call_view(self, contact_id: int) -> CallView: ...

    def record_result(self, draft: ResultDraft) -> SavedResult: ...

    def retry_outlook(self) -> RetryOutlook | None: ...

    def save_draft(self, draft: CallDraft) -> Changes: ...

    def saved_draft(self) -> CallDraft | None: ...

    def discard_draft(self, contact_id: int | None = None) -> Changes: ...

    def status(self) -> StatusView: ...

    def sync_once(self) -> SyncReport: ...

    def hub_reachable(self) -> bool: ...

    def send_feedback(self, text: str, campaign_id: int | None = None) -> Changes: ...

    def my_languages(self) -> list[str]: ...

    def set_my_languages(self, codes: list[str]) -> None: ...
