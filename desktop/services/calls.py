"""The call screen's use cases: what to show for a contact, saving a result, who is next."""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import datetime

from desktop.services.context import Context
from desktop.services.errors import UserError, user_error
from desktop.services.hours import in_calling_hours, local_time
from desktop.services.lists import contact_row
from desktop.services.views import (
    Attempt,
    CallDraft,
    CallView,
    Changes,
    HouseholdMember,
    ProgressView,
    ResultDraft,
    RetryOutlook,
    SavedResult,
)
from desktop.store import catalog, contacts, drafts, meta, reservations, results
from desktop.store.results import ResultRecord
from desktop.store.sql import Connection
from desktop.store.timefmt import opt_text, opt_time
from sync.messages import Code
from sync.protocol import (
    BAD_NUMBER,
    E164_PATTERN,
    LANGUAGE_PATTERN,
    MAX_ANSWERS_PER_RESULT,
    MAX_NOTES_CHARS,
    Disposition,
    Policy,
    QuestionKind,
    Script,
    answer_problem_message,
)

MAX_NOTES = MAX_NOTES_CHARS  # the hub's limit too (sync/protocol.py)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_placeholders(template: str, values: dict[str, str]) -> str:
    """Replace {name} with values[name]; unknown placeholders and stray braces stay as
    they are (never a KeyError)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def call_view(ctx: Context, contact_id: int) -> CallView:
    now = ctx.clock()
    with ctx.store.read() as conn:
        c = contacts.contact(conn, contact_id)
        if c is None:
            raise user_error(Code.CONTACT_GONE)
        household = contacts.household_of(conn, c)
        earlier = results.for_contact(conn, contact_id)
        campaign = catalog.campaign(conn, c.campaign_id)
        script = catalog.script_for(conn, c.campaign_id)
        volunteer_name = meta.get(conn, meta.VOLUNTEER_NAME) or ""
    policy = campaign.policy if campaign else Policy()
    local = local_time(c.timezone, now)
    values = {"first_name": c.first_name, "last_name": c.last_name}
    if volunteer_name:
        values["volunteer_name"] = volunteer_name
    return CallView(
        contact_id=c.id,
        reservation_id=c.reservation_id,
        campaign_id=c.campaign_id,
        first_name=c.first_name,
        last_name=c.last_name,
        phone=c.current_phone[0],
        extension=c.current_phone[1],
        phone_kind=c.phones[c.phone_index].get("kind", "") if c.has_phone_entry else "",
        number=c.phone_index + 1,
        numbers=max(len(c.phones), 1),
        own_number=c.current_phone[0] != c.phone,
        timezone=c.timezone,
        local_time=local.strftime("%H:%M %a"),
        within_calling_hours=in_calling_hours(
            c.timezone, policy.calling_hours_start, policy.calling_hours_end, now
        ),
        calling_hours=(policy.calling_hours_start, policy.calling_hours_end),
        state=c.state,  # type: ignore[arg-type]
        household=tuple(
            HouseholdMember(id=m.id, name=m.name, state=m.state)  # type: ignore[arg-type]
            for m in household
        ),
        extra=tuple(c.extra.items()),
        hub_attempts=c.hub_attempts,
        attempts=tuple(
            Attempt(
                result_id=r.id,
                at=r.ended_at,
                disposition=r.disposition,
                notes=r.notes,
                synced=r.outbox_state == "done",
                answers=dict(r.answers),
                corrected=r.supersedes is not None,
            )
            for r in earlier
            if r.id not in {e.supersedes for e in earlier}
        ),
        script=script,
        intro=fill_placeholders(script.intro, values) if script else "",
        closing=fill_placeholders(script.closing, values) if script else "",
        volunteer_name=volunteer_name,
        intros={
            code: fill_placeholders(tr.intro, values)
            for code, tr in (script.translations.items() if script else ())
        },
    )


def _validate(draft: ResultDraft, now: datetime, script: Script | None) -> Disposition:
    try:
        disposition = Disposition(draft.disposition)
    except ValueError:
        raise user_error(Code.UNKNOWN_OUTCOME, value=str(draft.disposition)) from None
    for name in ("started_at", "ended_at", "call_back_at"):
        value = getattr(draft, name)
        if value is not None and value.tzinfo is None:
            raise user_error(Code.TIME_WITHOUT_ZONE, field=name)
    if disposition == Disposition.call_back:
        if draft.call_back_at is None:
            raise user_error(Code.CALL_BACK_MISSING)
        if draft.call_back_at <= now:
            raise user_error(Code.CALL_BACK_PAST)
    if len(draft.notes) > MAX_NOTES:
        raise user_error(Code.NOTES_TOO_LONG, n=len(draft.notes), max=MAX_NOTES)
    for question_id, answer in draft.answers.items():
        if not (isinstance(question_id, str) and _is_answer(answer)):
            raise user_error(Code.ANSWER_NOT_VALUE, question=str(question_id))
    if len(draft.answers) > MAX_ANSWERS_PER_RESULT:
        raise user_error(Code.TOO_MANY_ANSWERS, max=MAX_ANSWERS_PER_RESULT)
    problem = answer_problem_message(draft.answers)
    if problem:
        raise UserError(problem)
    if script is not None:
        for question_id, answer in draft.answers.items():
            question = script.question(question_id)
            if question is None:
                raise user_error(Code.NO_SUCH_QUESTION, question=question_id)
            if question.kind == QuestionKind.multi and not isinstance(answer, list | None):
                raise user_error(Code.ANSWER_TAKES_LIST, question=question_id)
    return disposition


def _is_answer(value: object) -> bool:
    """`value` fits `sync.protocol.Answer` exactly (text, a whole number, yes/no, a list of
    texts, or nothing): checked by hand, it is on every save."""
    if value is None or isinstance(value, str | int):  # bool is an int
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def record_result(ctx: Context, draft: ResultDraft) -> SavedResult:
    try:
        return _record_result(ctx, draft)
    except sqlite3.Error as exc:
        raise user_error(Code.NOT_SAVED_DISK, error=str(exc)) from exc


def _record_result(ctx: Context, draft: ResultDraft) -> SavedResult:
    now = ctx.clock()
    started = draft.started_at or now
    ended = draft.ended_at or now
    with ctx.store.write() as conn:
        c = contacts.contact(conn, draft.contact_id)
        if c is None:
            raise user_error(Code.CONTACT_GONE_NOT_SAVED)
        reservation = reservations.reservation(conn, c.reservation_id)
        if reservation is None:  # pragma: no cover - contacts always have their reservation
            raise user_error(Code.CONTACT_LIST_GONE)
        campaign = catalog.campaign(conn, c.campaign_id)
        script = catalog.script_for(conn, c.campaign_id, draft.script_version)
        disposition = _validate(draft, now, script)
        if draft.supersedes is not None:
            _check_correction(conn, c.id, draft.supersedes, disposition)
        if ended < started:
            started, ended = ended, started
        policy = campaign.policy if campaign else Policy()
        record = ResultRecord(
            id=uuid.uuid4(),
            contact_id=c.id,
            reservation_id=reservation.id,
            fence=reservation.fence,
            campaign_id=c.campaign_id,
            disposition=disposition.value,
            answers=dict(draft.answers),
            notes=draft.notes,
            started_at=started,
            ended_at=ended,
            call_back_at=draft.call_back_at if disposition == Disposition.call_back else None,
            script_version=_script_version(script, draft, campaign),
            supersedes=draft.supersedes,
            created_at=now,
            dialed_phone=_dialed_phone(conn, c, draft.supersedes),
            language=_language(script, draft),
            heard_language=_heard_language(draft, disposition),
        )
        results.insert(conn, record)
        drafts.clear(conn, c.id)  # the call is saved: its draft is done with
        state = contacts.apply_disposition(
            conn,
            c,
            disposition,
            now=now,
            call_back_at=record.call_back_at,
            retry_after_seconds=policy.retry_after_seconds,
            max_attempts=policy.max_attempts,
            correction=draft.supersedes is not None,
        )
        pending = results.unsent_count(conn)
        changed = contacts.affected_entries(conn, c)
        unsent_here = results.unsent_by_campaign(conn, c.campaign_id) if campaign else 0
    progress = None
    if campaign is not None:  # the goal as the status bar shows it, without asking again
        progress = ProgressView(
            campaign_id=campaign.id,
            goal=campaign.goal,
            calls_made=campaign.calls_made + unsent_here,
            mine=campaign.mine + unsent_here,
        )
    return SavedResult(
        id=record.id,
        contact_id=c.id,
        contact_state=state,  # type: ignore[arg-type]
        changes=Changes(
            rows=tuple(contact_row(e) for e in changed), pending=pending, progress=progress
        ),
    )


def _dialed_phone(
    conn: Connection, c: contacts.ContactRecord, supersedes: uuid.UUID | None
) -> str | None:
    """The number this call was on: the contact's current one, or for a correction the
    number of the call it corrects (the current one may have moved on since)."""
    if supersedes is not None:
        old = results.get(conn, supersedes)
        if old is not None:
            return old.dialed_phone
    # Only a number the hub will take (all it sends are E.164): a malformed one would get
    # the whole result refused, where leaving it out only falls back to the household's.
    phone = c.current_phone[0]
    return phone if re.fullmatch(E164_PATTERN, phone) else None


def _language(script: Script | None, draft: ResultDraft) -> str | None:
    """The script language the call was read in: one the script has, else its own."""
    if script is None:
        return draft.language if _is_language(draft.language) else None
    if draft.language is not None and draft.language not in script.languages():
        raise user_error(Code.SCRIPT_LANGUAGE_MISSING, language=draft.language)
    return draft.language or script.language


def _heard_language(draft: ResultDraft, disposition: Disposition) -> str | None:
    """The language the voter spoke, kept only on a language barrier."""
    if disposition != Disposition.language_barrier or not draft.heard_language:
        return None
    if not _is_language(draft.heard_language):
        raise user_error(Code.LANGUAGE_CODE_INVALID, language=draft.heard_language)
    return draft.heard_language


def _is_language(code: str | None) -> bool:
    return code is not None and re.fullmatch(LANGUAGE_PATTERN, code) is not None


def _check_correction(
    conn: Connection, contact_id: int, supersedes: uuid.UUID, disposition: Disposition
) -> None:
    """A correction replaces this contact's own standing result on this laptop."""
    old = results.get(conn, supersedes)
    if old is None or old.contact_id != contact_id:
        raise user_error(Code.CORRECTION_GONE)
    if results.superseded(conn, supersedes):
        raise user_error(Code.CORRECTION_SUPERSEDED)
    if old.disposition == Disposition.do_not_call and disposition != Disposition.do_not_call:
        # The hub's do-not-call list is permanent for every campaign: only an organizer
        # takes a number off it (phonebank-hub dnc remove).
        raise user_error(Code.DO_NOT_CALL_STAYS)


def _script_version(
    script: Script | None, draft: ResultDraft, campaign: catalog.CampaignRecord | None
) -> int:
    if script is not None:
        return script.version
    if draft.script_version is not None:
        return draft.script_version
    return (campaign.script_version if campaign else None) or 0


def next_contact_id(ctx: Context, after_contact_id: int | None = None) -> int | None:
    now = ctx.clock()
    with ctx.store.read() as conn:
        lists = reservations.reservations_with_contacts(conn)
        after = None
        if after_contact_id is not None:
            c = contacts.contact(conn, after_contact_id)
            if c is not None:
                if (
                    c.state == contacts.TO_CALL
                    and c.phone_index > 0
                    and (c.last_disposition in BAD_NUMBER and c.due_at is None)
                ):
                    return c.id  # that number was wrong: their next one, at once
                after = (c.reservation_id, c.position)
        return contacts.next_contact(conn, lists, after, now)


def retry_outlook(ctx: Context) -> RetryOutlook | None:
    """When the list is done for now: who can be tried again, from when, until when."""
    with ctx.store.read() as conn:
        waiting, first_at, hold_until = contacts.waiting_retries(conn, ctx.clock())
    if not waiting or first_at is None or hold_until is None:
        return None
    return RetryOutlook(waiting=waiting, first_at=first_at, hold_until=hold_until)


