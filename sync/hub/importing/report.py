"""What an import produced: counts, rejected rows, progress; and the refusal of a file."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_KEPT_REJECTS = 10_000  # rejects kept in the report; `on_reject(row, header)` sees all


class ImportRefused(Exception):
    """The whole file is unusable; nothing from it may be stored."""


@dataclass
class RejectedRow:
    line: int  # physical line in the file where the record starts (the header is line 1)
    reason: str
    values: list[str]  # the fields as read


@dataclass
class ImportProgress:
    rows: int  # records read so far
    bytes_read: int  # approximate, for a percentage
    bytes_total: int | None


@dataclass
class ImportReport:
    header: list[str] = field(default_factory=list)
    rows: int = 0  # records read, blank lines not counted
    contacts: int = 0
    households_created: int = 0
    households_reused: int = 0
    lists: dict[str, int] = field(default_factory=dict)  # list name -> contacts imported
    do_not_call: int = 0  # imported, but their phone is on the do-not-call list
    rejected: int = 0
    rejects: list[RejectedRow] = field(default_factory=list)  # the first MAX_KEPT_REJECTS

    @property
    def households(self) -> int:
        return self.households_created + self.households_reused
