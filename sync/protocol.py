"""The wire format between the desktop app and the hub, defined once for both sides.

Every request carries ``PROTOCOL_HEADER``; the hub answers 426 to a client older than
``MIN_CLIENT_PROTOCOL``. Times are ISO 8601 with a UTC offset (``AwareDatetime``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

# Calling hours are part of the protocol; the rule lives in sync/calling_hours.py (standard
# library only: the call screen uses it without waiting for pydantic).
from sync.calling_hours import in_calling_hours as in_calling_hours
from sync.calling_hours import zone_of as zone_of
from sync.messages import Code, Message

PROTOCOL_VERSION = 1
MIN_CLIENT_PROTOCOL = 1
PROTOCOL_HEADER = "X-Phonebank-Protocol"
API_PREFIX = "/api/v1"
MAX_RESULTS_PER_BATCH = 500
# Limits both sides keep (the laptop refuses to save beyond them; the hub answers 422, or
# 413 for a body over MAX_BODY_BYTES before reading it as JSON).
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_ANSWERS_PER_RESULT = 100  # no script has more questions
MAX_ANSWER_CHARS = 5_000  # one text answer, or all of a multiple-choice answer's choices
MAX_CHOICES_PER_ANSWER = 50
MAX_NOTES_CHARS = 20_000
MAX_ID = 2**31 - 1  # ids are 32-bit on the hub: a larger one is "not found", never a query
END = "end"  # a `next` that finishes the script


class Role(StrEnum):
    volunteer = "volunteer"
    organizer = "organizer"


class Disposition(StrEnum):
    contacted = "contacted"
    no_answer = "no_answer"
    busy = "busy"
    left_message = "left_message"
    wrong_number = "wrong_number"
    disconnected = "disconnected"
    refused = "refused"
    deceased = "deceased"
    do_not_call = "do_not_call"
    call_back = "call_back"
    language_barrier = "language_barrier"


# ---------------------------------------------------------------- what a disposition means
# The hub (crud/result_effects.py) and the laptop (desktop/store/contacts.py) apply these
# same rules, so the list a volunteer sees agrees with the hub after the next sync.

# The person called is finished with at once.
FINISHED = frozenset(
    {
        Disposition.contacted,
        Disposition.refused,
        Disposition.deceased,
        Disposition.language_barrier,
    }
)
# Nobody could talk: the person is tried again after the retry time, up to max_attempts.
RETRYABLE = frozenset({Disposition.no_answer, Disposition.busy, Disposition.left_message})
# The number is bad (nobody on the list is reached there, or the line is dead).
BAD_NUMBER = frozenset({Disposition.wrong_number, Disposition.disconnected})


# What `ResultIn.dialed_phone` must look like: E.164, "+" and up to 15 digits.
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"


class HouseholdEffect(StrEnum):
    """What a disposition of one person does to the others sharing the number.

    - ``person_only``: nothing; each member keeps their own state and call-back.
    - ``wait``: nobody answered the shared phone: the members still to call wait for the
      retry time too (their own state and call-backs are kept).
    - ``bad_number``: the members still to call are closed (bad number); a member with a
      call-back of their own keeps it (a person reached on this number promised it).
    - ``do_not_call``: the number goes on the do-not-call list: everyone with it, in every
      list, call-backs included, is never called again (the app asks first when that is
      more than the person called).
    """

    person_only = "person_only"
    wait = "wait"
    bad_number = "bad_number"
    do_not_call = "do_not_call"


def household_effect(disposition: Disposition) -> HouseholdEffect:
    if disposition == Disposition.do_not_call:
        return HouseholdEffect.do_not_call
    if disposition in BAD_NUMBER:
        return HouseholdEffect.bad_number
    if disposition in RETRYABLE:
        return HouseholdEffect.wait
    return HouseholdEffect.person_only


def attempts_limit(disposition: Disposition, max_attempts: int) -> int | None:
    """The person is done once their attempts (this one included) reach this; None: the
    count never finishes them (a call-back waits for its time; a bad number or do-not-call
    closes them through its `household_effect`)."""
    if disposition in FINISHED:
        return 0
    if disposition in RETRYABLE:
        return max_attempts
    return None


class QuestionKind(StrEnum):
    choice = "choice"
    multi = "multi"
    scale = "scale"
    yesno = "yesno"
    text = "text"


class _Wire(BaseModel):
    # defer_build: a model's validator is built at its first use, not at import. The laptop
    # uses a few of these models at start-up and the rest only when it syncs; building all
    # of them took about a third of importing the desktop core (bench/notes.md).
    model_config = ConfigDict(extra="ignore", defer_build=True)


class _Body(_Wire):
    """A request body the hub reads: built at import (FastAPI wraps body models in its own
    annotated field, and a deferred model there is built again with a warning)."""

    model_config = ConfigDict(defer_build=False)


# ---------------------------------------------------------------- scripts


class Option(_Wire):
    value: str
    label: str
    next: str | None = None


class Question(_Wire):
    id: str
    text: str
    kind: QuestionKind
    options: list[Option] = Field(default_factory=list)
    next: str | None = None
    scale_min: int = 1
    scale_max: int = 5

    def choices(self) -> list[Option]:
        """The answer buttons this question offers (yes/no and scale have implied options)."""
        if self.kind == QuestionKind.yesno and not self.options:
            return [Option(value="yes", label="Yes"), Option(value="no", label="No")]
        if self.kind == QuestionKind.scale and not self.options:
            return [
                Option(value=str(n), label=str(n))
                for n in range(self.scale_min, self.scale_max + 1)
            ]
        return list(self.options)


Answer = str | list[str] | int | bool | None

# A script language: an ISO 639 code in lower case ("en", "es", "vi"). The script file's own
# text is in `Script.language`; `Script.translations` holds the others (docs/hub.md).
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
DEFAULT_LANGUAGE = "en"


class QuestionTranslation(_Wire):
    text: str
    options: dict[str, str] = Field(default_factory=dict)  # option value -> label


class ScriptTranslation(_Wire):
    """A script's text in one more language: the same questions and answer codes."""

    title: str = ""
    intro: str
    closing: str = ""
    questions: dict[str, QuestionTranslation] = Field(default_factory=dict)


