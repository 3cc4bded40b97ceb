"""A large import into a small table builds its secondary indexes after the rows (SQLite):
every index is there afterwards, whatever the import's end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from sync.hub.db import session_scope
from sync.hub.importing import ImportRefused, import_contacts
from sync.hub.models import Household


def write_csv(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _indexes(engine: Engine) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The households' and contacts' indexes; on SQLite with their full definition."""
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    inspector = inspect(engine)
    for table in ("households", "contacts"):
        found[table] = sorted(
            (str(i["name"]), tuple(str(c) for c in i["column_names"]))
            for i in inspector.get_indexes(table)
        )
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            ).all()
        found["definitions"] = [(str(name), (str(sql),)) for name, sql in rows]
    return found


def test_an_import_leaves_every_index_as_it_was(
    engine: Engine, campaign_id: int, tmp_path: Path
) -> None:
    """A large import into a small table builds its indexes after the rows (SQLite): they
    are all there after it, after a --check, and after a file refused half-way."""
    before = _indexes(engine)
    rows = "".join(f"Ana{n},Ruiz,614-{200 + n}-0101\n" for n in range(50))
    path = write_csv(tmp_path / "ohio.csv", "first_name,last_name,phone\n" + rows)
    with session_scope(engine) as session:
        import_contacts(session, campaign_id, path, list_name="Ohio", check=True)
    assert _indexes(engine) == before
    no_phone = write_csv(tmp_path / "names.csv", "first_name,last_name\n" + "Ana,Ruiz\n" * 50)
    with pytest.raises(ImportRefused), session_scope(engine) as session:
        import_contacts(session, campaign_id, no_phone, list_name="Ohio")
    assert _indexes(engine) == before

    with session_scope(engine) as session:
        report = import_contacts(session, campaign_id, path, list_name="Ohio")

    assert report.contacts == 50
    assert _indexes(engine) == before
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Household)).one() == 50
