"""Plain text formatting for the screens: phone numbers, countdowns, times. No widgets."""

from __future__ import annotations

from datetime import datetime


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


def format_local_clock(when: datetime | None) -> str:
    """A UTC time shown in the laptop's own zone, e.g. 14:05 (or 'never')."""
    if when is None:
        return _tr("never")
    local = when.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")


def format_count(number: int) -> str:
    return f"{number:,}"


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("formatting", text)


_STATE_LABELS = {
    "to_call": "To call",
    "done": "Done",
    "call_back": "Call back",
    "dnc": "Do not call",
}

_DISPOSITION_WORDS = {
    "contacted": "contacted",
    "no_answer": "no answer",
    "busy": "busy",
    "left_message": "left a message",
    "wrong_number": "wrong number",
    "disconnected": "disconnected",
    "refused": "refused",
    "deceased": "deceased",
    "do_not_call": "do not call",
    "call_back": "call back",
    "language_barrier": "language barrier",
}


def state_label(state: str) -> str:
    """A contact's state in words ("To call", "Do not call"...), translated."""
    return _tr(_STATE_LABELS[state]) if state in _STATE_LABELS else state


def disposition_words(disposition: str) -> str:
    """How a call ended, in words ("no answer", "left a message"...), translated."""
    return (
        _tr(_DISPOSITION_WORDS[disposition]) if disposition in _DISPOSITION_WORDS else disposition
    )
