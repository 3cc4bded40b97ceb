"""Messages as a code and parameters, so each program words them itself (standard library only).

The hub's refusals carry `code` and `params` beside their English `detail` (docs/hub.md lists
the codes); the laptop's core raises and reports `Message`s; the laptop's UI turns them into
translated text (`desktop/ui/messages.py`). `str(message)` is the English wording: the hub's
`detail`, the logs, and what tests read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Param = int | str
Params = Mapping[str, Param]


class Code(StrEnum):
    """Every message either program words. Values are on the wire: never rename one."""

    # ---- the hub's refusals (HTTP error bodies; docs/hub.md "Error codes")
    NOT_SIGNED_IN = "not_signed_in"  # 401
    WRONG_CREDENTIALS = "wrong_credentials"  # 401
    ACCOUNT_DEACTIVATED = "account_deactivated"  # 403
    ORGANIZERS_ONLY = "organizers_only"  # 403
    UNKNOWN_LIST = "unknown_list"  # 404 {id}
    UNKNOWN_RESERVATION = "unknown_reservation"  # 404 {id}
    UNKNOWN_SCRIPT = "unknown_script"  # 404 {id}
    UNKNOWN_CAMPAIGN = "unknown_campaign"  # 404 {id}
    LIST_FINISHED = "list_finished"  # 409 {list}
    OUTSIDE_CALLING_HOURS = "outside_calling_hours"  # 409 {list, start, end}
    LIST_BUSY = "list_busy"  # 409 {list}
    CAMPAIGN_PAUSED = "campaign_paused"  # 409 {campaign}
    CAMPAIGN_ARCHIVED = "campaign_archived"  # 409 {campaign}
    LIST_CLOSED = "list_closed"  # 409 {list}
    COOLING_DOWN = "cooling_down"  # 429 {seconds}
    LIST_CAP = "list_cap"  # 429 {cap, window: hour|day, campaign, seconds}
    TOO_MANY_SIGN_INS = "too_many_sign_ins"  # 429 {seconds, at}
    TOO_LARGE = "too_large"  # 413 {megabytes}
    INVALID_REQUEST = "invalid_request"  # 422 {where, problem}
    BAD_PROTOCOL_HEADER = "bad_protocol_header"  # 400 {header, value}
    UPGRADE_REQUIRED = "upgrade_required"  # 426
    INTERNAL_ERROR = "internal_error"  # 500

    # ---- why the hub quarantined a result (crud/result_checks.py): stored beside the English
    # text (the export's quarantine_reason), sent in the result's outcome. The volunteer is
    # told NOT_YOURS for each of the RESULT_* codes (which ids exist is not said).
    NOT_YOURS = "not_yours"
    RESULT_CONTACT_UNKNOWN = "result_contact_unknown"  # {contact}
    RESULT_RESERVATION_UNKNOWN = "result_reservation_unknown"  # {reservation}
    RESULT_RESERVATION_NOT_YOURS = "result_reservation_not_yours"  # {reservation}
    RESULT_NEVER_HELD = "result_never_held"  # {contact, reservation}
    RESULT_FENCE_MISMATCH = "result_fence_mismatch"  # {fence, reservation}
    CALL_TIMES_OUT_OF_RANGE = "call_times_out_of_range"
    CALL_ENDS_IN_FUTURE = "call_ends_in_future"
    CALL_ENDS_BEFORE_START = "call_ends_before_start"
    CALL_TOO_LONG = "call_too_long"  # {hours}
    SCRIPT_VERSION_UNKNOWN = "script_version_unknown"  # {version}
    ANSWERS_WITHOUT_SCRIPT = "answers_without_script"
    LANGUAGE_NOT_IN_SCRIPT = "language_not_in_script"  # {language, version, languages}
    CORRECTS_ITSELF = "corrects_itself"
    CORRECTS_ANOTHER_VOLUNTEERS = "corrects_another_volunteers"  # {result}
    CORRECTS_ANOTHER_CONTACT = "corrects_another_contact"  # {result}
    SHORT_CONTACTS_HELD = "short_contacts_held"  # {seconds, allowed}
    RESULT_ID_REUSED = "result_id_reused"  # a conflict: the original is kept
    # the answers do not fit the script version (sync/hub/answer_rules.py); {version} each
    ANSWERS_UNKNOWN_QUESTIONS = "answers_unknown_questions"  # {questions}
    ANSWER_NOT_TEXT = "answer_not_text"  # {question}
    ANSWER_NOT_OPTION_LIST = "answer_not_option_list"  # {question}
    ANSWER_STRAY_OPTION = "answer_stray_option"  # {question, value}
    ANSWER_NOT_WHOLE_NUMBER = "answer_not_whole_number"  # {question, value}
    ANSWER_OFF_SCALE = "answer_off_scale"  # {question, value, min, max}
    ANSWER_NOT_YES_NO = "answer_not_yes_no"  # {question, value}
    ANSWER_NOT_OPTION = "answer_not_option"  # {question, value}
    ANSWERS_OFF_BRANCH = "answers_off_branch"  # {questions}

    # ---- talking to the hub (the laptop's HTTP client)
    HUB_UNREACHABLE = "hub_unreachable"  # {url}
    HUB_TIMEOUT = "hub_timeout"  # {url}
    HUB_NOT_HTTPS = "hub_not_https"  # {url, plain}
    HUB_BAD_CERTIFICATE = "hub_bad_certificate"  # {url}
    HUB_UNREADABLE = "hub_unreadable"  # {status}
    HUB_MISMATCH = "hub_mismatch"  # {where, problem}
    HUB_FAILED = "hub_failed"  # {url, status}: a 5xx
    HUB_SAID = "hub_said"  # {detail}: a refusal without a code this app knows
    ADDRESS_MISSING = "address_missing"
    ADDRESS_INVALID = "address_invalid"  # {address}
    ADDRESS_BAD_PORT = "address_bad_port"  # {address}

    # ---- signing in
    EMAIL_MISSING = "email_missing"
    PASSWORD_MISSING = "password_missing"
    UNSENT_FOR_OTHER_ACCOUNT = "unsent_for_other_account"  # {n, email}
    SIGN_IN_REFUSED = "sign_in_refused"  # wrong email or password
    SIGN_IN_THROTTLED = "sign_in_throttled"  # {minutes}
    APP_TOO_OLD = "app_too_old"
    CHECK_CONNECTION = "check_connection"
    CHECK_CREDENTIALS = "check_credentials"

    # ---- names and sync
    SIGN_IN_FIRST = "sign_in_first"
    SIGN_IN_AGAIN = "sign_in_again"
    UPGRADE_FOR_NAMES = "upgrade_for_names"
    OFFLINE_QUEUED = "offline_queued"
    RETRY_NAMES_AT_SYNC = "retry_names_at_sync"
    NAMES_RESERVED = "names_reserved"  # {n}
    MORE_NAMES_SECONDS = "more_names_seconds"  # {n}
    MORE_NAMES_MINUTES = "more_names_minutes"  # {n}
    LIST_EMPTY = "list_empty"
    LIST_GONE = "list_gone"
    HUB_REFUSED = "hub_refused"  # followed by the hub's reason
    NOT_SIGNED_IN_HERE = "not_signed_in_here"
    SYNC_DONE = "sync_done"  # {sent, names, reserved: 0|1}
    ANSWER_NOT_UNDERSTOOD = "answer_not_understood"  # {n}
    SYNC_FAILED = "sync_failed"  # {kind}
    NONE_ACKNOWLEDGED = "none_acknowledged"
    CANNOT_BE_SENT = "cannot_be_sent"  # {why}: a saved result the protocol cannot carry

    # ---- calls and feedback
    CONTACT_GONE = "contact_gone"
    CONTACT_GONE_NOT_SAVED = "contact_gone_not_saved"
    CONTACT_LIST_GONE = "contact_list_gone"
    UNKNOWN_OUTCOME = "unknown_outcome"  # {value}
    TIME_WITHOUT_ZONE = "time_without_zone"  # {field}
    CALL_BACK_MISSING = "call_back_missing"
    CALL_BACK_PAST = "call_back_past"
    NOTES_TOO_LONG = "notes_too_long"  # {n, max}
    ANSWER_NOT_VALUE = "answer_not_value"  # {question}
    TOO_MANY_ANSWERS = "too_many_answers"  # {max}
    QUESTION_ID_TOO_LONG = "question_id_too_long"  # {question, max}
    ANSWER_TOO_LONG = "answer_too_long"  # {question, max}
    TOO_MANY_CHOICES = "too_many_choices"  # {question, max}
    NO_SUCH_QUESTION = "no_such_question"  # {question}
    ANSWER_TAKES_LIST = "answer_takes_list"  # {question}
    NOT_SAVED_DISK = "not_saved_disk"  # {error}
    CORRECTION_GONE = "correction_gone"
    CORRECTION_SUPERSEDED = "correction_superseded"
    DO_NOT_CALL_STAYS = "do_not_call_stays"
    FEEDBACK_EMPTY = "feedback_empty"
    FEEDBACK_TOO_LONG = "feedback_too_long"  # {n, max}

    # ---- languages (the volunteer's, the interface's, the script's)
    LANGUAGE_CODE_INVALID = "language_code_invalid"  # {language}
    TOO_MANY_LANGUAGES = "too_many_languages"  # {max}
    NOT_TRANSLATED_INTO = "not_translated_into"  # {language}: the interface
    SCRIPT_LANGUAGE_MISSING = "script_language_missing"  # {language}

    # ---- the demo hub (`phonebank demo`)
    DEMO_HUB_STOPPED = "demo_hub_stopped"  # {log}
    DEMO_HUB_SLOW = "demo_hub_slow"  # {log}
    DEMO_HUB_SETUP_FAILED = "demo_hub_setup_failed"  # {error}
    DEMO_HUB_CLOSING = "demo_hub_closing"
    DEMO_HUB_NOT_STARTED = "demo_hub_not_started"  # {error}

    # ---- the laptop's data file
    DATA_FILE_UNOPENABLE = "data_file_unopenable"  # {path, error}
    DATA_FILE_NOT_OURS = "data_file_not_ours"  # {path, error}
    DATA_FILE_DAMAGED = "data_file_damaged"  # {path, error}
    DATA_FILE_UNCREATABLE = "data_file_uncreatable"  # {path, error}
    DATA_FILE_UNREADABLE = "data_file_unreadable"  # {path, error}
    DATA_FILE_SCHEMA = "data_file_schema"  # {path, error}
    DATA_FILE_NEWER = "data_file_newer"  # {path, version, known}

    TEXT = "text"  # {text}: words from elsewhere, shown as they are


@dataclass(frozen=True)
class Message:
    """A code, its parameters, and (laptop side only) a sentence that follows it."""

    code: Code
    params: Params = field(default_factory=dict)
    then: Message | None = None

    def __str__(self) -> str:
        text = _english(self.code, self.params)
        return f"{text} {self.then}" if self.then is not None else text

    def wire(self) -> dict[str, Any]:
        """The fields an HTTP error body carries beside `detail`."""
        return {"code": self.code.value, "params": dict(self.params)}

    def to_json(self) -> str:
        return json.dumps(_as_dict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Message:
        """A stored message; text stored before messages had codes comes back as TEXT."""
        try:
            return _from_dict(json.loads(raw))
        except (ValueError, TypeError, KeyError, AttributeError):
            return text(raw)


def text(words: str) -> Message:
    return Message(Code.TEXT, {"text": words})


def from_wire(body: object) -> Message | None:
    """The message of an error body, when its code is one this program knows."""
    if not isinstance(body, dict):
        return None
    code, params = body.get("code"), body.get("params", {})
    if not isinstance(code, str) or code not in Code._value2member_map_:
        return None
    if not isinstance(params, dict):
        return None
    clean = {str(k): v for k, v in params.items() if isinstance(v, int | str)}
    message = Message(Code(code), clean)
    try:  # parameters this program does not expect (another hub version): use the detail
        _strict_english(message.code, clean)
    except (KeyError, ValueError, TypeError):
        return None
    return message


def _as_dict(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = message.wire()
    if message.then is not None:
        out["then"] = _as_dict(message.then)
    return out


def _from_dict(raw: dict[str, Any]) -> Message:
    then = raw.get("then")
    return Message(
        Code(raw["code"]), dict(raw.get("params", {})), _from_dict(then) if then else None
    )


# ---------------------------------------------------------------- English


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def wait_words(seconds: int) -> str:
    """The hub's wait: seconds under a minute, else minutes rounded up."""
    if seconds < 60:
        return plural(seconds, "second", "seconds")
    return plural(math.ceil(seconds / 60), "minute", "minutes")


