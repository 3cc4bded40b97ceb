"""Building voter files from their published layouts and importing them through the real
command line: what tests/hub/test_voter_files_*.py share."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.models import CallList, Contact
from tests.support.hub_process import run_hub_cli

Stored = tuple[str, str, str, str, str | None, list[tuple[str, str, str]]]


def stored(engine: Engine, list_name: str | None = None) -> list[Stored]:
    """(first, last, phone, phone as imported, source id, [(e164, extension, kind)...])."""
    with Session(engine) as session:
        query = select(Contact).join(CallList, col(CallList.id) == Contact.call_list_id)
        if list_name is not None:
            query = query.where(CallList.name == list_name)
        return [
            (
                c.first_name,
                c.last_name,
                c.phone,
                c.phone_as_imported,
                c.source_id,
                [(p["e164"], p["extension"], p["kind"]) for p in c.phones],
            )
            for c in session.exec(query.order_by(col(Contact.id)))
        ]


def extra_of(engine: Engine, first_name: str) -> dict[str, str]:
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.first_name == first_name)).one()
        return dict(contact.extra)


def write_rows(
    path: Path,
    header: list[str] | None,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    encoding: str = "utf-8",
    columns: list[str] | None = None,
) -> Path:
    """A file laid out as `header` (or, headerless, as `columns`), each row's missing fields
    empty, written the way the tool that makes it writes it."""
    names = header or columns or []
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    for row in rows:
        assert set(row) <= set(names), set(row) - set(names)
        writer.writerow([row.get(name, "") for name in names])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def imported(database_url: str, campaign_id: int, path: Path, *options: str) -> str:
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path), *options)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout
