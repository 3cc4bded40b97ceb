"""Whether a result's answers fit the script version it names (no SQL: rules only).

    rules = AnswerRules(version.questions)      # once per version: versions never change
    rules.problem({"support": "yes"}, version=3)   # None, or why not (a sync.messages Message)

An answer fits when its question is in the version, its value is one the question offers (an
option of a choice or multi question, a whole number on the scale, yes or no, text), and the
question is on the path the earlier answers took: the same walk the laptop's script panel
makes (`Script.next_question_id`), a skipped question following its default.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sync.messages import Code, Message, Param
from sync.protocol import END, Question, QuestionKind

_BRANCHING = (QuestionKind.choice, QuestionKind.yesno)
_SHOWN = 40  # characters of an offending value quoted back


class AnswerRules:
    """The checks of one published script version, built once from its stored questions."""

    def __init__(self, questions: list[dict[str, Any]], languages: list[str] | None = None) -> None:
        # The languages a call can be read in: the script's own, then its translations'.
        self.languages = tuple(dict.fromkeys(languages or ["en"]))
        parsed: list[Question] = []
        for raw in questions or []:
            try:
                parsed.append(Question.model_validate(raw))
            except ValidationError:
                continue  # stored before today's rules; answers to it count as unknown
        self.questions = {q.id: q for q in parsed}
        self.values = {q.id: frozenset(o.value for o in q.choices()) for q in parsed}
        self.first = parsed[0].id if parsed else None
        # Script.next_question_id's walk, as lookups: an option's `next`, else the question's
        # own, else the following question (tests/hub/test_answer_checks.py compares them).
        self.branches = {q.id: {o.value: o.next for o in q.choices()} for q in parsed}
        self.defaults = {
            q.id: q.next or (parsed[i + 1].id if i + 1 < len(parsed) else END)
            for i, q in enumerate(parsed)
        }

    def problem(self, answers: dict[str, Any], version: int) -> Message | None:
        """Why `answers` do not fit this version (number `version`), or None when they do."""
        given = {k: v for k, v in answers.items() if not _unanswered(v)}
        unknown = sorted(k for k in given if k not in self.questions)
        if unknown:
            questions = ", ".join(_quote(q) for q in unknown)
            return Message(
                Code.ANSWERS_UNKNOWN_QUESTIONS, {"questions": questions, "version": version}
            )
        for question_id, value in given.items():
            wrong = self._value_problem(self.questions[question_id], value)
            if wrong:
                code, params = wrong
                return Message(code, {"question": question_id, **params, "version": version})
        off = sorted(set(given) - self._path(given))
        if off:
            questions = ", ".join(repr(q) for q in off)
            return Message(Code.ANSWERS_OFF_BRANCH, {"questions": questions, "version": version})
        return None

    def _value_problem(
        self, question: Question, value: Any
    ) -> tuple[Code, dict[str, Param]] | None:
        kind = question.kind
        if kind == QuestionKind.text:
            return None if isinstance(value, str) else (Code.ANSWER_NOT_TEXT, {})
        if kind == QuestionKind.multi:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return Code.ANSWER_NOT_OPTION_LIST, {}
            strays = [v for v in value if v not in self.values[question.id]]
            return (Code.ANSWER_STRAY_OPTION, {"value": _quote(strays[0])}) if strays else None
        if kind == QuestionKind.scale:
            number = _whole_number(value)
            if number is None:
                return Code.ANSWER_NOT_WHOLE_NUMBER, {"value": _quote(value)}
            if not question.scale_min <= number <= question.scale_max:
                bounds = {"min": question.scale_min, "max": question.scale_max}
                return Code.ANSWER_OFF_SCALE, {"value": number, **bounds}
            return None
        if kind == QuestionKind.yesno and isinstance(value, bool):
            return None
        if isinstance(value, str) and value in self.values[question.id]:
            return None
        if kind == QuestionKind.yesno:
            return Code.ANSWER_NOT_YES_NO, {"value": _quote(value)}
        return Code.ANSWER_NOT_OPTION, {"value": _quote(value)}

    def _path(self, answers: dict[str, Any]) -> set[str]:
        """The questions the laptop shows for these answers, from the first one on."""
        path: set[str] = set()
        current = self.first
        while current is not None and current not in path and current in self.questions:
            path.add(current)
            current = self.next_question_id(current, answers.get(current))
        return path

    def next_question_id(self, question_id: str, answer: Any) -> str | None:
        """Where the script goes after `answer` (None: finished), as the laptop walks it."""
        target = None
        if self.questions[question_id].kind in _BRANCHING and isinstance(answer, str | bool):
            wanted = ("yes" if answer else "no") if isinstance(answer, bool) else answer
            target = self.branches[question_id].get(wanted)
        target = target or self.defaults[question_id]
        return None if target == END else target


def _unanswered(value: Any) -> bool:
    # The laptop leaves a skipped question out; an empty value means the same.
    return value is None or value == "" or value == []


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _quote(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