def _cap(p: Params) -> str:
    seconds = int(p["seconds"])
    when = wait_words(seconds) if seconds < 2 * 3600 else f"{math.ceil(seconds / 3600)} hours"
    window = "hour" if p["window"] == "hour" else "24 hours"
    return (
        f"You have had {plural(int(p['cap']), 'list', 'lists')} from {p['campaign']!r} in the "
        f"last {window}, the most its organizers allow. You can ask for more names in {when}."
    )


def _sync_done(p: Params) -> str:
    parts = []
    if p["sent"]:
        parts.append(f"{plural(int(p['sent']), 'result', 'results')} sent")
    if p["reserved"]:
        parts.append(f"{plural(int(p['names']), 'name', 'names')} reserved for you.")
    return "; ".join(parts) or "Up to date."


_Template = str | Callable[[Params], str]

# What a volunteer is told of a result naming a contact, reservation or fence that does not
# exist or is not theirs: the same words either way.
_NOT_YOURS = "not found, or not yours: the contact, list or fence of this result"

ENGLISH: dict[Code, _Template] = {
    Code.NOT_SIGNED_IN: "Not signed in, or the session has expired. Please sign in again.",
    Code.WRONG_CREDENTIALS: "Wrong email or password.",
    Code.ACCOUNT_DEACTIVATED: "This account has been deactivated by an organizer. Ask your "
    "campaign's organizers if you think this is a mistake.",
    Code.ORGANIZERS_ONLY: "Organizers only.",
    Code.UNKNOWN_LIST: "There is no call list with id {id}.",
    Code.UNKNOWN_RESERVATION: "You have no reservation with id {id}.",
    Code.UNKNOWN_SCRIPT: "No script with id {id}.",
    Code.UNKNOWN_CAMPAIGN: "There is no campaign with id {id}.",
    Code.LIST_FINISHED: "Everyone on {list!r} has been called: this list is finished. "
    "Thank you! Choose another list.",
    Code.OUTSIDE_CALLING_HOURS: "It is outside calling hours ({start}–{end}, the contacts' own "
    "time) for everyone left on {list!r}: nobody can be called right now. Try again later or "
    "choose another list.",
    Code.LIST_BUSY: "Nobody on {list!r} can be called right now: the names left are reserved by "
    "other volunteers, waiting to be tried again, or waiting for someone who speaks their "
    "language. Try again later or choose another list.",
    Code.CAMPAIGN_PAUSED: "The organizers have paused {campaign!r}: no new names are handed out "
    "for now. Lists you already have can still be called.",
    Code.CAMPAIGN_ARCHIVED: "{campaign!r} has ended: its organizers archived it. "
    "Choose another campaign.",
    Code.LIST_CLOSED: "The organizers have closed the list {list!r}: no more names are handed "
    "out from it. Choose another list.",
    Code.COOLING_DOWN: lambda p: (
        f"You can ask for more names in {wait_words(int(p['seconds']))}, "
        "or as soon as you finish your current list."
    ),
    Code.LIST_CAP: _cap,
    Code.TOO_MANY_SIGN_INS: lambda p: (
        "Too many failed sign-in attempts. Please wait "
        f"{plural(int(p['seconds']), 'second', 'seconds')} and try again (at {p['at']} UTC)."
    ),
    Code.TOO_LARGE: "The request is larger than the hub accepts ({megabytes} MB). "
    "Send results in smaller batches.",
    Code.INVALID_REQUEST: "{where}: {problem}",
    Code.BAD_PROTOCOL_HEADER: "{header} must be an integer, got {value!r}",
    Code.UPGRADE_REQUIRED: "This version of Phonebank is too old for the hub. "
    "Please upgrade the app; your unsent results are kept.",
    Code.INTERNAL_ERROR: "Internal error on the hub.",
    Code.NOT_YOURS: _NOT_YOURS,
    Code.RESULT_CONTACT_UNKNOWN: _NOT_YOURS + " (unknown contact {contact})",
    Code.RESULT_RESERVATION_UNKNOWN: _NOT_YOURS + " (unknown reservation {reservation})",
    Code.RESULT_RESERVATION_NOT_YOURS: _NOT_YOURS
    + " (reservation {reservation} belongs to another volunteer)",
    Code.RESULT_NEVER_HELD: _NOT_YOURS
    + " (contact {contact} was never held in reservation {reservation})",
    Code.RESULT_FENCE_MISMATCH: _NOT_YOURS
    + " (fence {fence} does not match reservation {reservation})",
    Code.CALL_TIMES_OUT_OF_RANGE: "start or end time out of range",
    Code.CALL_ENDS_IN_FUTURE: "the call ends more than a day in the future",
    Code.CALL_ENDS_BEFORE_START: "the call ends before it starts",
    Code.CALL_TOO_LONG: "the call lasts more than {hours} hours",
    Code.SCRIPT_VERSION_UNKNOWN: "script version {version} is unknown in this campaign",
    Code.ANSWERS_WITHOUT_SCRIPT: "answers given but this campaign has no script",
    Code.LANGUAGE_NOT_IN_SCRIPT: "the call was read in {language!r}, a language script version "
    "{version} does not have (it has {languages})",
    Code.CORRECTS_ITSELF: "a result cannot correct itself",
    Code.CORRECTS_ANOTHER_VOLUNTEERS: "corrects result {result} of another volunteer",
    Code.CORRECTS_ANOTHER_CONTACT: "corrects result {result}, which is about another contact",
    Code.SHORT_CONTACTS_HELD: "a contacted call of under {seconds} seconds, past {allowed} such "
    "calls in an hour from this volunteer (held for an organizer)",
    Code.RESULT_ID_REUSED: "a different result with this id was stored before; the original is "
    "kept",
    Code.ANSWERS_UNKNOWN_QUESTIONS: "answers name questions the script does not have: "
    "{questions} (script version {version})",
    Code.ANSWER_NOT_TEXT: "the answer to {question!r} is not text (script version {version})",
    Code.ANSWER_NOT_OPTION_LIST: "the answer to {question!r} is not a list of options "
    "(script version {version})",
    Code.ANSWER_STRAY_OPTION: "the answer to {question!r} has {value}, which is not one of its "
    "options (script version {version})",
    Code.ANSWER_NOT_WHOLE_NUMBER: "the answer to {question!r} is {value}, not a whole number "
    "(script version {version})",
    Code.ANSWER_OFF_SCALE: "the answer to {question!r} is {value}, outside {min}..{max} "
    "(script version {version})",
    Code.ANSWER_NOT_YES_NO: "the answer to {question!r} is {value}, not yes or no "
    "(script version {version})",
    Code.ANSWER_NOT_OPTION: "the answer to {question!r} is {value}, which is not one of its "
    "options (script version {version})",
    Code.ANSWERS_OFF_BRANCH: "answers to questions the earlier answers skip (off the script's "
    "branch): {questions} (script version {version})",
    Code.HUB_UNREACHABLE: "Cannot reach the hub at {url}.",
    Code.HUB_TIMEOUT: "The hub at {url} did not answer in time.",
    Code.HUB_NOT_HTTPS: "The hub at {url} does not use a secure (https) connection. If your "
    "organizer gave you an http:// address, type it in full: {plain}",
    Code.HUB_BAD_CERTIFICATE: "The hub at {url} did not present a valid certificate.",
    Code.HUB_UNREADABLE: "The hub sent an unreadable answer (HTTP {status}); "
    "is the address really a Phonebank hub?",
    Code.HUB_MISMATCH: "The hub's answer did not match what this app expects ({where}: "
    "{problem}). The hub may be a different version.",
    Code.HUB_FAILED: "The hub at {url} had a problem (HTTP {status}).",
    Code.HUB_SAID: "{detail}",
    Code.ADDRESS_MISSING: "Please enter the hub address.",
    Code.ADDRESS_INVALID: "{address!r} is not a hub address (e.g. https://hub.example.org).",
    Code.ADDRESS_BAD_PORT: "{address!r} has a bad port number.",
    Code.EMAIL_MISSING: "Please enter the email address you were registered with.",
    Code.PASSWORD_MISSING: "Please enter your password.",
    Code.UNSENT_FOR_OTHER_ACCOUNT: lambda p: (
        "This laptop still has "
        f"{plural(int(p['n']), 'unsent result', 'unsent results')} for {p['email']}. Sign in as "
        f"{p['email']} so they can be sent first."
    ),
    Code.SIGN_IN_REFUSED: "Wrong email or password.",
    Code.SIGN_IN_THROTTLED: lambda p: (
        f"Too many attempts. Try again in {plural(int(p['minutes']), 'minute', 'minutes')}."
    ),
    Code.APP_TOO_OLD: "This version of Phonebank is too old for the hub. Please upgrade the app.",
    Code.CHECK_CONNECTION: "Check the address and your connection.",
    Code.CHECK_CREDENTIALS: "Please check the email address and password.",
    Code.SIGN_IN_FIRST: "Please sign in first.",
    Code.SIGN_IN_AGAIN: "Please sign in again.",
    Code.UPGRADE_FOR_NAMES: "Please upgrade Phonebank to get more names.",
    Code.OFFLINE_QUEUED: "You're offline: the app will get names at the next sync.",
    Code.RETRY_NAMES_AT_SYNC: "The app will try to get names again at the next sync.",
    Code.NAMES_RESERVED: lambda p: f"{plural(int(p['n']), 'name', 'names')} reserved for you.",
    Code.MORE_NAMES_SECONDS: lambda p: (
        f"You can get more names in {plural(int(p['n']), 'second', 'seconds')}."
    ),
    Code.MORE_NAMES_MINUTES: lambda p: (
        f"You can get more names in {plural(int(p['n']), 'minute', 'minutes')}."
    ),
    Code.LIST_EMPTY: "Everyone on this list has been called or is taken.",
    Code.LIST_GONE: "The hub no longer has that list.",
    Code.HUB_REFUSED: "The hub refused:",
    Code.NOT_SIGNED_IN_HERE: "Not signed in.",
    Code.SYNC_DONE: _sync_done,
    Code.ANSWER_NOT_UNDERSTOOD: lambda p: (
        f"The hub's answer was not understood ({plural(int(p['n']), 'problem', 'problems')})."
    ),
    Code.SYNC_FAILED: "Sync failed unexpectedly ({kind}); it will be retried.",
    Code.NONE_ACKNOWLEDGED: "The hub acknowledged none of the results sent.",
    Code.CANNOT_BE_SENT: "This result cannot be sent: {why}",
    Code.CONTACT_GONE: "That contact is no longer on this laptop.",
    Code.CONTACT_GONE_NOT_SAVED: "That contact is no longer on this laptop; the result was not "
    "saved.",
    Code.CONTACT_LIST_GONE: "That contact's list is no longer on this laptop.",
    Code.UNKNOWN_OUTCOME: "Unknown call outcome {value!r}.",
    Code.TIME_WITHOUT_ZONE: "{field} must carry a time zone.",
    Code.CALL_BACK_MISSING: "Please choose when to call back.",
    Code.CALL_BACK_PAST: "The call-back time must be in the future.",
    Code.NOTES_TOO_LONG: lambda p: (
        f"Notes are too long ({plural(int(p['n']), 'character', 'characters')}; {p['max']} max)."
    ),
    Code.ANSWER_NOT_VALUE: "The answer to {question!r} is not text, a number or a list.",
    Code.TOO_MANY_ANSWERS: "More than {max} answers in one call.",
    Code.QUESTION_ID_TOO_LONG: "Question id {question!r}... is longer than {max} characters.",
    Code.ANSWER_TOO_LONG: "The answer to {question!r} is longer than {max} characters.",
    Code.TOO_MANY_CHOICES: "The answer to {question!r} has more than {max} choices.",
    Code.NO_SUCH_QUESTION: "The script has no question {question!r}.",
    Code.ANSWER_TAKES_LIST: "Question {question!r} takes a list of answers.",
    Code.NOT_SAVED_DISK: "The result could NOT be saved ({error}). Please keep your notes and "
    "try again; if this repeats, check the disk space.",
    Code.CORRECTION_GONE: "The call to correct is not on this laptop; the result was not saved.",
    Code.CORRECTION_SUPERSEDED: "That call was corrected already; correct the newer one instead.",
    Code.DO_NOT_CALL_STAYS: "This number is on the do-not-call list and stays there: only an "
    "organizer can remove it. Nothing was saved.",
    Code.FEEDBACK_EMPTY: "Please write a message first.",
    Code.FEEDBACK_TOO_LONG: lambda p: (
        "The message is too long "
        f"({plural(int(p['n']), 'character', 'characters')}; {p['max']} max)."
    ),
    Code.LANGUAGE_CODE_INVALID: "{language!r} is not a language code (two or three letters, "
    "e.g. es).",
    Code.TOO_MANY_LANGUAGES: "At most {max} languages.",
    Code.NOT_TRANSLATED_INTO: "Phonebank is not translated into {language!r}.",
    Code.SCRIPT_LANGUAGE_MISSING: "The script has no {language!r} translation.",
    Code.DEMO_HUB_STOPPED: "The demo hub stopped while starting; see {log}.",
    Code.DEMO_HUB_SLOW: "The demo hub did not start in time; see {log}.",
    Code.DEMO_HUB_SETUP_FAILED: "The demo hub could not be set up: {error}",
    Code.DEMO_HUB_CLOSING: "The demo hub was not started: the app is closing.",
    Code.DEMO_HUB_NOT_STARTED: "The demo hub could not be started ({error}).",
    Code.DATA_FILE_UNOPENABLE: "Cannot open the data file {path}: {error}.",
    Code.DATA_FILE_NOT_OURS: "The data file {path} is not a Phonebank database or is damaged "
    "({error}).",
    Code.DATA_FILE_DAMAGED: "The data file {path} is damaged ({error}).",
    Code.DATA_FILE_UNCREATABLE: "Cannot create the data file {path}: {error}.",
    Code.DATA_FILE_UNREADABLE: "The data file {path} could not be read ({error}).",
    Code.DATA_FILE_SCHEMA: "{error}",
    Code.DATA_FILE_NEWER: "The data file {path} was written by a newer version of Phonebank "
    "(schema {version}, this app knows {known}). Please upgrade the app.",
    Code.TEXT: "{text}",
}


def _strict_english(code: Code, params: Params) -> str:
    template = ENGLISH[code]
    return template(params) if callable(template) else template.format_map(params)


def _english(code: Code, params: Params) -> str:
    try:
        return _strict_english(code, params)
    except (KeyError, ValueError, TypeError):  # a parameter missing: still say something
        template = ENGLISH[code]
        return template if isinstance(template, str) else code.value
