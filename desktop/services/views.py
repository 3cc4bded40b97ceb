"""Plain, frozen data the services hand to the UI: ids and values, never ORM objects.

Times are aware datetimes in UTC unless a field says otherwise; the UI formats them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from sync.messages import Message

if TYPE_CHECKING:  # annotations only: the widgets import this module before pydantic loads
    from sync.protocol import Answer, Script

# A contact's state on this laptop.
ContactState = Literal["to_call", "done", "call_back", "dnc"]
ReserveKind = Literal["reserved", "queued", "cooling_down", "empty", "error"]


@dataclass(frozen=True)
class ProgressView:
    campaign_id: int
    goal: int
    calls_made: int  # the hub's count at the last sync (+ this laptop's unsent results)
    mine: int


@dataclass(frozen=True)
class Changes:
    """What a use case changed on this laptop (Anki's OpChanges). Every mutating use case
    returns one (on its outcome's `changes`); the UI publishes it and each screen refreshes
    only what it shows of it, instead of the window reloading everything."""

    rows: tuple[ContactRow, ...] = ()  # list rows changed in place: update just these
    contacts: bool = False  # the names on the laptop changed as a whole: reload the list
    reservations: bool = False  # a list arrived, was released or expired (holds, cooldown)
    campaigns: bool = False  # campaigns, their lists, scripts or progress (the picker)
    pending: int | None = None  # results waiting to be sent, when the use case counted them
    progress: ProgressView | None = None  # the goal of the campaign a save counted toward
    status: bool = False  # online state, last sync, errors, queued work: re-read `status()`
    account: bool = False  # signed in, out, or the hub refused the token

    def __or__(self, other: Changes) -> Changes:
        """Both changes (the later one's counts win)."""
        return Changes(
            rows=self.rows + other.rows,
            contacts=self.contacts or other.contacts,
            reservations=self.reservations or other.reservations,
            campaigns=self.campaigns or other.campaigns,
            pending=other.pending if other.pending is not None else self.pending,
            progress=other.progress or self.progress,
            status=self.status or other.status,
            account=self.account or other.account,
        )

    @property
    def any(self) -> bool:
        return self != Changes()


@dataclass(frozen=True)
class Account:
    """Who is signed in on this laptop, and to which hub."""

    hub_url: str
    email: str
    volunteer_id: int | None
    volunteer_name: str
    role: str
    has_token: bool  # a token is available (keyring or, without a keyring, this run's memory)
    remember: bool = True  # False: no keyring; the password will be asked again next run


@dataclass(frozen=True)
class SignedIn:
    account: Account
    changes: Changes = Changes()


@dataclass(frozen=True)
class SignOutOutcome:
    signed_out: bool  # False: something is unsent and `force` was not given; nothing changed
    pending: int  # results not yet acknowledged by the hub (lost if signed out with force)
    pending_feedback: int = 0  # messages to organizers not yet sent (lost likewise)
    changes: Changes = Changes()


@dataclass(frozen=True)
class Released:
    """Unused names given back (`core.release_unused`)."""

    names: int
    changes: Changes = Changes()


@dataclass(frozen=True)
class ListRow:
    id: int
    name: str
    remaining: int  # names the hub still has to hand out (as of the last sync)


@dataclass(frozen=True)
class CampaignRow:
    id: int
    name: str
    goal: int
    calls_made: int
    mine: int  # this volunteer's own calls in the campaign
    script_version: int | None
    lists: tuple[ListRow, ...]
    list_size: int
    cooldown_seconds: int
    calling_hours: tuple[str, str]  # ("09:00", "21:00") in each contact's own zone


@dataclass(frozen=True)
class ReserveOutcome:
    """What happened to a "Get names" press.

    kind: reserved (a list is on the laptop), queued (offline: made at the next sync),
    cooling_down (retry_at says when), empty (nobody left in that list), error (message says).
    """

    kind: ReserveKind
    message: str  # English (logs); the UI shows `msg`, translated
    retry_at: datetime | None = None
    reservation_id: int | None = None
    changes: Changes = Changes()
    msg: Message | None = None  # `message` as a code, for the UI to word


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    phone: str  # E.164
    household: str  # contacts sharing it share the phone; the list groups them
    state: ContactState
    attempts: int  # calls recorded for this contact (hub's earlier ones + this laptop's)
    call_back_at: datetime | None = None


ListEntry = tuple[int, str, str, str, str, str, int, "str | None"]
"""One name of My list as the store reads it: (id, first_name, last_name, phone, household,
state, attempts, due_at as stored text). A plain tuple: with 100,000 names on the laptop an
object per name at every start cost ~0.2 s; `entry_row` makes one when a row is shown."""

OPEN_STATES = ("to_call", "call_back")


def entry_row(entry: ListEntry) -> ContactRow:
    id_, first, last, phone, household, state, attempts, due = entry
    call_back_at = None
    if state == "call_back" and due:
        # The store's time text (desktop.store.timefmt; widgets may not import the store).
        parsed = datetime.fromisoformat(due)
        call_back_at = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return ContactRow(
        id_,
        f"{first} {last}".strip(),
        phone,
        household,
        state,  # type: ignore[arg-type]
        attempts,
        call_back_at,
    )


@dataclass(frozen=True)
class MyList:
    """The volunteer's names: ids, campaign and list of the newest reservation; `entries` of
    every list still on this laptop (older lists first, each in the hub's order)."""

    reservation_id: int
    campaign_id: int
    campaign_name: str
    call_list_id: int
    list_name: str
    expires_at: datetime  # hold countdown (holdTimer): the earliest hold with names left
    next_request_at: datetime  # when another list may be requested (cooldownTimer)
    expired: bool  # the hold has passed: results are still kept and sent (marked late)
    entries: tuple[ListEntry, ...]

    @cached_property
    def rows(self) -> tuple[ContactRow, ...]:
        """Every entry as a ContactRow (made on first use: the list panel never asks)."""
        return tuple(map(entry_row, self.entries))

    @cached_property
    def remaining(self) -> int:
        return sum(1 for e in self.entries if e[5] in OPEN_STATES)


@dataclass(frozen=True)
class HouseholdMember:
    id: int
    name: str
    state: ContactState


@dataclass(frozen=True)
class Attempt:
    """An earlier call of this contact recorded on this laptop."""

    result_id: uuid.UUID
    at: datetime
    disposition: str
    notes: str
    synced: bool
    answers: dict[str, Answer] = field(default_factory=dict)
    corrected: bool = False  # this result is itself a correction of an earlier one


@dataclass(frozen=True)
class CallView:
    """Everything the call screen shows for one contact."""

    contact_id: int
    reservation_id: int
    campaign_id: int
    first_name: str
    last_name: str
    phone: str  # E.164, the number to dial now
    timezone: str
    local_time: str  # e.g. "14:05 Tue" in the contact's own zone
    within_calling_hours: bool  # False: warn before dialing
    calling_hours: tuple[str, str]
    state: ContactState
    household: tuple[HouseholdMember, ...]  # the other members (not this contact)
    extra: tuple[tuple[str, str], ...]  # (field, value) in the hub's order
    hub_attempts: int  # calls recorded on the hub before this list was reserved
    # This laptop's results for the contact that stand (a corrected one is replaced by its
    # correction), oldest first: the last one is what Save corrects when reopened.
    attempts: tuple[Attempt, ...]
    script: Script | None  # the reservation's campaign script (None: not downloaded yet)
    intro: str  # the script intro with {first_name} and {volunteer_name} filled
    closing: str
    volunteer_name: str
    extension: str = ""  # to dial once the call connects ("" none)
    phone_kind: str = ""  # cell, home, work or ""
    number: int = 1  # which of the contact's numbers `phone` is (1-based) ...
    numbers: int = 1  # ... of how many
    # `phone` is this person's own number, not the household's: a do-not-call on it
    # reaches only them (and whoever has it as theirs), so nobody is asked first.
    own_number: bool = False
    # The intro, filled, in each language the script has (its own language's is `intro`).
    intros: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class ResultDraft:
    """A call result as the call screen collected it."""

    contact_id: int
    disposition: str  # a sync.protocol.Disposition value
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: str = ""
    started_at: datetime | None = None  # None: now
    ended_at: datetime | None = None  # None: now
    call_back_at: datetime | None = None  # required (and in the future) for call_back
    supersedes: uuid.UUID | None = None  # a correction names the result it replaces
    script_version: int | None = None  # the version shown (CallView.script.version)
    language: str | None = None  # the script language shown (None: the script's own)
    heard_language: str | None = None  # language_barrier: the language the voter spoke


@dataclass(frozen=True)
class RetryOutlook:
    """Nobody is due now, but people who did not answer can be tried again within the hold."""

    waiting: int  # people whose retry time comes before their list's hold ends
    first_at: datetime  # the first retry time
    hold_until: datetime  # when that list's hold ends


@dataclass(frozen=True)
class CallDraft:
    """A call in progress as entered so far, kept on disk until it is saved or discarded."""

    contact_id: int
    path: tuple[str, ...] = ()  # the questions asked, in order (the script walk)
    finished: bool = False  # the last question was answered
    answers: dict[str, Answer] = field(default_factory=dict)
    disposition: str | None = None
    notes: str = ""
    call_back_at: datetime | None = None
    started_at: datetime | None = None
    supersedes: uuid.UUID | None = None  # a correction in progress
    language: str | None = None  # the script language being read
    heard_language: str | None = None
    saved_at: datetime | None = None  # when it was last written (set by the core)


@dataclass(frozen=True)
class SavedResult:
    id: uuid.UUID
    contact_id: int
    contact_state: ContactState
    # changes.rows: the list rows this result changed (the contact, its household, others
    # with its phone), to update just these instead of reloading a long list;
    # changes.pending: results waiting to be sent, this one included (no status query).
    changes: Changes = Changes()

    @property
    def pending(self) -> int:
        return self.changes.pending or 0

    @property
    def rows(self) -> tuple[ContactRow, ...]:
        return self.changes.rows


@dataclass(frozen=True)
class StatusView:
    """The status bar: online state, the outbox, the goal."""

    signed_in: bool
    online: bool | None  # None: no sync tried yet this run
    syncing: bool
    pending: int  # results waiting to be sent
    pending_feedback: int
    last_sync_at: datetime | None
    last_error: str | None  # plain words (English), for a tooltip
    progress: ProgressView | None  # the current list's campaign (or the last chosen one)
    needs_sign_in: bool  # the hub refused the token: ask for the password again
    needs_upgrade: bool  # the hub is newer than this app: show the upgrade banner
    queued_get_names: int | None  # a call list id waiting for the next sync, if any
    last_error_msg: Message | None = None  # `last_error` as a code, for the UI to word
    refused: int = 0  # of `pending`: results the hub refused as malformed (sent again at start)
    refused_msg: Message | None = None  # why the latest of them was refused


@dataclass(frozen=True)
class SyncReport:
    """What one sync round did; `retry_in` is when the UI's timer should try again."""

    ok: bool
    online: bool
    pushed: int = 0  # results acknowledged by the hub this round
    feedback_sent: int = 0
    pulled: bool = False  # campaigns/scripts/reservations/progress refreshed
    reset: bool = False  # the hub did not know our cursor; everything was re-sent
    dnc: int = 0  # contacts on this laptop newly marked do-not-call
    retry_in: float | None = None  # seconds; set after a transient failure (5, 10, 20 … 300)
    message: str = ""  # plain words (English) for the status bar and the log
    needs_sign_in: bool = False
    needs_upgrade: bool = False
    reserved: ReserveOutcome | None = None  # a queued "Get names" that was made this round
    changes: Changes = Changes()  # what the round changed, for each view to refresh
    msg: Message | None = None  # `message` as a code, for the UI to word
