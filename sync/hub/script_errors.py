"""The error a script file that cannot be published raises (sync/hub/script_file.py)."""

from __future__ import annotations


class ScriptError(ValueError):
    """A script file that cannot be published; the message names the question and field."""

    def __init__(
        self,
        message: str,
        *,
        question: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = message
        self.question = question
        self.field = field
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.question is not None:
            parts.append(f"question {self.question!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        parts.append(self.problem)
        text = ": ".join(parts)
        return f"{text} (line {self.line})" if self.line else text
