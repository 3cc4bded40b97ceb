"""Why the hub quarantined a result (sync/hub/crud/result_checks.py), in the user's
language."""

from __future__ import annotations

from desktop.ui.message_words import Render, fill, quoted, translate
from sync.messages import Code

QUARANTINE_TEXTS: dict[Code, Render] = {
    # ---- why the hub quarantined a result
    Code.NOT_YOURS: lambda p: translate(
        "messages", "not found, or not yours: the contact, list or fence of this result"
    ),
    Code.RESULT_CONTACT_UNKNOWN: lambda p: fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (unknown contact "
            "%1)",
        ),
        p["contact"],
    ),
    Code.RESULT_RESERVATION_UNKNOWN: lambda p: fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (unknown "
            "reservation %1)",
        ),
        p["reservation"],
    ),
    Code.RESULT_RESERVATION_NOT_YOURS: lambda p: fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (reservation %1 "
            "belongs to another volunteer)",
        ),
        p["reservation"],
    ),
    Code.RESULT_NEVER_HELD: lambda p: fill(
        translate(
            "messages",
            "not found, or not yours: the contact, list or fence of this result (contact %1 was "
            "never held in reservation %2)",
        ),
        p["contact"],
        p["reservation"],
    ),
    Code.RESULT_FENCE_MISMATCH: lambda p: fill(
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
    Code.CALL_TOO_LONG: lambda p: fill(
        translate("messages", "the call lasts more than %1 hours"), p["hours"]
    ),
    Code.SCRIPT_VERSION_UNKNOWN: lambda p: fill(
        translate("messages", "script version %1 is unknown in this campaign"), p["version"]
    ),
    Code.ANSWERS_WITHOUT_SCRIPT: lambda p: translate(
        "messages", "answers given but this campaign has no script"
    ),
    Code.LANGUAGE_NOT_IN_SCRIPT: lambda p: fill(
        translate(
            "messages",
            "the call was read in %1, a language script version %2 does not have (it has %3)",
        ),
        quoted(p["language"]),
        p["version"],
        p["languages"],
    ),
    Code.CORRECTS_ITSELF: lambda p: translate("messages", "a result cannot correct itself"),
    Code.CORRECTS_ANOTHER_VOLUNTEERS: lambda p: fill(
        translate("messages", "corrects result %1 of another volunteer"), p["result"]
    ),
    Code.CORRECTS_ANOTHER_CONTACT: lambda p: fill(
        translate("messages", "corrects result %1, which is about another contact"), p["result"]
    ),
    Code.SHORT_CONTACTS_HELD: lambda p: fill(
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
    Code.ANSWERS_UNKNOWN_QUESTIONS: lambda p: fill(
        translate(
            "messages", "answers name questions the script does not have: %1 (script version %2)"
        ),
        p["questions"],
        p["version"],
    ),
    Code.ANSWER_NOT_TEXT: lambda p: fill(
        translate("messages", "the answer to %1 is not text (script version %2)"),
        quoted(p["question"]),
        p["version"],
    ),
    Code.ANSWER_NOT_OPTION_LIST: lambda p: fill(
        translate("messages", "the answer to %1 is not a list of options (script version %2)"),
        quoted(p["question"]),
        p["version"],
    ),
    Code.ANSWER_STRAY_OPTION: lambda p: fill(
        translate(
            "messages",
            "the answer to %1 has %2, which is not one of its options (script version %3)",
        ),
        quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_NOT_WHOLE_NUMBER: lambda p: fill(
        translate("messages", "the answer to %1 is %2, not a whole number (script version %3)"),
        quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_OFF_SCALE: lambda p: fill(
        translate("messages", "the answer to %1 is %2, outside %3..%4 (script version %5)"),
        quoted(p["question"]),
        p["value"],
        p["min"],
        p["max"],
        p["version"],
    ),
    Code.ANSWER_NOT_YES_NO: lambda p: fill(
        translate("messages", "the answer to %1 is %2, not yes or no (script version %3)"),
        quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWER_NOT_OPTION: lambda p: fill(
        translate(
            "messages",
            "the answer to %1 is %2, which is not one of its options (script version %3)",
        ),
        quoted(p["question"]),
        p["value"],
        p["version"],
    ),
    Code.ANSWERS_OFF_BRANCH: lambda p: fill(
        translate(
            "messages",
            "answers to questions the earlier answers skip (off the script's branch): %1 (script "
            "version %2)",
        ),
        p["questions"],
        p["version"],
    ),
}