class Script(_Wire):
    """One immutable, published version of a campaign's script."""

    id: int
    campaign_id: int
    version: int
    title: str
    intro: str
    questions: list[Question]
    closing: str = ""
    language: str = DEFAULT_LANGUAGE
    translations: dict[str, ScriptTranslation] = Field(default_factory=dict)

    def languages(self) -> list[str]:
        """The languages the caller can read this script in, its own first."""
        return [self.language, *sorted(k for k in self.translations if k != self.language)]

    def in_language(self, language: str) -> Script:
        """This script with its text in `language` (itself when it has no such translation).

        Only words change: question ids, option values (the answers' codes), kinds and
        branching stay, so a call may switch language halfway and keep its answers.
        """
        tr = self.translations.get(language)
        if tr is None or language == self.language:
            return self
        questions = []
        for q in self.questions:
            qt = tr.questions.get(q.id)
            if qt is None:
                questions.append(q)
                continue
            options = q.options
            if q.kind == QuestionKind.yesno or q.options:
                options = [
                    o.model_copy(update={"label": qt.options.get(o.value, o.label)})
                    for o in q.choices()
                ]
            questions.append(q.model_copy(update={"text": qt.text, "options": options}))
        return self.model_copy(
            update={
                "title": tr.title or self.title,
                "intro": tr.intro,
                "closing": tr.closing,
                "questions": questions,
                "language": language,
            }
        )

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def first_question_id(self) -> str | None:
        return self.questions[0].id if self.questions else None

    def next_question_id(self, question_id: str, answer: Answer) -> str | None:
        """Where the script goes after `answer`; None when it is finished.

        An option's `next` wins (single choice and yes/no), then the question's own `next`,
        then the following question in order.
        """
        index = next((i for i, q in enumerate(self.questions) if q.id == question_id), None)
        if index is None:
            return None
        question = self.questions[index]
        target: str | None = None
        if isinstance(answer, str | bool) and question.kind in (
            QuestionKind.choice,
            QuestionKind.yesno,
        ):
            wanted = ("yes" if answer else "no") if isinstance(answer, bool) else answer
            option = next((o for o in question.choices() if o.value == wanted), None)
            target = option.next if option else None
        if target is None:
            target = question.next
        if target is None:
            target = self.questions[index + 1].id if index + 1 < len(self.questions) else END
        return None if target == END else target


class ScriptRef(_Wire):
    id: int
    version: int


# ---------------------------------------------------------------- accounts


