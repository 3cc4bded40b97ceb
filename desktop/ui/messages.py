"""Messages (a code and parameters, `sync.messages`) in the user's language.

Every code has its text here, through `QCoreApplication.translate("messages", ...)` so that
`pyside6-lupdate` collects them, with "%1".."%9" for the parameters; texts with a count go
through `messages.tr(text, "", n)` (Qt's "%n" plurals: see `_MessagesContext`). The source
texts are also the English the app shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from sync.messages import Code, Message, Params

translate = QCoreApplication.translate

_PLURAL = re.compile(r"(\w)\(s\)")
_ARG = re.compile(r"%([1-9])")

Render = Callable[[Params], str]


class _MessagesContext:
    """The texts with a count: `messages.tr("%n name(s) reserved for you.", "", n)`.

    lupdate reads this shape as a plural of the context "messages" (the prefix names it), so
    `make translations` keeps each language's plural forms. It does not read
    `translate("messages", text, None, n)` as one: its Python parser takes a name in the
    fourth place for a Qt 4 encoding, and drops the whole call when it is an expression.
    """

    def tr(self, source: str, disambiguation: str, n: int) -> str:
        text = translate("messages", source, disambiguation, n)
        if text == source.replace("%n", str(n)):  # no .qm loaded: Qt leaves "name(s)"
            text = _PLURAL.sub(lambda m: m.group(1) + ("" if n == 1 else "s"), text)
        return text


messages = _MessagesContext()


def _fill(text: str, *args: object) -> str:
    """Put the parameters into a translated `text`."""
    return _ARG.sub(lambda m: _arg(args, int(m.group(1))), text)


def _arg(args: tuple[object, ...], index: int) -> str:
    return str(args[index - 1]) if index <= len(args) else f"%{index}"


def _quoted(value: object) -> str:
    return repr(str(value))


def _wait(seconds: int) -> str:
    """The hub's wait in words: seconds under a minute, else minutes rounded up."""
    if seconds < 60:
        return messages.tr("%n second(s)", "", seconds)
    return messages.tr("%n minute(s)", "", math.ceil(seconds / 60))


def _cap(p: Params) -> str:
    seconds, cap = int(p["seconds"]), int(p["cap"])
    if seconds < 2 * 3600:
        when = _wait(seconds)
    else:
        when = messages.tr("%n hour(s)", "", math.ceil(seconds / 3600))
    if p["window"] == "hour":
        text = messages.tr(
            "You have had %n list(s) from %1 in the last hour, the most its organizers allow. "
            "You can ask for more names in %2.",
            "",
            cap,
        )
    else:
        text = messages.tr(
            "You have had %n list(s) from %1 in the last 24 hours, the most its organizers "
            "allow. You can ask for more names in %2.",
            "",
            cap,
        )
    return _fill(text, _quoted(p["campaign"]), when)


def _sync_done(p: Params) -> str:
    parts = []
    sent, names = int(p["sent"]), int(p["names"])
    if sent:
        parts.append(messages.tr("%n result(s) sent", "", sent))
    if p["reserved"]:
        parts.append(_names_reserved(names))
    return translate("messages", "; ").join(parts) or translate("messages", "Up to date.")


def _names_reserved(n: int) -> str:
    return messages.tr("%n name(s) reserved for you.", "", n)


