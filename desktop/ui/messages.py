"""Messages (a code and parameters, `sync.messages`) in the user's language.

Every code has its text in one of three tables, by where the message comes from:
messages_hub.py (the hub's refusals, talking to the hub), messages_quarantine.py (why the hub
quarantined a result) and messages_laptop.py (the laptop's own). Each text goes through
`QCoreApplication.translate("messages", ...)` so that `pyside6-lupdate` collects it, with
"%1".."%9" for the parameters; texts with a count go through `messages.tr(text, "", n)` (Qt's
"%n" plurals: message_words.py). The source texts are also the English the app shows.
"""

from __future__ import annotations

from desktop.ui.message_words import Render
from desktop.ui.messages_hub import HUB_TEXTS
from desktop.ui.messages_laptop import LAPTOP_TEXTS
from desktop.ui.messages_quarantine import QUARANTINE_TEXTS
from sync.messages import Code, Message

_TEXTS: dict[Code, Render] = {
    **HUB_TEXTS,
    **QUARANTINE_TEXTS,
    **LAPTOP_TEXTS,
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
