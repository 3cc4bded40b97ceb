"""The hub's tables (SQLModel). All SQL that touches them lives in `crud/`.

Reservations work on households (contacts sharing a phone in one list): the household row is
what gets locked and handed out; contacts carry the names, extra fields and per-person state.
Every change of schema gets an Alembic revision (`make migration`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from sync.hub.types import UTCDateTime, utcnow
from sync.protocol import BAD_NUMBER, Disposition


class HubMeta(SQLModel, table=True):
    """Key/value facts about this hub database, e.g. its epoch."""

    __tablename__ = "hub_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=200)
    role: str = Field(default="volunteer", max_length=16)
    password_hash: str = Field(max_length=256)
    # A deactivated account cannot sign in and its tokens stop working at once.
    active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # --- languages (issue 15): the languages the volunteer speaks (codes, sync/protocol
    # LANGUAGE_PATTERN), set by organizers or by the volunteer; language-barrier households
    # needing one of them are granted only to them (crud/reservation_pool.py) ---
    languages: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    # --- end languages ---


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    device_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # --- tokens: rotation (crud/tokens.py): the token this one replaced, whose life was cut
    # to a short overlap when this one was issued ---
    renewed_from_id: int | None = Field(default=None, foreign_key="api_tokens.id", index=True)
    # --- end tokens ---


class LoginFailure(SQLModel, table=True):
    """One failed login, by account and by address, for throttling across hub processes."""

    __tablename__ = "login_failures"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=400, index=True)  # "email:..." or "ip:..."
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---------------------------------------------------------------- hubsec: devices, members


class KnownDevice(SQLModel, table=True):
    """A laptop that signed in to an account before: it holds a device key (only its SHA-256
    is stored here) and keeps signing in while strangers guessing that account are throttled."""

    __tablename__ = "known_devices"
    __table_args__ = (UniqueConstraint("user_id", "key_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    key_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CampaignMember(SQLModel, table=True):
    """A volunteer assigned to a closed campaign (open campaigns need no rows here)."""

    __tablename__ = "campaign_members"
    campaign_id: int = Field(foreign_key="campaigns.id", primary_key=True)
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class HeldEffect(SQLModel, table=True):
    """A household-wide or global effect (bad number, do-not-call) of a result, held for an
    organizer's review because its volunteer sent more of them in an hour than is plausible
    (crud/effect_review.py). The result itself is stored as usual."""

    __tablename__ = "held_effects"
    __table_args__ = (Index("ix_held_effects_status", "status", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    result_id: str = Field(max_length=36, index=True)
    volunteer_id: int = Field(foreign_key="users.id")
    campaign_id: int = Field(foreign_key="campaigns.id")
    household_id: int = Field(foreign_key="households.id")
    phone: str = Field(max_length=20)
    kind: str = Field(max_length=16)  # bad_number | do_not_call
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default="pending", max_length=10)  # pending | approved | rejected
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# ---------------------------------------------------------------- end hubsec


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    goal: int = Field(default=0)
    list_size: int = Field(default=20)
    hold_seconds: int = Field(default=24 * 3600)
    cooldown_seconds: int = Field(default=600)
    calling_hours_start: str = Field(default="09:00", max_length=5)
    calling_hours_end: str = Field(default="21:00", max_length=5)
    retry_after_seconds: int = Field(default=4 * 3600)
    max_attempts: int = Field(default=3)
    # active: handed out; paused: visible, no new lists; archived: gone from volunteers'
    # pickers, results kept.
    status: str = Field(
        default="active", max_length=10, sa_column_kwargs={"server_default": "active"}
    )
    # hubsec: open: every volunteer sees it and may call for it; closed: only its members
    # (campaign_members) and organizers.
    open: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    # console-review: lists one volunteer may take from the campaign per hour and per
    # rolling day (0: no cap). Server defaults: bench/hub_setup.py inserts by raw SQL.
    max_lists_per_hour: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    max_lists_per_day: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    # end console-review
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CallList(SQLModel, table=True):
    __tablename__ = "call_lists"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    name: str = Field(max_length=200)
    # (console, issue 10) active: handed out; archived: kept, not handed out, gone from
    # pickers; removed: only its called contacts remain, for the results (crud/lists.py).
    status: str = Field(
        default="active", max_length=10, sa_column_kwargs={"server_default": "active"}
    )


class ScriptVersion(SQLModel, table=True):
    """A published script version: immutable; results name the version they used."""

    __tablename__ = "script_versions"
    __table_args__ = (UniqueConstraint("campaign_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    version: int
    title: str = Field(max_length=300)
    intro: str = Field(sa_column=Column(Text, nullable=False))
    closing: str = Field(default="", sa_column=Column(Text, nullable=False))
    questions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # --- script languages (issue 15): the file's own language and its translations,
    # {code: ScriptTranslation as JSON} (sync/protocol.py) ---
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    translations: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'"))
    )
    # --- end script languages ---


_FRESH = "state = 'open' AND held_until IS NULL AND next_call_at IS NULL"


class Household(SQLModel, table=True):
    """Contacts of one list sharing a phone: the unit that is reserved and locked."""

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("call_list_id", "phone"),
        Index("ix_households_pool", "call_list_id", "state", "held_until"),
        # The untouched part of the pool (never held, never tried, or released): reserving
        # reads it without stepping over the held and done rows of a big list.
        Index(
            "ix_households_fresh",
            "call_list_id",
            "timezone",
            postgresql_where=text(_FRESH),
            sqlite_where=text(_FRESH),
        ),
        # Retries that have come due (no answer, busy, call-backs).
        Index("ix_households_retry", "call_list_id", "state", "next_call_at"),
        # The list's distinct time zones, one index probe each (calling hours).
        Index("ix_households_list_timezone", "call_list_id", "timezone"),
        # Call-backs due for one volunteer; a phone across campaigns (do-not-call).
        Index("ix_households_call_back", "call_back_volunteer_id", "next_call_at"),
        Index("ix_households_phone", "phone"),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    call_list_id: int = Field(foreign_key="call_lists.id")
    phone: str = Field(max_length=20)  # E.164
    timezone: str = Field(max_length=64)
    # open: can be handed out; done: finished; dnc: on the do-not-call list; bad: bad number
    state: str = Field(default="open", max_length=8)
    attempts: int = Field(default=0)
    next_call_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    call_back_volunteer_id: int | None = Field(default=None)
    # The current (or last) hold. A hold is live while held_until is in the future.
    reservation_id: int | None = Field(default=None, index=True)
    fence: int = Field(default=0, sa_type=BigInteger)
    held_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # --- languages (issue 15): a language barrier named the language heard; the household
    # is then granted only to volunteers who speak it (None: to anyone) ---
    language: str | None = Field(default=None, max_length=8)
    # --- end languages ---


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_source_id", "campaign_id", "source_id"),)
    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    call_list_id: int = Field(foreign_key="call_lists.id", index=True)
    # No index of its own: ix_contacts_source_id (campaign_id, source_id) serves campaign_id
    # lookups too, and each index costs the 1M-row import seconds (bench/notes.md).
    campaign_id: int = Field(foreign_key="campaigns.id")
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)
    phone: str = Field(max_length=20, index=True)  # E.164
    timezone: str = Field(max_length=64)
    extra: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    # The voter file's own id (VanID, voter_reg_num, ncid...), for re-imports and the export.
    source_id: str | None = Field(default=None, max_length=64)
    # The phone as the file wrote it, e.g. "(865) 787-7929": exports give it back unchanged.
    phone_as_imported: str = Field(
        default="", max_length=64, sa_column_kwargs={"server_default": ""}
    )
    # --- voter-file import (issue 11): every phone of the row, in the file's order ---
    # [{"e164", "as_imported", "extension", "kind"}, ...]; `phone` is the first one the import
    # accepted (the household's key). Older rows and raw inserts have [] (use `phone`).
    # An entry with "bad" (the disposition, e.g. "wrong_number") was a bad number for this
    # person only (result_effects); laptops are no longer sent it.
    phones: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    # --- end voter-file import ---
    state: str = Field(default="open", max_length=8)  # open | done | dnc | bad
    attempts: int = Field(default=0)
    last_disposition: str | None = Field(default=None, max_length=32)
    call_back_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Reservation(SQLModel, table=True):
    """A volunteer's exclusive, expiring hold on households of one list.

    Its id comes from a sequence and doubles as the fencing token: a later grant of the same
    household always has a larger fence than an earlier one.
    """

    __tablename__ = "reservations"
    __table_args__ = (Index("ix_reservations_volunteer", "volunteer_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    volunteer_id: int = Field(foreign_key="users.id")
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    call_list_id: int = Field(foreign_key="call_lists.id", index=True)
    status: str = Field(default="active", max_length=10)  # active|released|expired|finished
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    next_request_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReservationItem(SQLModel, table=True):
    """History of every grant of a household: proves no household was held twice at once."""

    __tablename__ = "reservation_items"
    __table_args__ = (Index("ix_reservation_items_household", "household_id", "granted_at"),)
    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(foreign_key="reservations.id", index=True)
    household_id: int = Field(foreign_key="households.id")
    granted_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CallResult(SQLModel, table=True):
    """A call result as the laptop made it: append-only, keyed by the laptop's UUID."""

    __tablename__ = "call_results"
    __table_args__ = (Index("ix_call_results_campaign", "campaign_id", "seq"),)
    # Arrival order: export order and the sync cursor's high-water mark.
    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)  # the laptop's UUID
    campaign_id: int | None = Field(default=None)
    contact_id: int | None = Field(default=None, index=True)
    reservation_id: int | None = Field(default=None, index=True)  # a list's results (sync)
    fence: int = Field(default=0, sa_type=BigInteger)
    volunteer_id: int = Field(foreign_key="users.id", index=True)
    disposition: str = Field(max_length=32)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime = Field(sa_type=UTCDateTime)
    script_version: int = Field(default=0)
    call_back_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    supersedes: str | None = Field(default=None, max_length=36, index=True)  # corrections
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    timing: str | None = Field(default=None, max_length=16)  # on_time | late | late_conflict
    quarantined: bool = Field(default=False)
    quarantine_reason: str | None = Field(default=None, max_length=500)
    flagged: bool = Field(default=False)  # for an organizer to look at (late_conflict...)
    content_hash: str = Field(max_length=64)  # tells an identical repeat from a conflict
    # --- dialed phone (issue 11): the number the laptop dialed (E.164); None from older
    # laptops (the contact's household number, `contacts.phone`, is assumed) ---
    dialed_phone: str | None = Field(default=None, max_length=20)
    # --- end dialed phone ---
    # --- script languages (issue 15): the script language the call was read in; None
    # from laptops too old to say (the script's own language) ---
    language: str | None = Field(default=None, max_length=8)
    # the language a language_barrier result says the voter spoke (issue 15 item 3)
    heard_language: str | None = Field(default=None, max_length=8)
    # --- end script languages ---
    # --- quarantine reason as a message (issue 13 item 5): its code and parameters
    # (sync/messages.py) beside `quarantine_reason`'s English; None before reasons had codes ---
    quarantine_code: str | None = Field(default=None, max_length=40)
    quarantine_params: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # --- end quarantine reason as a message ---