class LoginRequest(_Body):
    # No NUL characters: PostgreSQL text cannot hold them, and no real email or password does.
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^\x00]*$")
    password: str = Field(min_length=1, max_length=1024, pattern=r"^[^\x00]*$")
    device_name: str = Field(default="", max_length=200, pattern=r"^[^\x00]*$")
    # The key the hub gave this laptop at its last sign-in to the account (`LoginResponse`):
    # a known laptop still signs in while strangers guessing the account are slowed down.
    device_key: str = Field(default="", max_length=200, pattern=r"^[^\x00]*$")


class VolunteerPublic(_Wire):
    id: int
    name: str
    role: Role
    email: str = ""
    languages: list[str] = Field(default_factory=list)  # codes, e.g. ["en", "es"]


MAX_LANGUAGES = 20


class LanguagesIn(_Body):
    """PATCH /api/v1/auth/me: the languages the volunteer speaks (replaces the list)."""

    languages: Annotated[
        list[Annotated[str, Field(pattern=LANGUAGE_PATTERN)]], Field(max_length=MAX_LANGUAGES)
    ]


class LoginResponse(_Wire):
    token: str
    volunteer: VolunteerPublic
    expires_at: AwareDatetime | None = None
    device_key: str = ""  # keep it (secret, like the token) and send it at the next sign-in
    # From when POST /auth/renew gives a new token (half the token's life); None: an older hub.
    renew_after: AwareDatetime | None = None


class TokenRenewal(_Wire):
    """POST /api/v1/auth/renew: a new token once the one presented is past half its life.

    Before that `renewed` is False, `token` None, and the presented token stays as it is.
    After a renewal the presented token works only for a short overlap more (so a lost reply
    can be asked again with it: the hub then gives another new token)."""

    renewed: bool
    token: str | None = None
    expires_at: AwareDatetime  # of the token to use from now on
    renew_after: AwareDatetime  # when to ask again


# ---------------------------------------------------------------- campaigns


class Policy(_Wire):
    list_size: int = 20
    hold_seconds: int = 24 * 3600
    cooldown_seconds: int = 10 * 60
    calling_hours_start: str = "09:00"  # in each contact's own time zone
    calling_hours_end: str = "21:00"
    retry_after_seconds: int = 4 * 3600
    max_attempts: int = 3


class CallListPublic(_Wire):
    id: int
    name: str
    remaining: int


class CampaignPublic(_Wire):
    id: int
    name: str
    goal: int
    calls_made: int
    script: ScriptRef | None
    policy: Policy
    lists: list[CallListPublic]
    # active, or paused: listed, but no new lists are handed out (archived ones are not sent)
    status: str = "active"


# ---------------------------------------------------------------- reservations


class ContactPhone(_Wire):
    """One of a contact's numbers, in the order the file had them (the first is `phone`)."""

    e164: str
    as_imported: str = ""  # as the file wrote it, e.g. "(865) 787-7929 x12"
    extension: str = ""  # digits to dial after the call connects
    kind: str = ""  # cell, home, work or "" (from the column's name)


class ContactPublic(_Wire):
    id: int
    first_name: str
    last_name: str
    phone: str  # E.164; the household's number, dialed first (older clients dial only this)
    # Every number, in order (empty from older hubs: then `phone` is the only one).
    phones: list[ContactPhone] = Field(default_factory=list)
    timezone: str  # IANA name, derived from the number at import
    household: str  # contacts sharing it are reserved and shown together
    extra: dict[str, str] = Field(default_factory=dict)
    attempts: int = 0  # earlier calls recorded on the hub
    last_disposition: Disposition | None = None
    call_back_at: AwareDatetime | None = None


class ReservationRequest(_Body):
    call_list_id: int


class ReservationStatus(StrEnum):
    active = "active"
    released = "released"
    expired = "expired"
    finished = "finished"


class ReservationPublic(_Wire):
    id: int
    campaign_id: int
    call_list_id: int
    fence: int  # grows with every grant: tells an old holder from a new one
    status: ReservationStatus = ReservationStatus.active
    created_at: AwareDatetime | None = None
    expires_at: AwareDatetime
    next_request_at: AwareDatetime  # when this volunteer may ask for another list
    contacts: list[ContactPublic] = Field(default_factory=list)


# ---------------------------------------------------------------- results