_TEXTS: dict[Code, Render] = {
    # ---- the hub's refusals
    Code.NOT_SIGNED_IN: lambda p: translate(
        "messages", "Not signed in, or the session has expired. Please sign in again."
    ),
    Code.WRONG_CREDENTIALS: lambda p: translate("messages", "Wrong email or password."),
    Code.ACCOUNT_DEACTIVATED: lambda p: translate(
        "messages",
        "This account has been deactivated by an organizer. Ask your campaign's organizers "
        "if you think this is a mistake.",
    ),
    Code.ORGANIZERS_ONLY: lambda p: translate("messages", "Organizers only."),
    Code.UNKNOWN_LIST: lambda p: _fill(
        translate("messages", "There is no call list with id %1."), p["id"]
    ),
    Code.UNKNOWN_RESERVATION: lambda p: _fill(
        translate("messages", "You have no reservation with id %1."), p["id"]
    ),
    Code.UNKNOWN_SCRIPT: lambda p: _fill(translate("messages", "No script with id %1."), p["id"]),
    Code.UNKNOWN_CAMPAIGN: lambda p: _fill(
        translate("messages", "There is no campaign with id %1."), p["id"]
    ),
    Code.LIST_FINISHED: lambda p: _fill(
        translate(
            "messages",
            "Everyone on %1 has been called: this list is finished. Thank you! "
            "Choose another list.",
        ),
        _quoted(p["list"]),
    ),
    Code.OUTSIDE_CALLING_HOURS: lambda p: _fill(
        translate(
            "messages",
            "It is outside calling hours (%1–%2, the contacts' own time) for everyone left on "
            "%3: nobody can be called right now. Try again later or choose another list.",
        ),
        p["start"],
        p["end"],
        _quoted(p["list"]),
    ),
    Code.LIST_BUSY: lambda p: _fill(
        translate(
            "messages",
            "Nobody on %1 can be called right now: the names left are reserved by other "
            "volunteers, waiting to be tried again, or waiting for someone who speaks their "
            "language. Try again later or choose another list.",
        ),
        _quoted(p["list"]),
    ),
    Code.CAMPAIGN_PAUSED: lambda p: _fill(
        translate(
            "messages",
            "The organizers have paused %1: no new names are handed out for now. Lists you "
            "already have can still be called.",
        ),
        _quoted(p["campaign"]),
    ),
    Code.CAMPAIGN_ARCHIVED: lambda p: _fill(
        translate("messages", "%1 has ended: its organizers archived it. Choose another campaign."),
        _quoted(p["campaign"]),
    ),
    Code.LIST_CLOSED: lambda p: _fill(
        translate(
            "messages",
            "The organizers have closed the list %1: no more names are handed out from it. "
            "Choose another list.",
        ),
        _quoted(p["list"]),
    ),
    Code.COOLING_DOWN: lambda p: _fill(
        translate(
            "messages",
            "You can ask for more names in %1, or as soon as you finish your current list.",
        ),
        _wait(int(p["seconds"])),
    ),
    Code.LIST_CAP: _cap,
    Code.TOO_MANY_SIGN_INS: lambda p: _fill(
        messages.tr(
            "Too many failed sign-in attempts. Please wait %n second(s) and try again (at %1 UTC).",
            "",
            int(p["seconds"]),
        ),
        p["at"],
    ),
    Code.TOO_LARGE: lambda p: _fill(
        translate(
            "messages",
            "The request is larger than the hub accepts (%1 MB). Send results in smaller batches.",
        ),
        p["megabytes"],
    ),
    Code.INVALID_REQUEST: lambda p: _fill(
        translate("messages", "%1: %2"), p["where"], p["problem"]
    ),
    Code.BAD_PROTOCOL_HEADER: lambda p: _fill(
        translate("messages", "%1 must be an integer, got %2"), p["header"], _quoted(p["value"])
    ),
    Code.UPGRADE_REQUIRED: lambda p: translate(
        "messages",
        "This version of Phonebank is too old for the hub. Please upgrade the app; your "
        "unsent results are kept.",
    ),
    Code.INTERNAL_ERROR: lambda p: translate("messages", "Internal error on the hub."),
    # ---- why the hub quarantined a result
    Code.NOT_YOURS: lambda p: translate(
        "messages", "not found, or not yours: the contact, list or fence of this result"
    ),
    Code.RESULT_CONTACT_UNKNOWN: lambda p: _fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (unknown contact "
            "%1)",
        ),
        p["contact"],
    ),
    Code.RESULT_RESERVATION_UNKNOWN: lambda p: _fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (unknown "
            "reservation %1)",
        ),
        p["reservation"],
    ),
    Code.RESULT_RESERVATION_NOT_YOURS: lambda p: _fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (reservation %1 "
            "belongs to another volunteer)",
        ),
        p["reservation"],
    ),
    Code.RESULT_NEVER_HELD: lambda p: _fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (contact %1 was "
            "never held in reservation %2)",
        ),
        p["contact"],
        p["reservation"],
    ),
    Code.RESULT_FENCE_MISMATCH: lambda p: _fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (fence %1 does "
            "not match reservation %2)",
        ),
        p["fence"],
        p["reservation"],
    ),
    Code.CALL_TIMES_OUT_OF_RANGE: lambda p: translate("messages", "start or end time out of range"),
    Code.CALL_ENDS_IN_FUTURE: lambda p: translate(
        "messages", "the call ends more than a day in the future"
    ),
    Code.CALL_ENDS_BEFORE_START: lambda p: translate("messages", "the call ends before it starts"),
    Code.CALL_TOO_LONG: lambda p: _fill(
        translate("messages", "the call lasts more than %1 hours"), p["hours"]
    ),
    Code.SCRIPT_VERSION_UNKNOWN: lambda p: _fill(
        translate("messages", "script version %1 is unknown in this campaign"), p["version"]
    ),
    Code.ANSWERS_WITHOUT_SCRIPT: lambda p: translate(
        "messages", "answers given but this campaign has no script"
    ),
    Code.LANGUAGE_NOT_IN_SCRIPT: lambda p: _fill(
        translate(
            "messages",
            "the call was read in %1, a language script version %2 does not have (it has %3)",
        ),
        _quoted(p["language"]),
        p["version"],
        p["languages"],
    ),
    Code.CORRECTS_ITSELF: lambda p: translate("messages", "a result cannot correct itself"),
    Code.CORRECTS_ANOTHER_VOLUNTEERS: lambda p: _fill(
        translate("messages", "corrects result %1 of another volunteer"), p["result"]
    ),
    Code.CORRECTS_ANOTHER_CONTACT: lambda p: _fill(
        translate("messages", "corrects result %1, which is about another contact"), p["result"]
    ),
    Code.SHORT_CONTACTS_HELD: lambda p: _fill(
        translate(
            "messages",
            "a contacted call of under %1 seconds, past %2 such calls in an hour from this "
            "volunteer (held for an organizer)",
        ),
        p["seconds"],
        p["allowed"],
    ),
    Code.RESULT_ID_REUSED: lambda p: translate(
        "messages", "a different result with this id was stored before; the original is kept"
    ),
    Code.ANSWERS_UNKNOWN_QUESTIONS: lambda p: _fill(
        translate(
            "messages", "answers name questions the script does not have: %1 (script version %2)"
        ),
        p["questions"],
        p["version"],
    ),
    Code.ANSWER_NOT_TEXT: lambda p: _fill(
        translate("messages", "the answer to %1 is not text (script version %2)"),
        _quoted(p["question"]),
        p["version"],
    ),
    Code.ANSWER_NOT_OPTION_LIST: lambda p: _fill(
        translate("messages", "the answer to %1 is not a list of options (script version %2)"),
        _quoted(p["question"]),
        p["version"],
    ),
    Code.ANSWER_STRAY_OPTION: lambda p: _fill(
        translate(
            "messages",
            "the answer to %1 has %2, which is not one of its options (script version %3)",
        ),
        _quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_NOT_WHOLE_NUMBER: lambda p: _fill(
        translate("messages", "the answer to %1 is %2, not a whole number (script version %3)"),
        _quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_OFF_SCALE: lambda p: _fill(
        translate("messages", "the answer to %1 is %2, outside %3..%4 (script version %5)"),
        _quoted(p["question"]),
        p["value"],
        p["min"],
        p["max"],
        p["version"],
    ),
    Code.ANSWER_NOT_YES_NO: lambda p: _fill(
        translate("messages", "the answer to %1 is %2, not yes or no (script version %3)"),
        _quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_NOT_OPTION: lambda p: _fill(
        translate(
            "messages",
            "the answer to %1 is %2, which is not one of its options (script version %3)",
        ),
        _quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWERS_OFF_BRANCH: lambda p: _fill(
        translate(
            "messages",
            "answers to questions the earlier answers skip (off the script's branch): %1 (script "
            "version %2)",
        ),
        p["questions"],
        p["version"],
    ),
    # ---- talking to the hub
    Code.HUB_UNREACHABLE: lambda p: _fill(
        translate("messages", "Cannot reach the hub at %1."), p["url"]
    ),
    Code.HUB_TIMEOUT: lambda p: _fill(
        translate("messages", "The hub at %1 did not answer in time."), p["url"]
    ),
    Code.HUB_NOT_HTTPS: lambda p: _fill(
        translate(
            "messages",
            "The hub at %1 does not use a secure (https) connection. If your organizer gave "
            "you an http:// address, type it in full: %2",
        ),
        p["url"],
        p["plain"],
    ),
    Code.HUB_BAD_CERTIFICATE: lambda p: _fill(
        translate("messages", "The hub at %1 did not present a valid certificate."), p["url"]
    ),
    Code.HUB_UNREADABLE: lambda p: _fill(
        translate(
            "messages",
            "The hub sent an unreadable answer (HTTP %1); is the address really a Phonebank hub?",
        ),
        p["status"],
    ),
    Code.HUB_MISMATCH: lambda p: _fill(
        translate(
            "messages",
            "The hub's answer did not match what this app expects (%1: %2). The hub may be a "
            "different version.",
        ),
        p["where"],
        p["problem"],
    ),
    Code.HUB_FAILED: lambda p: _fill(
        translate("messages", "The hub at %1 had a problem (HTTP %2)."), p["url"], p["status"]
    ),
    Code.HUB_SAID: lambda p: str(p["detail"]),  # the hub's own words: nothing to translate
    Code.ADDRESS_MISSING: lambda p: translate("messages", "Please enter the hub address."),
    Code.ADDRESS_INVALID: lambda p: _fill(
        translate("messages", "%1 is not a hub address (e.g. https://hub.example.org)."),
        _quoted(p["address"]),
    ),
    Code.ADDRESS_BAD_PORT: lambda p: _fill(
        translate("messages", "%1 has a bad port number."), _quoted(p["address"])
    ),
    # ---- signing in
    Code.EMAIL_MISSING: lambda p: translate(
        "messages", "Please enter the email address you were registered with."
    ),
    Code.PASSWORD_MISSING: lambda p: translate("messages", "Please enter your password."),
    Code.UNSENT_FOR_OTHER_ACCOUNT: lambda p: _fill(
        messages.tr(
            "This laptop still has %n unsent result(s) for %1. Sign in as %1 so they can be sent "
            "first.",
            "",
            int(p["n"]),
        ),
        p["email"],
    ),
    Code.SIGN_IN_REFUSED: lambda p: translate("messages", "Wrong email or password."),
    Code.SIGN_IN_THROTTLED: lambda p: messages.tr(
        "Too many attempts. Try again in %n minute(s).", "", int(p["minutes"])
    ),
    Code.APP_TOO_OLD: lambda p: translate(
        "messages", "This version of Phonebank is too old for the hub. Please upgrade the app."
    ),
    Code.CHECK_CONNECTION: lambda p: translate(
        "messages", "Check the address and your connection."
    ),
    Code.CHECK_CREDENTIALS: lambda p: translate(
        "messages", "Please check the email address and password."
    ),
    # ---- names and sync
    Code.SIGN_IN_FIRST: lambda p: translate("messages", "Please sign in first."),
    Code.SIGN_IN_AGAIN: lambda p: translate("messages", "Please sign in again."),
    Code.UPGRADE_FOR_NAMES: lambda p: translate(
        "messages", "Please upgrade Phonebank to get more names."
    ),
    Code.OFFLINE_QUEUED: lambda p: translate(
        "messages", "You're offline: the app will get names at the next sync."
    ),
    Code.RETRY_NAMES_AT_SYNC: lambda p: translate(
        "messages", "The app will try to get names again at the next sync."
    ),
    Code.NAMES_RESERVED: lambda p: _names_reserved(int(p["n"])),
    Code.MORE_NAMES_SECONDS: lambda p: messages.tr(
        "You can get more names in %n second(s).", "", int(p["n"])
    ),
    Code.MORE_NAMES_MINUTES: lambda p: messages.tr(
        "You can get more names in %n minute(s).", "", int(p["n"])
    ),
    Code.LIST_EMPTY: lambda p: translate(
        "messages", "Everyone on this list has been called or is taken."
    ),
    Code.LIST_GONE: lambda p: translate("messages", "The hub no longer has that list."),
    Code.HUB_REFUSED: lambda p: translate("messages", "The hub refused:"),
    Code.NOT_SIGNED_IN_HERE: lambda p: translate("messages", "Not signed in."),
    Code.SYNC_DONE: _sync_done,
    Code.ANSWER_NOT_UNDERSTOOD: lambda p: messages.tr(
        "The hub's answer was not understood (%n problem(s)).", "", int(p["n"])
    ),
    Code.SYNC_FAILED: lambda p: _fill(
        translate("messages", "Sync failed unexpectedly (%1); it will be retried."), p["kind"]
    ),
    Code.NONE_ACKNOWLEDGED: lambda p: translate(
        "messages", "The hub acknowledged none of the results sent."
    ),
    Code.CANNOT_BE_SENT: lambda p: _fill(
        translate("messages", "This result cannot be sent: %1"), p["why"]
    ),
    # ---- calls and feedback
    Code.CONTACT_GONE: lambda p: translate("messages", "That contact is no longer on this laptop."),
    Code.CONTACT_GONE_NOT_SAVED: lambda p: translate(
        "messages", "That contact is no longer on this laptop; the result was not saved."
    ),
    Code.CONTACT_LIST_GONE: lambda p: translate(
        "messages", "That contact's list is no longer on this laptop."
    ),
    Code.UNKNOWN_OUTCOME: lambda p: _fill(
        translate("messages", "Unknown call outcome %1."), _quoted(p["value"])
    ),
    Code.TIME_WITHOUT_ZONE: lambda p: _fill(
        translate("messages", "%1 must carry a time zone."), p["field"]
    ),
    Code.CALL_BACK_MISSING: lambda p: translate("messages", "Please choose when to call back."),
    Code.CALL_BACK_PAST: lambda p: translate(
        "messages", "The call-back time must be in the future."
    ),
    Code.NOTES_TOO_LONG: lambda p: _fill(
        messages.tr("Notes are too long (%n character(s); %1 max).", "", int(p["n"])), p["max"]
    ),
    Code.ANSWER_NOT_VALUE: lambda p: _fill(
        translate("messages", "The answer to %1 is not text, a number or a list."),
        _quoted(p["question"]),
    ),
    Code.TOO_MANY_ANSWERS: lambda p: _fill(
        translate("messages", "More than %1 answers in one call."), p["max"]
    ),
    Code.QUESTION_ID_TOO_LONG: lambda p: _fill(
        translate("messages", "Question id %1... is longer than %2 characters."),
        _quoted(p["question"]),
        p["max"],
    ),
    Code.ANSWER_TOO_LONG: lambda p: _fill(
        translate("messages", "The answer to %1 is longer than %2 characters."),
        _quoted(p["question"]),
        p["max"],
    ),
    Code.TOO_MANY_CHOICES: lambda p: _fill(
        translate("messages", "The answer to %1 has more than %2 choices."),
        _quoted(p["question"]),
        p["max"],
    ),
    Code.NO_SUCH_QUESTION: lambda p: _fill(
        translate("messages", "The script has no question %1."), _quoted(p["question"])
    ),
    Code.ANSWER_TAKES_LIST: lambda p: _fill(
        translate("messages", "Question %1 takes a list of answers."), _quoted(p["question"])
    ),
    Code.NOT_SAVED_DISK: lambda p: _fill(
        translate(
            "messages",
            "The result could NOT be saved (%1). Please keep your notes and try again; if "
            "this repeats, check the disk space.",
        ),
        p["error"],
    ),
    Code.CORRECTION_GONE: lambda p: translate(
        "messages", "The call to correct is not on this laptop; the result was not saved."
    ),
    Code.CORRECTION_SUPERSEDED: lambda p: translate(
        "messages", "That call was corrected already; correct the newer one instead."
    ),
    Code.DO_NOT_CALL_STAYS: lambda p: translate(
        "messages",
        "This number is on the do-not-call list and stays there: only an organizer can "
        "remove it. Nothing was saved.",
    ),
    Code.FEEDBACK_EMPTY: lambda p: translate("messages", "Please write a message first."),
    Code.FEEDBACK_TOO_LONG: lambda p: _fill(
        messages.tr("The message is too long (%n character(s); %1 max).", "", int(p["n"])), p["max"]
    ),
    # ---- languages
    Code.LANGUAGE_CODE_INVALID: lambda p: _fill(
        translate("messages", "%1 is not a language code (two or three letters, e.g. es)."),
        _quoted(p["language"]),
    ),
    Code.TOO_MANY_LANGUAGES: lambda p: _fill(
        translate("messages", "At most %1 languages."), p["max"]
    ),
    Code.NOT_TRANSLATED_INTO: lambda p: _fill(
        translate("messages", "Phonebank is not translated into %1."), _quoted(p["language"])
    ),
    Code.SCRIPT_LANGUAGE_MISSING: lambda p: _fill(
        translate("messages", "The script has no %1 translation."), _quoted(p["language"])
    ),
    # ---- the demo hub
    Code.DEMO_HUB_STOPPED: lambda p: _fill(
        translate("messages", "The demo hub stopped while starting; see %1."), p["log"]
    ),
    Code.DEMO_HUB_SLOW: lambda p: _fill(
        translate("messages", "The demo hub did not start in time; see %1."), p["log"]
    ),
    Code.DEMO_HUB_SETUP_FAILED: lambda p: _fill(
        translate("messages", "The demo hub could not be set up: %1"), p["error"]
    ),
    Code.DEMO_HUB_CLOSING: lambda p: translate(
        "messages", "The demo hub was not started: the app is closing."
    ),
    Code.DEMO_HUB_NOT_STARTED: lambda p: _fill(
        translate("messages", "The demo hub could not be started (%1)."), p["error"]
    ),
    # ---- the laptop's data file
    Code.DATA_FILE_UNOPENABLE: lambda p: _fill(
        translate("messages", "Cannot open the data file %1: %2."), p["path"], p["error"]
    ),
    Code.DATA_FILE_NOT_OURS: lambda p: _fill(
        translate("messages", "The data file %1 is not a Phonebank database or is damaged (%2)."),
        p["path"],
        p["error"],
    ),
    Code.DATA_FILE_DAMAGED: lambda p: _fill(
        translate("messages", "The data file %1 is damaged (%2)."), p["path"], p["error"]
    ),
    Code.DATA_FILE_UNCREATABLE: lambda p: _fill(
        translate("messages", "Cannot create the data file %1: %2."), p["path"], p["error"]
    ),
    Code.DATA_FILE_UNREADABLE: lambda p: _fill(
        translate("messages", "The data file %1 could not be read (%2)."), p["path"], p["error"]
    ),
    Code.DATA_FILE_SCHEMA: lambda p: str(p["error"]),  # the store's own words (a bug if seen)
    Code.DATA_FILE_NEWER: lambda p: _fill(
        translate(
            "messages",
            "The data file %1 was written by a newer version of Phonebank (schema %2, this "
            "app knows %3). Please upgrade the app.",
        ),
        p["path"],
        p["version"],
        p["known"],
    ),
    Code.TEXT: lambda p: str(p["text"]),
}


def has_text(code: Code) -> bool:
    return code in _TEXTS


def message_text(message: Message) -> str:
    """`message` (and the sentences that follow it) in the user's language."""
    try:
        text = _TEXTS[message.code](message.params)
    except (KeyError, ValueError, TypeError):  # a parameter missing: the English still says it
        text = str(Message(message.code, message.params))
    if message.then is not None:
        return f"{text} {message_text(message.then)}"
    return text


def error_text(exc: BaseException) -> str | None:
    """The words for one of our errors meant for people (it carries a `msg`), else None."""
    msg = getattr(exc, "msg", None)
    return message_text(msg) if isinstance(msg, Message) else None


def say(message: Message | None, english: str = "") -> str:
    """A report's message in the user's language; `english` when it carries none."""
    return message_text(message) if message is not None else english
