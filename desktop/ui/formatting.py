"""Plain text formatting for the screens: phone numbers, countdowns, times. No widgets."""

from __future__ import annotations

import math
import re
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale


def format_phone(e164: str) -> str:
    """+16145550123 -> (614) 555-0123; other countries stay in E.164."""
    digits = e164[2:] if e164.startswith("+1") else ""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return e164


def format_countdown(until: datetime, now: datetime) -> str:
    """Time left as h:mm:ss (or m:ss under an hour); "0:00" once passed."""
    seconds = max(0, int((until - now).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def format_countdown_words(until: datetime, now: datetime) -> str:
    """Time left in words, to the minute (rounded up), e.g. "23 hours 42 minutes": what a
    countdown's accessible description says, so it changes once a minute, not every second
    (a screen reader would otherwise be told of a change every second)."""
    from desktop.ui.message_words import messages  # its "%n minute(s)", translated

    seconds = max(0, int((until - now).total_seconds()))
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    words = [messages.tr("%n hour(s)", "", hours)] if hours else []
    if minutes or not hours:
        words.append(messages.tr("%n minute(s)", "", minutes))
    return " ".join(words)


def format_local_clock(when: datetime | None) -> str:
    """A UTC time shown in the laptop's own zone, e.g. 14:05 (or 'never')."""
    if when is None:
        return QCoreApplication.translate("formatting", "never")
    local = when.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return format_when(local, "%d %b %H:%M")


def format_when(when: datetime, pattern: str) -> str:
    """strftime's %a %d %b %H %M, with the day and month names in the interface language
    (strftime would use the C library's locale: English)."""
    locale = QLocale()
    short = QLocale.FormatType.ShortFormat
    fields = {
        "%a": locale.dayName(when.isoweekday(), short),
        "%b": locale.monthName(when.month, short),
        "%d": f"{when.day:02d}",
        "%H": f"{when.hour:02d}",
        "%M": f"{when.minute:02d}",
    }
    return re.sub(r"%[abdHM]", lambda match: fields[match.group()], pattern)


def format_count(number: int) -> str:
    return f"{number:,}"


def _tr(text: object) -> str:  # QT_TRANSLATE_NOOP's result is typed as object
    return QCoreApplication.translate("formatting", str(text))


_STATE_LABELS = {
    "to_call": QT_TRANSLATE_NOOP("formatting", "To call"),
    "done": QT_TRANSLATE_NOOP("formatting", "Done"),
    "call_back": QT_TRANSLATE_NOOP("formatting", "Call back"),
    "dnc": QT_TRANSLATE_NOOP("formatting", "Do not call"),
}

_DISPOSITION_WORDS = {
    "contacted": QT_TRANSLATE_NOOP("formatting", "contacted"),
    "no_answer": QT_TRANSLATE_NOOP("formatting", "no answer"),
    "busy": QT_TRANSLATE_NOOP("formatting", "busy"),
    "left_message": QT_TRANSLATE_NOOP("formatting", "left a message"),
    "wrong_number": QT_TRANSLATE_NOOP("formatting", "wrong number"),
    "disconnected": QT_TRANSLATE_NOOP("formatting", "disconnected"),
    "refused": QT_TRANSLATE_NOOP("formatting", "refused"),
    "deceased": QT_TRANSLATE_NOOP("formatting", "deceased"),
    "do_not_call": QT_TRANSLATE_NOOP("formatting", "do not call"),
    "call_back": QT_TRANSLATE_NOOP("formatting", "call back"),
    "language_barrier": QT_TRANSLATE_NOOP("formatting", "language barrier"),
}


def state_label(state: str) -> str:
    """A contact's state in words ("To call", "Do not call"...), translated."""
    return _tr(_STATE_LABELS[state]) if state in _STATE_LABELS else state


def disposition_words(disposition: str) -> str:
    """How a call ended, in words ("no answer", "left a message"...), translated."""
    return (
        _tr(_DISPOSITION_WORDS[disposition]) if disposition in _DISPOSITION_WORDS else disposition
    )