class DoNotCall(SQLModel, table=True):
    """The global do-not-call list: never handed out again, in any campaign."""

    __tablename__ = "do_not_call"
    phone: str = Field(primary_key=True, max_length=20)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    source_result_id: str | None = Field(default=None, max_length=36)


class Feedback(SQLModel, table=True):
    """A volunteer's message to organizers."""

    __tablename__ = "feedback"
    id: int | None = Field(default=None, primary_key=True)
    volunteer_id: int = Field(foreign_key="users.id", index=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaigns.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---------------------------------------------------------------- organizer console
# (sync/hub/console): sign-in sessions, starred items, feedback read state, and the
# indexes the dashboard's aggregates read (crud/dashboard.py).


class ConsoleSession(SQLModel, table=True):
    """An organizer signed in to the console in a browser; only the cookie's SHA-256 is kept."""

    __tablename__ = "console_sessions"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StarredItem(SQLModel, table=True):
    """A result or a feedback message an organizer starred (shared by all organizers)."""

    __tablename__ = "starred_items"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "result" (item_id: its UUID) | "feedback" (its id)
    item_id: str = Field(max_length=36)
    starred_by: int = Field(foreign_key="users.id")
    starred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedbackRead(SQLModel, table=True):
    """A feedback message some organizer has read (no row: unread)."""

    __tablename__ = "feedback_reads"
    feedback_id: int = Field(foreign_key="feedback.id", primary_key=True)
    read_by: int = Field(foreign_key="users.id")
    read_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# One index for the console's figures over results, read without touching the table: calls
# per hour (a range of ended_at), results by volunteer and disposition (the campaign's whole
# range), the listening report's newest-call-first pages. One index, not one per query: each
# costs every result's insert (ingest).
Index(
    "ix_call_results_console",
    CallResult.__table__.c.campaign_id,  # type: ignore[attr-defined]
    CallResult.__table__.c.quarantined,  # type: ignore[attr-defined]
    CallResult.__table__.c.ended_at,  # type: ignore[attr-defined]
    CallResult.__table__.c.volunteer_id,  # type: ignore[attr-defined]
    CallResult.__table__.c.disposition,  # type: ignore[attr-defined]
)
# The review cap's count (crud/effect_review.allowance): a volunteer's household-wide and
# global effects of the last hour. Partial, so it costs only those results' inserts, and the
# count reads the hour's few rows instead of the volunteer's whole history. The count's
# PostgreSQL statement repeats this text (a planner matches a partial index's predicate).
WIDE_DISPOSITIONS = sorted(d.value for d in (*BAD_NUMBER, Disposition.do_not_call))
WIDE_EFFECTS_WHERE = (
    f"disposition IN ({', '.join(repr(d) for d in WIDE_DISPOSITIONS)}) AND quarantined IS false"
)
Index(
    "ix_call_results_wide_effects",
    CallResult.__table__.c.volunteer_id,  # type: ignore[attr-defined]
    CallResult.__table__.c.received_at,  # type: ignore[attr-defined]
    postgresql_where=text(WIDE_EFFECTS_WHERE),
    postgresql_include=["id"],
    sqlite_where=text(WIDE_EFFECTS_WHERE),
)
# ---------------------------------------------------------------- do-not-call audit (issue 11)


class DoNotCallChange(SQLModel, table=True):
    """Who put a number on the do-not-call list or took it off, when, and why.

    Results that ask for do-not-call are told by `do_not_call.source_result_id`; imports and
    removals by an operator are written here (a removal also keeps when the number was added).
    """

    __tablename__ = "do_not_call_changes"
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=20, index=True)
    action: str = Field(max_length=8)  # added | removed
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str = Field(max_length=320)  # an organizer's email, or "os:NAME" for the shell user
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    listed_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # removals
    source_result_id: str | None = Field(default=None, max_length=36)  # removals