def answer_problem_message(answers: dict[str, Any]) -> Message | None:
    """Why answers are beyond the limits both sides keep (None when they are within)."""
    for key, value in answers.items():
        if len(key) > 64:
            return Message(Code.QUESTION_ID_TOO_LONG, {"question": key[:20], "max": 64})
        too_long = Message(Code.ANSWER_TOO_LONG, {"question": key, "max": MAX_ANSWER_CHARS})
        if isinstance(value, str) and len(value) > MAX_ANSWER_CHARS:
            return too_long
        if isinstance(value, list):
            if len(value) > MAX_CHOICES_PER_ANSWER:
                return Message(
                    Code.TOO_MANY_CHOICES, {"question": key, "max": MAX_CHOICES_PER_ANSWER}
                )
            if sum(len(str(v)) for v in value) > MAX_ANSWER_CHARS:
                return too_long
    return None


def answer_problem(answers: dict[str, Any]) -> str | None:
    """`answer_problem_message` in English as a clause ("the answer to 'x' is longer...")."""
    message = answer_problem_message(answers)
    if message is None:
        return None
    words = str(message).rstrip(".")
    return words[0].lower() + words[1:]


class ResultIn(_Wire):
    id: uuid.UUID  # made on the laptop; the idempotency key
    contact_id: int
    reservation_id: int
    fence: int
    disposition: Disposition
    answers: dict[str, Answer] = Field(default_factory=dict, max_length=MAX_ANSWERS_PER_RESULT)
    notes: str = Field(default="", max_length=MAX_NOTES_CHARS)
    started_at: AwareDatetime
    ended_at: AwareDatetime
    script_version: int
    call_back_at: AwareDatetime | None = None
    supersedes: uuid.UUID | None = None  # a correction names the result it replaces
    # The number the volunteer dialed (E.164), when the laptop says: a bad number that is
    # not the household's then closes only that number for the person. Absent from older
    # laptops (the household's number is assumed); left out of the content hash when absent.
    dialed_phone: str | None = Field(default=None, max_length=16, pattern=E164_PATTERN)
    # The script language the volunteer read the call in (Script.language or one of its
    # translations); absent from older laptops and left out of the content hash then.
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    # A language_barrier result may name the language the voter spoke: the contact then goes
    # back to the pool for volunteers who speak it, and only to them.
    heard_language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)

    @field_validator("answers")
    @classmethod
    def _answers_bounded(cls, answers: dict[str, Answer]) -> dict[str, Answer]:
        problem = answer_problem(answers)
        if problem:
            raise ValueError(problem)
        return answers


class ResultsIn(_Body):
    results: Annotated[list[ResultIn], Field(max_length=MAX_RESULTS_PER_BATCH)]


class ResultStatus(StrEnum):
    created = "created"
    duplicate = "duplicate"
    conflict = "conflict"
    quarantined = "quarantined"


class Timing(StrEnum):
    on_time = "on_time"
    late = "late"
    late_conflict = "late_conflict"


class ResultOutcome(_Wire):
    id: uuid.UUID
    status: ResultStatus
    timing: Timing | None = None
    reason: str | None = None  # why a result was quarantined or in conflict (English)
    code: str | None = None  # the reason as a message (sync/messages.py): code, parameters
    params: dict[str, int | str] = Field(default_factory=dict)


class ResultsOut(_Wire):
    results: list[ResultOutcome]


# ---------------------------------------------------------------- sync


class Progress(_Wire):
    campaign_id: int
    goal: int
    calls_made: int
    mine: int  # the caller's own results in this campaign


class SyncResponse(_Wire):
    epoch: str
    cursor: str
    reset: bool = False  # the hub did not know the cursor: drop cached state, re-send outbox
    campaigns: list[CampaignPublic] = Field(default_factory=list)
    scripts: list[Script] = Field(default_factory=list)
    dnc: list[str] = Field(default_factory=list)  # E.164 numbers among the caller's contacts
    reservations: list[ReservationPublic] = Field(default_factory=list)
    progress: dict[str, Progress] = Field(default_factory=dict)  # keyed by campaign id
    server_time: datetime | None = None


# ---------------------------------------------------------------- feedback


class FeedbackIn(_Body):
    campaign_id: int | None = None
    text: str = Field(min_length=1, max_length=5000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        # A validation error like any other (the documented 422 body), not a special case.
        if not text.strip():
            raise ValueError("the message is empty")
        return text


class ErrorBody(_Wire):
    """An error answer: `detail` in English; `code` and `params` say the same for a program
    to word itself (sync.messages.Code; docs/hub.md lists them)."""

    detail: Any
    code: str | None = None
    params: dict[str, int | str] = Field(default_factory=dict)