# ---------------------------------------------------------------- drafts


def save_draft(ctx: Context, draft: CallDraft) -> None:
    body = {
        "path": list(draft.path),
        "finished": draft.finished,
        "answers": draft.answers,
        "disposition": draft.disposition,
        "notes": draft.notes[:MAX_NOTES],
        "call_back_at": opt_text(draft.call_back_at),
        "started_at": opt_text(draft.started_at),
        "supersedes": str(draft.supersedes) if draft.supersedes else None,
        "language": draft.language,
        "heard_language": draft.heard_language,
    }
    with ctx.store.write() as conn:
        drafts.put(conn, draft.contact_id, body, ctx.clock())


def saved_draft(ctx: Context) -> CallDraft | None:
    """The call left in progress, if its contact is still on this laptop to call."""
    with ctx.store.read() as conn:
        found = drafts.get(conn)
        if found is None:
            return None
        contact_id, body, saved_at = found
        c = contacts.contact(conn, contact_id)
    if c is None:
        return None
    try:
        supersedes = uuid.UUID(body["supersedes"]) if body.get("supersedes") else None
        answers = body.get("answers") or {}
        return CallDraft(
            contact_id=contact_id,
            path=tuple(str(q) for q in body.get("path") or ()),
            finished=bool(body.get("finished")),
            answers={str(k): v for k, v in answers.items() if _is_answer(v)},
            disposition=body.get("disposition") or None,
            notes=str(body.get("notes") or ""),
            call_back_at=opt_time(body.get("call_back_at")),
            started_at=opt_time(body.get("started_at")),
            supersedes=supersedes,
            language=body.get("language") if _is_language(body.get("language")) else None,
            heard_language=(
                body.get("heard_language") if _is_language(body.get("heard_language")) else None
            ),
            saved_at=saved_at,
        )
    except (TypeError, ValueError, AttributeError):
        return None  # a draft this version cannot read: the result was never saved anyway


def discard_draft(ctx: Context, contact_id: int | None = None) -> None:
    with ctx.store.write() as conn:
        drafts.clear(conn, contact_id)
