"""What a do-not-call import says about a file: counts by reason and the first lines of
each, and the one-line summary. `phonebank-hub dnc import` prints it; the console's
"Do not call" page shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.hub.importing.dnc_file import DncFile

SHOWN_LINES = 5  # lines quoted per reason; the count says the rest


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


@dataclass(frozen=True)
class NotTaken:
    """One reason numbers were not taken: how many, and the first few (line, cell)."""

    reason: str
    count: int
    first: list[tuple[int, str]]

    @property
    def more(self) -> int:
        return self.count - len(self.first)

    def lines(self) -> list[str]:
        """As the command prints them: one per line quoted, never a whole row."""
        out = [
            f"line {line}: {self.reason}" + (f" {cell!r}" if cell else "")
            for line, cell in self.first
        ]
        if self.more:
            out.append(f"... and {self.more:,} more {self.reason}")
        return out


def not_taken(found: DncFile) -> list[NotTaken]:
    return [
        NotTaken(reason, len(lines), lines[:SHOWN_LINES])
        for reason, lines in found.rejected.items()
    ]


def not_taken_summary(found: DncFile) -> str:
    if not found.rejected:
        return ""
    counts = ", ".join(f"{len(lines):,} {reason}" for reason, lines in found.rejected.items())
    return f"; not taken: {counts}"


def added_summary(found: DncFile, added: int) -> str:
    """`added 3 numbers to the do-not-call list from CellPhone (0 already on it; ...)`."""
    distinct = len(set(found.phones))
    return (
        f"added {plural(added, 'number')} to the do-not-call list from "
        f"{', '.join(found.columns)} ({distinct - added:,} already on it; "
        f"{plural(found.rows, 'row')} read"
        f"{not_taken_summary(found)})"
    )


def nothing_valid(found: DncFile) -> str:
    return f"nothing added: no valid phone number in {plural(found.rows, 'row')}"