# ---------------------------------------------------------------- organizer console: management
# (issue 10 items 4-7: volunteers, campaigns and lists, scripts, contacts)


class ScriptDraft(SQLModel, table=True):
    """A script uploaded for checking and preview: volunteers never see it. Publishing stores
    it as the campaign's next `ScriptVersion` (and names that version here)."""

    __tablename__ = "script_drafts"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    file_name: str = Field(default="", max_length=200)
    source: str = Field(sa_column=Column(Text, nullable=False))  # the YAML as uploaded
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_version: int | None = Field(default=None)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ContactUpload(SQLModel, table=True):
    """A CSV imported through the console: its report, and the rejected rows as a CSV to
    download (any hub process behind the database can serve it)."""

    __tablename__ = "contact_uploads"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    file_name: str = Field(default="", max_length=200)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    rejected: int = Field(default=0)
    rejects_csv: str = Field(default="", sa_column=Column(Text, nullable=False))


# ---------------------------------------------------------------- cap alerts (issue 16)


class CapAlert(SQLModel, table=True):
    """A volunteer refused a list by a campaign's cap (lists per hour or per day): one row
    per volunteer, campaign, cap and hour, counting the refusals, shown to organizers."""

    __tablename__ = "cap_alerts"
    __table_args__ = (UniqueConstraint("campaign_id", "volunteer_id", "cap", "hour"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    volunteer_id: int = Field(foreign_key="users.id", index=True)
    cap: str = Field(max_length=8)  # "hour" | "day": which cap refused
    allowed: int  # the cap (lists per hour or day) then in force
    hour: datetime = Field(sa_type=UTCDateTime)  # the start of the hour of the refusals
    refusals: int = 1
    last_at: datetime = Field(sa_type=UTCDateTime)


# ---------------------------------------------------------------- dashboard tallies (issue 14)


class ResultTally(SQLModel, table=True):
    """A running total over a campaign's counted results (not quarantined), kept by
    `crud/result_tallies` in the transaction that stores them: the dashboard reads a few
    thousand of these instead of every result. One row per volunteer, so concurrent uploads
    of different volunteers never wait for each other's row.

    kind `disposition` (key: the disposition; `last_at`: the newest ended_at), `hour` (key:
    the UTC hour ended_at falls in, "YYYY-MM-DD HH"), `answered` (key: a question id; reached
    calls that answered it), `superseded` (key ""; results a correction of the same
    volunteer replaces).
    """

    __tablename__ = "result_tallies"
    campaign_id: int = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True, max_length=64)
    volunteer_id: int = Field(primary_key=True)
    n: int = Field(default=0, sa_type=BigInteger)
    last_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChoiceTally(SQLModel, table=True):
    """How many counted results (not quarantined) gave an answer to a question, per
    volunteer (no row shared by two volunteers' uploads), kept by `crud/choice_tallies` in
    the transaction that stores them: the listening report's choice counts read these.
    `answer` is the answer as PostgreSQL's `->>` gives it (a multi answer: its JSON list)."""

    __tablename__ = "choice_tallies"
    campaign_id: int = Field(primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    answer: str = Field(primary_key=True)
    volunteer_id: int = Field(primary_key=True)
    n: int = Field(default=0, sa_type=BigInteger)
