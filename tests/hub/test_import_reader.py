"""A large file is read by a second process while the importing one inserts (records.py):
the same contacts, counts, line numbers, rejects and refusals as when it is read in the
importing process (issue 14)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from sync.hub.importing import ImportRefused, ImportReport, import_contacts, records
from sync.hub.models import Contact

HEADER = "VOTER_ID,FirstName,LastName,CellPhone,HomePhone,precinct,state\n"


def voter_file(path: Path) -> Path:
    lines = [HEADER]
    for n in range(300):
        cell = f"614-555-{n % 100:04d}" if n % 50 else "555-12"  # a bad cell now and then
        home = f"(419) 555-{n % 90:04d}" if n % 3 else ""
        lines.append(f"V{n},First{n},Family{n % 100},{cell},{home},P{n % 7},OH\n")
    lines.insert(10, "\n")  # a blank line
    lines.insert(20, "V7,Again,Same,614-555-0101,,P1,OH\n")  # V7's id twice
    lines.insert(30, ",,Nameless,614-555-0102,,P1,OH\n")
    lines.insert(40, "V900,Too,Many,614-555-0103,,P1,OH,extra,fields\n")
    lines.insert(50, "V901,Mich,Decimal,6145550104.0,,P1,MI\n")
    lines.insert(60, "V902,Ren\xe9,Latin,614-555-0105,,P1,OH\n")  # written as Windows-1252
    body = "".join(lines[:60]).encode() + "".join(lines[60:]).encode("cp1252")
    path.write_bytes(body)
    return path


def imported(engine: Engine, path: Path, name: str) -> tuple[ImportReport, list[Any]]:
    with session_scope(engine) as session:
        campaign = create_campaign(session, name, 1000)
        assert campaign.id is not None
        report = import_contacts(session, campaign.id, path, list_column="state")
    with Session(engine) as session:
        people = session.exec(
            select(Contact).where(Contact.campaign_id == campaign.id).order_by(col(Contact.id))
        ).all()
        stored = [
            (p.first_name, p.last_name, p.phone, p.source_id, p.phones, p.extra, p.state)
            for p in people
        ]
    return report, stored


def in_this_process_never(*_: object) -> None:
    raise AssertionError("read in the importing process: the second process was not used")


def test_a_large_file_read_by_a_second_process_imports_the_same(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = voter_file(tmp_path / "voters.csv")
    here, here_stored = imported(engine, path, "Read here")

    monkeypatch.setattr(records, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(records, "read_file", in_this_process_never)
    there, there_stored = imported(engine, path, "Read by a second process")

    assert there_stored == here_stored and len(here_stored) == 300
    assert asdict(there) == asdict(here)
    assert [(r.line, r.reason) for r in there.rejects] == [
        (2, "bad phone '555-12' in CellPhone"),
        (21, "duplicate of line 9"),
        (31, "missing first name"),
        (41, "9 fields, the header has 7"),
        (158, "bad phone '555-12' in CellPhone"),
    ]
    assert (there.rows, there.contacts, there.rejected) == (305, 300, 5)
    assert (there.spreadsheet_decimals, there.dropped_phones) == (1, 4)
    assert there.encoding == "Windows-1252" and "line 61 is not UTF-8" in there.warnings[0]


def test_a_file_refused_in_the_second_process_is_refused_with_the_same_message(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(HEADER + "V1,Ana,Lopez,614-555-0101,,P1,OH\n" + 'V2,"Bo,Diaz,614-555-0102\n')
    with pytest.raises(ImportRefused) as here:
        imported(engine, path, "Read here")

    monkeypatch.setattr(records, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(records, "read_file", in_this_process_never)
    with pytest.raises(ImportRefused) as there:
        imported(engine, path, "Read by a second process")

    assert str(there.value) == str(here.value)
    assert "line 3: not readable as CSV (a quoted field starting here is never closed)" in str(
        there.value
    )
    with Session(engine) as session:
        assert session.exec(select(Contact)).all() == []  # nothing of either is stored
