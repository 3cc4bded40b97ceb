"""Which column is which: header names matched ignoring case, spaces, `_`, `-` and `.`,
with the names voter files and list tools use, and `--map FIELD=COLUMN` for the rest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from sync.hub.importing.report import ImportRefused

FIELDS = ("first_name", "last_name", "name", "phone", "source_id")
_FIELD_NAMES = {"firstname": "first_name", "lastname": "last_name", "phone": "phone",
                "sourceid": "source_id", "id": "source_id", "name": "name",
                "fullname": "name"}  # fmt: skip
_FIRST = ("firstname", "first", "fname", "givenname", "namefirst", "forename")
_LAST = ("lastname", "last", "lname", "surname", "familyname", "namelast")
# One column with the whole name ("First Last" or "Last, First"), split on import (names.py).
_FULL_NAME = ("fullname", "name", "contactname", "votername", "personname", "displayname",
              "namefull")  # fmt: skip
# Voter-file ids, best first: NC's ncid is state-wide, its voter_reg_num only per county.
_SOURCE_IDS = (
    "vanid", "ncid", "voterid", "sosvoterid", "statevoterid", "voterregnum",
    "voterregistrationnumber", "registrationnumber", "regnum", "voterfileid",
)  # fmt: skip
# phone, cell, mobile, CellPhone, HomePhone, WorkPhone, phone1, phone2, PHONE_NUM,
# full_phone_number, Phone Number, "Daytime Phone", "Primary Phone #"...
_PHONE = re.compile(
    r"(?:home|cell|work|mobile|primary|preferred|daytime|evening|other|alt|alternate|"
    r"business|office|wireless|landline|full|contact|voter|main)?"
    r"(?:phone|telephone|tel|cell|mobile|cellphone|mobilephone|landline)"
    r"(?:number|num|no|nbr|#)?\d?"
)
_EXTENSION = re.compile(r"(?:phone)?(?:ext|extn|extension)")
_EXTENSION_PART = re.compile(r".*(?:ext|extn|extension)")  # FL: daytime_phone_extension


def key(name: str) -> str:
    """`First Name`, `first_name`, `FIRST-NAME` and `firstName` all give `firstname`."""
    return re.sub(r"[\s_\-.]+", "", unicodedata.normalize("NFC", name).casefold())


def is_phone_column(name: str) -> bool:
    """Whether a header names a phone column (the import's and the do-not-call file's rule)."""
    return _PHONE.fullmatch(key(name.lstrip("\ufeff"))) is not None or key(name) == "e164"


def phone_kind(name: str) -> str:
    """cell, home, work or "" from a phone column's name."""
    k = key(name)
    for kind, words in (
        ("cell", ("cell", "mobile", "wireless")),
        ("home", ("home", "landline")),
        ("work", ("work", "business", "office")),
    ):
        if any(w in k for w in words):
            return kind
    return ""


@dataclass(frozen=True)
class PhoneColumn:
    """One phone of a row: the cells it is made of (area code + number), joined."""

    parts: tuple[int, ...]
    label: str  # the column name(s) as written, "AREA+NUMBER" for a combination
    kind: str  # cell, home, work or ""
    extension_part: int | None = None  # a part that holds the extension ("x" goes before it)
    extension_column: int | None = None  # a column of its own: WorkPhone -> WorkPhoneExt


@dataclass
class Columns:
    """Where the fields are in each row."""

    names: list[str]  # as written, trimmed (or as given with --columns)
    first: int | None  # None: both come from `full_name`
    last: int | None
    phones: list[PhoneColumn]
    source_id: int | None
    list_index: int | None
    extra: list[tuple[int, str]]  # (index, name) of the columns kept as extra fields
    header: bool = True  # False: the names came from --columns
    full_name: int | None = None  # one column with the whole name, split into first and last

    @property
    def width(self) -> int:
        return len(self.names)


def parse_map(items: list[str] | None) -> list[tuple[str, str]]:
    """`["phone=AREA+NUMBER", "first_name=Given"]` -> [(field, column spec)], checked."""
    mapping: list[tuple[str, str]] = []
    for item in items or []:
        name, sep, spec = item.partition("=")
        field = _FIELD_NAMES.get(key(name), "")
        if not sep or not spec.strip():
            raise ImportRefused(f"--map {item!r}: write it as FIELD=COLUMN, e.g. phone=CellPhone")
        if not field:
            raise ImportRefused(f"--map {item!r}: the field must be one of {', '.join(FIELDS)}")
        if field != "phone" and any(f == field for f, _ in mapping):
            raise ImportRefused(f"--map: {field} is given twice (only phone may repeat)")
        mapping.append((field, spec.strip()))
    return mapping


