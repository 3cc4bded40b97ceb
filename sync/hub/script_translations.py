"""A script file's `language` and `translations` (docs/hub.md "Scripts in several languages").

    translations = check_translations(data, questions, lines)   # or ScriptError, line-numbered

A translation must cover the whole script: the intro, the closing when there is one, every
question's text and every option's label (yes/no questions' too). Option values are the
answers' codes and are never translated, so the key under `options` is the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sync.hub.script_errors import ScriptError
from sync.protocol import (
    DEFAULT_LANGUAGE,
    LANGUAGE_PATTERN,
    Question,
    QuestionKind,
    QuestionTranslation,
    ScriptTranslation,
)

MAX_TRANSLATIONS = 20
_LIMITS = {"title": 300, "intro": 10_000, "closing": 10_000, "text": 2000, "label": 200}

Path_ = tuple[str | int, ...]
# script_file's placeholder check: (text, field, line) -> None or ScriptError
PlaceholderCheck = Callable[[str, str, int | None], None]


def check_language(data: dict[str, Any], lines: dict[Path_, int]) -> str:
    """The file's own language (`language:`, default en)."""
    value = data.get("language", DEFAULT_LANGUAGE)
    if not isinstance(value, str) or not re.match(LANGUAGE_PATTERN, value.strip()):
        raise ScriptError(
            f"{value!r} is not a language code (two or three lower-case letters: en, es, vi)",
            field="language",
            line=lines.get(("language",)),
        )
    return value.strip()


def check_translations(
    data: dict[str, Any],
    language: str,
    questions: list[Question],
    closing: str,
    lines: dict[Path_, int],
    check_placeholders: PlaceholderCheck,
) -> dict[str, ScriptTranslation]:
    """Every translation of the file, checked to cover every question and option."""
    raw = data.get("translations")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScriptError(
            "is a mapping of language code to the script's text in that language",
            field="translations",
            line=lines.get(("translations",)),
        )
    if len(raw) > MAX_TRANSLATIONS:
        raise ScriptError(
            f"at most {MAX_TRANSLATIONS} languages",
            field="translations",
            line=lines.get(("translations",)),
        )
    out: dict[str, ScriptTranslation] = {}
    for code, body in raw.items():
        where: Path_ = ("translations", code)
        if not isinstance(code, str) or not re.match(LANGUAGE_PATTERN, code):
            raise ScriptError(
                f"{code!r} is not a language code (two or three lower-case letters: en, es, vi)",
                field="translations",
                line=lines.get(where),
            )
        if code == language:
            raise ScriptError(
                f"the script itself is in {language!r} (its `language`); translate to another",
                field=f"translations.{code}",
                line=lines.get(where),
            )
        out[code] = _translation(code, body, questions, closing, lines, check_placeholders)
    return out


def _translation(
    code: str,
    body: Any,
    questions: list[Question],
    closing: str,
    lines: dict[Path_, int],
    check_placeholders: PlaceholderCheck,
) -> ScriptTranslation:
    base: Path_ = ("translations", code)
    prefix = f"translations.{code}"

    def fail(message: str, *path: str | int, question: str | None = None) -> ScriptError:
        field = ".".join([prefix, *(str(p) for p in path)])
        line = None
        for depth in range(len(path), -1, -1):
            line = lines.get((*base, *path[:depth]))
            if line:
                break
        return ScriptError(message, question=question, field=field, line=line)

    if not isinstance(body, dict):
        raise fail("is a mapping with intro, questions (and closing, title)")
    known = {"title", "intro", "closing", "questions"}
    for key in body:
        if key not in known:
            raise fail("is not a known field", key)

    def text(key: str, value: Any, *path: str | int, question: str | None = None) -> str:
        limit = _LIMITS[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            raise fail("is missing", *path, question=question)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail("is text", *path, question=question)
        value = str(value).strip()
        if len(value) > limit:
            raise fail(f"is longer than {limit} characters", *path, question=question)
        return value

    title = text("title", body["title"], "title") if "title" in body else ""
    intro = text("intro", body.get("intro"), "intro")
    check_placeholders(intro, f"{prefix}.intro", lines.get((*base, "intro")))
    translated_closing = ""
    if closing or body.get("closing"):
        translated_closing = text("closing", body.get("closing"), "closing")
        check_placeholders(translated_closing, f"{prefix}.closing", lines.get((*base, "closing")))
    raw_questions = body.get("questions")
    if not isinstance(raw_questions, dict):
        raise fail("is a mapping of question id to its text and options", "questions")
    ids = {q.id for q in questions}
    for qid in raw_questions:
        if qid not in ids:
            raise fail(f"the script has no question {qid!r}", "questions", qid)
    translated: dict[str, QuestionTranslation] = {}
    for q in questions:
        raw = raw_questions.get(q.id)
        if raw is None:
            raise fail(
                "is missing: a translation covers every question", "questions", q.id, question=q.id
            )
        if isinstance(raw, str):  # `qid: text` for a question without labels to translate
            raw = {"text": raw}
        if not isinstance(raw, dict):
            raise fail("is a mapping with text (and options)", "questions", q.id, question=q.id)
        for key in raw:
            if key not in ("text", "options"):
                raise fail("is not a known field", "questions", q.id, key, question=q.id)
        qtext = text("text", raw.get("text"), "questions", q.id, "text", question=q.id)
        translated[q.id] = QuestionTranslation(
            text=qtext, options=_options(q, raw.get("options"), fail, text)
        )
    return ScriptTranslation(
        title=title, intro=intro, closing=translated_closing, questions=translated
    )


def _options(q: Question, raw: Any, fail: Any, text: Any) -> dict[str, str]:
    """Option value -> translated label, for every option the question shows by name."""
    where = ("questions", q.id, "options")
    if q.kind in (QuestionKind.scale, QuestionKind.text):
        if raw:
            raise fail(
                f"a {q.kind.value} question has no options to translate", *where, question=q.id
            )
        return {}
    if not isinstance(raw, dict):
        raise fail(
            "is missing: a mapping of each option's value to its label", *where, question=q.id
        )
    raw = {str(k): v for k, v in raw.items()}
    values = [o.value for o in q.choices()]
    for value in raw:
        if str(value) not in values:
            raise fail(
                f"the question has no option {value!r} (its values: {', '.join(values)})",
                *where,
                value,
                question=q.id,
            )
    labels = {}
    for value in values:
        labels[value] = text("label", raw.get(value), *where, value, question=q.id)
    return labels
