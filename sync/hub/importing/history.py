"""What the campaign already knows about the people in a file, from every list.

A person is the same source id, or the same phone and name (case-insensitive). Someone
recorded as deceased, refused, do-not-call or already reached is imported but never handed
out; a wrong or disconnected number is not dialed for them again; someone called within the
retry window (or with a call-back due) waits until then. Loaded once per import: only contacts
with a history are read, so a fresh campaign costs one empty query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, or_, select
from sqlmodel import Session, SQLModel

from sync.protocol import BAD_NUMBER, Disposition

# reason shown in the report -> the state the new contact gets
FINAL = {
    "do-not-call": "dnc",
    "deceased": "done",
    "refused": "done",
    "already reached": "done",
}
WRONG_NUMBER = "wrong number"
CALLED_RECENTLY = "called within the retry window"
CALL_BACK_DUE = "call-back due"
_CONTACTS: Table = SQLModel.metadata.tables["contacts"]
_HOUSEHOLDS: Table = SQLModel.metadata.tables["households"]


def person_key(digits: int, first: str, last: str) -> int:
    return hash((digits, first.casefold(), last.casefold()))


@dataclass
class Known:
    """One person's history, merged over their earlier contacts."""

    final: str | None = None  # a FINAL reason
    bad_phones: set[str] = field(default_factory=set)  # E.164 numbers wrong for them
    until: datetime | None = None  # not to be called before
    why_wait: str = CALLED_RECENTLY


@dataclass
class History:
    by_id: dict[str, Known] = field(default_factory=dict)
    by_person: dict[int, Known] = field(default_factory=dict)

    def of(self, source_id: str | None, digits: list[int], first: str, last: str) -> Known | None:
        if source_id is not None and source_id in self.by_id:
            return self.by_id[source_id]
        for d in digits:
            known = self.by_person.get(person_key(d, first, last))
            if known is not None:
                return known
        return None


def load_history(session: Session, campaign_id: int, now: datetime) -> History:
    c, h = _CONTACTS.c, _HOUSEHOLDS.c
    rows = session.connection().execute(
        select(c.source_id, c.phone, c.first_name, c.last_name, c.state, c.last_disposition,
               h.state, h.next_call_at, c.phones)
        .join_from(_CONTACTS, _HOUSEHOLDS, h.id == c.household_id)
        .where(
            c.campaign_id == campaign_id,
            or_(c.state != "open", c.attempts > 0, h.state != "open", h.next_call_at.is_not(None)),
        )
    )  # fmt: skip
    history = History()
    for source_id, phone, first, last, state, disposition, h_state, next_call, phones in rows:
        known = Known()
        if state == "dnc" or h_state == "dnc" or disposition == Disposition.do_not_call:
            known.final = "do-not-call"
        elif disposition == Disposition.deceased:
            known.final = "deceased"
        elif disposition == Disposition.refused:
            known.final = "refused"
        elif state == "done" and disposition in (
            Disposition.contacted,
            Disposition.language_barrier,
        ):
            known.final = "already reached"
        # "Wrong number (that number)": a number the laptop said it dialed is marked bad in
        # the person's phones; the household's number is bad when the household's rule
        # applied (a bad number with no dialed number named, from older laptops).
        other_bad = {p["e164"] for p in phones or [] if p.get("bad") and p.get("e164")}
        known.bad_phones |= other_bad
        if h_state == "bad" or state == "bad" or (disposition in BAD_NUMBER and not other_bad):
            known.bad_phones.add(phone)
        if next_call is not None and next_call > now and known.final is None:
            known.until = next_call
            if disposition == Disposition.call_back:
                known.why_wait = CALL_BACK_DUE
        if known.final is None and not known.bad_phones and known.until is None:
            continue
        person = person_key(int(phone[1:]), first, last)
        history.by_person[person] = _merge(history.by_person.get(person), known)
        if source_id:
            history.by_id[source_id] = _merge(history.by_id.get(source_id), known)
    return history


def _merge(old: Known | None, new: Known) -> Known:
    if old is None:
        return new
    merged = Known(old.final or new.final, old.bad_phones | new.bad_phones)
    for k in (old, new):
        if k.until is not None and (merged.until is None or k.until > merged.until):
            merged.until, merged.why_wait = k.until, k.why_wait
    if merged.final is not None:
        merged.until = None
    return merged