def read_header(
    fields: list[str],
    line: int,
    *,
    list_column: str | None = None,
    id_column: str | None = None,
    mapping: list[tuple[str, str]] | None = None,
    header: bool = True,
) -> Columns:
    """The columns of the header row `fields` (or the --columns names); ImportRefused when
    it is not usable. `line` is where the header is, for messages."""
    names = [f.strip().lstrip("\ufeff").strip() for f in fields]
    where = f"line {line}: the header row" if header else "--columns"
    seen: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name.casefold() in seen:
            raise ImportRefused(f"{where}: the column {name!r} appears twice")
        seen[name.casefold()] = i
        by_key.setdefault(key(name), i)

    def find(column: str, what: str) -> int:
        i = seen.get(column.strip().casefold(), by_key.get(key(column)))
        if i is None:
            found = ", ".join(repr(n) for n in names[:12] if n) or "nothing"
            raise ImportRefused(f"{what}: there is no column {column!r} (found {found})")
        return i

    chosen: dict[str, int] = {}
    phones: list[PhoneColumn] = []
    for field, spec in mapping or []:
        parts = tuple(find(part, f"--map {field}={spec}") for part in spec.split("+"))
        if field == "phone":
            ext = next((p for p in parts[1:] if _EXTENSION_PART.fullmatch(key(names[p]))), None)
            label = "+".join(names[p] for p in parts)
            phones.append(PhoneColumn(parts, label, phone_kind(label), ext))
        elif len(parts) > 1:
            raise ImportRefused(f"--map {field}={spec}: only phone can combine columns with +")
        else:
            chosen[field] = parts[0]
    if id_column is not None:
        chosen["source_id"] = find(id_column, "--id-column")
    mapped = set(chosen)
    for field, aliases in (("first_name", _FIRST), ("last_name", _LAST)):
        if field not in chosen:
            hit = next((by_key[a] for a in aliases if a in by_key), None)
            if hit is not None:
                chosen[field] = hit
    full_name = _full_name(chosen, mapped, by_key)
    if "source_id" not in chosen:
        hit = next((by_key[a] for a in _SOURCE_IDS if a in by_key), None)
        if hit is not None:
            chosen["source_id"] = hit
    used = set(chosen.values()) | {p for phone in phones for p in phone.parts}
    if not phones:
        for i, name in enumerate(names):
            if name and i not in used and _PHONE.fullmatch(key(name)):
                phones.append(PhoneColumn((i,), name, phone_kind(name)))
    phones = _with_extensions(phones, names, used | {p for phone in phones for p in phone.parts})
    missing = (
        [] if full_name is not None else [f for f in ("first_name", "last_name") if f not in chosen]
    )
    if not phones:
        missing.append("phone")
    if missing:
        found = ", ".join(repr(n) for n in names[:10] if n) or "nothing"
        hint = ""
        for separator, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if len(names) == 1 and separator in names[0]:
                hint = f"; the fields seem to be separated by {name}: check --delimiter"
        if header and len(names) > 1 and not hint:
            hint = "; name the columns with --map FIELD=COLUMN (e.g. --map phone=Tel)"
        raise ImportRefused(
            f"{where} has no {' or '.join(missing)} column (found {found}); "
            f"first_name, last_name and phone are required{hint}"
        )
    list_index = None
    if list_column is not None:
        list_index = find(list_column, "--list-column")
    used = set(chosen.values()) | {p for phone in phones for p in phone.parts}
    used |= {p.extension_column for p in phones if p.extension_column is not None}
    extra = [(i, names[i]) for i in range(len(names)) if names[i] and i not in used]
    return Columns(
        names,
        chosen.get("first_name"),
        chosen.get("last_name"),
        phones,
        chosen.get("source_id"),
        list_index,
        extra,
        header,
        full_name,
    )


def _full_name(chosen: dict[str, int], mapped: set[str], by_key: dict[str, int]) -> int | None:
    """The column to split into first and last name, if that is how this file names people:
    `--map name=...` (unless first or last name is mapped too), or else a Name/Full Name
    column when first or last name has no column. Takes "name" (and the first and last name
    columns, then extra fields) out of `chosen`."""
    name = chosen.pop("name", None)
    if name is not None and not mapped & {"first_name", "last_name"}:
        pass
    elif "first_name" in chosen and "last_name" in chosen:
        return None
    else:
        name = next((by_key[a] for a in _FULL_NAME if a in by_key), None)
        if name is None:
            return None
    chosen.pop("first_name", None)
    chosen.pop("last_name", None)
    return name


def _with_extensions(
    phones: list[PhoneColumn], names: list[str], used: set[int]
) -> list[PhoneColumn]:
    """Give each phone its extension column: `WorkPhone` + `WorkPhoneExt` (or `..Extension`),
    then a lone `Ext`/`Extension` column to the first phone without one."""
    free = {key(n): i for i, n in enumerate(names) if n and i not in used}
    result = []
    for phone in phones:
        column = None
        if len(phone.parts) == 1:
            base = key(names[phone.parts[0]])
            column = next(
                (free.pop(base + s) for s in ("ext", "extension", "extn") if base + s in free),
                None,
            )
        result.append(replace(phone, extension_column=column))
    lone = next((i for k, i in free.items() if _EXTENSION.fullmatch(k)), None)
    if lone is not None:
        for n, phone in enumerate(result):
            if phone.extension_column is None and phone.extension_part is None:
                result[n] = replace(phone, extension_column=lone)
                break
    return result


def cells_of(fields: list[str], width: int) -> list[str]:
    """The row's fields trimmed, in Unicode NFC, padded to the header's width."""
    cells = [f.strip() for f in fields[:width]]
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return [c if c.isascii() else unicodedata.normalize("NFC", c) for c in cells]
