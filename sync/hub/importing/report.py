"""What an import produced: counts, rejected rows, progress; and the refusal of a file."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_KEPT_REJECTS = 10_000  # rejects kept in the report; `on_reject(row, header)` sees all


class ImportRefused(Exception):
    """The whole file is unusable; nothing from it may be stored."""


@dataclass
class RejectedRow:
    line: int  # physical line in the file where the record starts (the header is line 1)
    reason: str  # what is wrong, with the offending value (never the whole row)
    values: list[str]  # the fields as read (for the rejects file only)
    kind: str = ""  # the reason's category for the counts: "bad phone", "missing name"...


@dataclass
class ImportProgress:
    rows: int  # records read so far
    bytes_read: int  # approximate, for a percentage
    bytes_total: int | None


@dataclass
class ImportReport:
    header: list[str] = field(default_factory=list)
    rows: int = 0  # records read, blank lines not counted
    contacts: int = 0  # new contacts stored
    updated: int = 0  # people already in the list whose row changed (names, phones, fields)
    unchanged: int = 0  # people already in the list, row as before
    households_created: int = 0
    households_reused: int = 0
    lists: dict[str, int] = field(default_factory=dict)  # list name -> contacts imported
    do_not_call: int = 0  # imported, but every phone of theirs is on the do-not-call list
    # Other people's numbers on the do-not-call list: kept, never dialed (reservation_views)
    listed_numbers: int = 0
    # Imported but not handed out, by why: what the campaign already knows about the person
    # from another list ("deceased", "refused", "wrong number"...).
    held_back: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # rejected rows by kind
    rejects: list[RejectedRow] = field(default_factory=list)  # the first MAX_KEPT_REJECTS
    phone_columns: list[str] = field(default_factory=list)  # in the order they are dialed
    source_id_column: str | None = None
    name_column: str | None = None  # first and last name split from this one column
    encoding: str = "UTF-8"
    delimiter: str = ","
    warnings: list[str] = field(default_factory=list)  # about the whole file
    spreadsheet_decimals: int = 0  # "5046218927.0": read as 5046218927
    dropped_phones: int = 0  # a second (third...) phone that is not valid; the others kept
    checked: bool = False  # --check: validated against the database, nothing stored

    @property
    def households(self) -> int:
        return self.households_created + self.households_reused

    def first_rejects(self, kind: str, count: int = 3) -> list[RejectedRow]:
        return [r for r in self.rejects if r.kind == kind][:count]
