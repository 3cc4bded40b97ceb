"""The laptop's own messages: signing in, names and sync, calls and feedback, languages,
the demo hub and the data file, in the user's language."""

from __future__ import annotations

from desktop.ui.message_words import Render, fill, messages, quoted, translate
from sync.messages import Code, Params


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


LAPTOP_TEXTS: dict[Code, Render] = {
    # ---- signing in
    Code.EMAIL_MISSING: lambda p: translate(
        "messages", "Please enter the email address you were registered with."
    ),
    Code.PASSWORD_MISSING: lambda p: translate("messages", "Please enter your password."),
    Code.UNSENT_FOR_OTHER_ACCOUNT: lambda p: fill(
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
    Code.SYNC_FAILED: lambda p: fill(
        translate("messages", "Sync failed unexpectedly (%1); it will be retried."), p["kind"]
    ),
    Code.NONE_ACKNOWLEDGED: lambda p: translate(
        "messages", "The hub acknowledged none of the results sent."
    ),
    Code.CANNOT_BE_SENT: lambda p: fill(
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
    Code.UNKNOWN_OUTCOME: lambda p: fill(
        translate("messages", "Unknown call outcome %1."), quoted(p["value"])
    ),
    Code.TIME_WITHOUT_ZONE: lambda p: fill(
        translate("messages", "%1 must carry a time zone."), p["field"]
    ),
    Code.CALL_BACK_MISSING: lambda p: translate("messages", "Please choose when to call back."),
    Code.CALL_BACK_PAST: lambda p: translate(
        "messages", "The call-back time must be in the future."
    ),
    Code.NOTES_TOO_LONG: lambda p: fill(
        messages.tr("Notes are too long (%n character(s); %1 max).", "", int(p["n"])), p["max"]
    ),
    Code.ANSWER_NOT_VALUE: lambda p: fill(
        translate("messages", "The answer to %1 is not text, a number or a list."),
        quoted(p["question"]),
    ),
    Code.TOO_MANY_ANSWERS: lambda p: fill(
        translate("messages", "More than %1 answers in one call."), p["max"]
    ),
    Code.QUESTION_ID_TOO_LONG: lambda p: fill(
        translate("messages", "Question id %1... is longer than %2 characters."),
        quoted(p["question"]),
        p["max"],
    ),
    Code.ANSWER_TOO_LONG: lambda p: fill(
        translate("messages", "The answer to %1 is longer than %2 characters."),
        quoted(p["question"]),
        p["max"],
    ),
    Code.TOO_MANY_CHOICES: lambda p: fill(
        translate("messages", "The answer to %1 has more than %2 choices."),
        quoted(p["question"]),
        p["max"],
    ),
    Code.NO_SUCH_QUESTION: lambda p: fill(
        translate("messages", "The script has no question %1."), quoted(p["question"])
    ),
    Code.ANSWER_TAKES_LIST: lambda p: fill(
        translate("messages", "Question %1 takes a list of answers."), quoted(p["question"])
    ),
    Code.NOT_SAVED_DISK: lambda p: fill(
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
    Code.FEEDBACK_TOO_LONG: lambda p: fill(
        messages.tr("The message is too long (%n character(s); %1 max).", "", int(p["n"])), p["max"]
    ),
    # ---- languages
    Code.LANGUAGE_CODE_INVALID: lambda p: fill(
        translate("messages", "%1 is not a language code (two or three letters, e.g. es)."),
        quoted(p["language"]),
    ),
    Code.TOO_MANY_LANGUAGES: lambda p: fill(
        translate("messages", "At most %1 languages."), p["max"]
    ),
    Code.NOT_TRANSLATED_INTO: lambda p: fill(
        translate("messages", "Phonebank is not translated into %1."), quoted(p["language"])
    ),
    Code.SCRIPT_LANGUAGE_MISSING: lambda p: fill(
        translate("messages", "The script has no %1 translation."), quoted(p["language"])
    ),
    # ---- the demo hub
    Code.DEMO_HUB_STOPPED: lambda p: fill(
        translate("messages", "The demo hub stopped while starting; see %1."), p["log"]
    ),
    Code.DEMO_HUB_SLOW: lambda p: fill(
        translate("messages", "The demo hub did not start in time; see %1."), p["log"]
    ),
    Code.DEMO_HUB_SETUP_FAILED: lambda p: fill(
        translate("messages", "The demo hub could not be set up: %1"), p["error"]
    ),
    Code.DEMO_HUB_CLOSING: lambda p: translate(
        "messages", "The demo hub was not started: the app is closing."
    ),
    Code.DEMO_HUB_NOT_STARTED: lambda p: fill(
        translate("messages", "The demo hub could not be started (%1)."), p["error"]
    ),
    # ---- the laptop's data file
    Code.DATA_FILE_UNOPENABLE: lambda p: fill(
        translate("messages", "Cannot open the data file %1: %2."), p["path"], p["error"]
    ),
    Code.DATA_FILE_NOT_OURS: lambda p: fill(
        translate("messages", "The data file %1 is not a Phonebank database or is damaged (%2)."),
        p["path"],
        p["error"],
    ),
    Code.DATA_FILE_DAMAGED: lambda p: fill(
        translate("messages", "The data file %1 is damaged (%2)."), p["path"], p["error"]
    ),
    Code.DATA_FILE_UNCREATABLE: lambda p: fill(
        translate("messages", "Cannot create the data file %1: %2."), p["path"], p["error"]
    ),
    Code.DATA_FILE_UNREADABLE: lambda p: fill(
        translate("messages", "The data file %1 could not be read (%2)."), p["path"], p["error"]
    ),
    Code.DATA_FILE_SCHEMA: lambda p: str(p["error"]),  # the store's own words (a bug if seen)
    Code.DATA_FILE_NEWER: lambda p: fill(
        translate(
            "messages",
            "The data file %1 was written by a newer version of Phonebank (schema %2, this "
            "app knows %3). Please upgrade the app.",
        ),
        p["path"],
        p["version"],
        p["known"],
    ),
}
