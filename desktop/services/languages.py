"""The languages the volunteer speaks, set in the app: kept on the laptop at once and sent by
the sync engine (PATCH /api/v1/auth/me) until the hub has them, so it works offline too.

The hub gives language-barrier call-backs only to volunteers who speak the language heard.
"""

from __future__ import annotations

import json
import re

from desktop.services.context import Context
from desktop.services.errors import user_error
from desktop.store import meta
from sync.messages import Code
from sync.protocol import LANGUAGE_PATTERN, MAX_LANGUAGES


def my_languages(ctx: Context) -> list[str]:
    with ctx.store.read() as conn:
        return meta.languages(conn)


def set_my_languages(ctx: Context, languages: list[str]) -> None:
    """Keep `languages` (codes such as "es") and queue them for the hub."""
    wanted = list(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
    for code in wanted:
        if not re.fullmatch(LANGUAGE_PATTERN, code):
            raise user_error(Code.LANGUAGE_CODE_INVALID, language=code)
    if len(wanted) > MAX_LANGUAGES:
        raise user_error(Code.TOO_MANY_LANGUAGES, max=MAX_LANGUAGES)
    with ctx.store.write() as conn:
        meta.put(conn, meta.MY_LANGUAGES, json.dumps(wanted))
        meta.put(conn, meta.MY_LANGUAGES_UNSENT, 1)
