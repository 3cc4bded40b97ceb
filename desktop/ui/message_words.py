"""What the message texts share: Qt's translate in the context "messages" (so that
`pyside6-lupdate` collects them), the plural form lupdate reads, and the filling in of "%1".."%9".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from sync.messages import Params

translate = QCoreApplication.translate

_PLURAL = re.compile(r"(\w)\(s\)")
_ARG = re.compile(r"%([1-9])")

Render = Callable[[Params], str]  # a code's parameters -> its words


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


def fill(text: str, *args: object) -> str:
    """Put the parameters into a translated `text`."""
    return _ARG.sub(lambda m: _arg(args, int(m.group(1))), text)


def _arg(args: tuple[object, ...], index: int) -> str:
    return str(args[index - 1]) if index <= len(args) else f"%{index}"


def quoted(value: object) -> str:
    return repr(str(value))


def wait_words(seconds: int) -> str:
    """The hub's wait in words: seconds under a minute, else minutes rounded up."""
    if seconds < 60:
        return messages.tr("%n second(s)", "", seconds)
    return messages.tr("%n minute(s)", "", math.ceil(seconds / 60))
