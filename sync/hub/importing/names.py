"""A single name column ("Name", "Full Name") split into first and last name.

Lists made by hand, sign-up forms and mailing-list files often have one name column, written
"First Middle Last" or "Last, First Middle", with titles (Dr., Mrs.) and suffixes (Jr., III).
nameparser knows those forms, the surname particles (de la Cruz, van der Berg) and the
nicknames in quotes; the volunteer greets the first name, and the list sorts and deduplicates
by first and last. Middle names, titles and suffixes are not kept apart: the column itself
stays on the contact as an extra field, as the file wrote it.
"""

from __future__ import annotations

from nameparser import HumanName


def split_name(text: str, column: str) -> tuple[str, str, str | None]:
    """(first, last, problem): `problem` says what is wrong when the name cannot be split
    into both (it is then a rejected row's reason, naming `column`)."""
    if not text:
        return "", "", f"missing name ({column} is empty)"
    name = HumanName(text)
    first, last = name.first.strip(), name.last.strip()
    if not first or not last:
        return first, last, f"{column} {text[:40]!r} is not a first and a last name"
    return first, last, None
