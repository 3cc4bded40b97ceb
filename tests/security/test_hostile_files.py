"""Hostile contact files (CSV) and script files (YAML), made by Hypothesis.

What an organizer depends on: any file gets either a clear error (a sentence, no traceback,
naming the line or the question and field) or a report, and never a partial or corrupt
import: after a refused import the database is exactly as before, and an accepted one adds
exactly the good rows. The functions are called directly here (fast, many examples); the
real command line, as a subprocess, runs on a few of the same inputs at the end.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.importing import ImportRefused, ImportReport, import_contacts
from sync.hub.models import Campaign
from tests.security.hostile import assert_clear, db_state, examples, fuzz_settings, new_list_rows
from tests.support.hub_process import run_hub_cli

HEADER = ["first_name", "last_name", "phone", "city"]
# Numbers as people write them, and what they must become (region US).
GOOD_PHONES = {
    "+16145550123": "+16145550123",
    "(614) 555-0124": "+16145550124",
    "614.555.0125": "+16145550125",
    "+1 216 555 0142": "+12165550142",
    "+44 20 7946 0958": "+442079460958",
}
BAD_PHONES = ["12345", "call me", "713-555-01", "+1 000 000 0000", ""]
MAX_NAME = 200


@pytest.fixture
def campaign_id(engine: Engine) -> int:
    with Session(engine) as session:
        campaign = Campaign(name="Fuzz", goal=100)
        session.add(campaign)
        session.commit()
        assert campaign.id is not None
        return campaign.id


def import_as_the_hub_does(
    engine: Engine, campaign_id: int, path: Path, list_name: str
) -> ImportReport | str:
    """One import in one transaction: committed when it imported something, else rolled
    back (the contract `import_contacts` documents, kept by `phonebank-hub import-contacts`).
    Returns the report, or the refusal's message."""
    with Session(engine) as session:
        try:
            report = import_contacts(session, campaign_id, path, list_name=list_name)
        except ImportRefused as refused:
            session.rollback()
            return str(refused)
        if report.contacts:
            session.commit()
        else:
            session.rollback()
        return report


# ---------------------------------------------------------------- CSV: any bytes at all

header_line = ",".join(HEADER).encode() + b"\n"
good_line = b"Ana,Diaz,+16145550123,Columbus\n"
any_bytes = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=600).map(lambda body: header_line + body),
    st.text(max_size=300).map(lambda body: header_line + body.encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(
        lambda body: header_line + good_line + body.encode("utf-8", "replace")
    ),
)


def check_any_bytes(engine: Engine, campaign_id: int, tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    before = db_state(engine)
    list_name = f"list-{uuid.uuid4().hex[:8]}"
    outcome = import_as_the_hub_does(engine, campaign_id, path, list_name)
    if isinstance(outcome, str):
        assert_clear(outcome)
        assert db_state(engine) == before, "a refused file changed the database"
        return "refused"
    for rejected in outcome.rejects:
        assert rejected.line >= 2 and rejected.reason.strip()
    assert outcome.rows == outcome.contacts + outcome.rejected
    stored = new_list_rows(engine, list_name)
    assert len(stored) == outcome.contacts
    if not outcome.contacts:
        assert db_state(engine) == before, "an import of nothing changed the database"
        return "nothing imported"
    return "imported"


@examples(short=60, long=2000)
def test_any_bytes_are_refused_clearly_or_imported_exactly(
    engine: Engine, campaign_id: int, tmp_path: Path, examples: int
) -> None:
    @fuzz_settings(examples, short=examples == 60)
    @given(content=any_bytes)
    def run(content: bytes) -> None:
        tally[check_any_bytes(engine, campaign_id, tmp_path, content)] += 1

    tally: Counter[str] = Counter()
    run()
    print(f"CSV, any bytes: {tally.total()} files, {dict(tally)}")


# ---------------------------------------------------------------- CSV: rows good and bad

names = st.one_of(
    st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["Ana", " Bo ", "O'Neill", 'Say "hi"', "a,b", "two\nlines", "Ñúñez", "é"]),
    st.just("x" * (MAX_NAME + 1)),
)
rows = st.lists(
    st.tuples(names, names, st.sampled_from([*GOOD_PHONES, *BAD_PHONES]), names), max_size=12
)


def csv_file(records: list[tuple[str, str, str, str]]) -> tuple[str, list[int]]:
    """The file as a spreadsheet writes it (CRLF, fields with breaks in quotes) and the line
    where each record starts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # lineterminator "\r\n", like Excel
    writer.writerow(HEADER)
    starts = []
    for record in records:
        starts.append(buffer.getvalue().count("\n") + 1)
        writer.writerow(record)
    return buffer.getvalue(), starts


def expected_import(records: list[tuple[str, str, str, str]]) -> tuple[list[tuple], list[int]]:
    """What the import must store (first, last, E.164) and which lines it must reject,
    worked out from the rules in docs/hub.md, not from the importer."""
    good: list[tuple] = []
    rejected: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    for record, line in zip(records, csv_file(records)[1], strict=True):
        first, last, phone, city = (unicodedata.normalize("NFC", f.strip()) for f in record)
        if not (first or last or phone or city):
            continue  # a blank record is skipped, not rejected
        e164 = GOOD_PHONES.get(record[2])
        ok = first and last and len(first) <= MAX_NAME and len(last) <= MAX_NAME and e164
        person = (e164 or "", first.casefold(), last.casefold())
        if not ok or person in seen:
            rejected.append(line)
            continue
        seen.add(person)
        good.append((first, last, e164))
    return sorted(good), rejected


def write_csv(path: Path, records: list[tuple[str, str, str, str]]) -> None:
    path.write_bytes(csv_file(records)[0].encode())


@examples(short=40, long=1000)
def test_good_rows_are_imported_and_bad_rows_rejected_by_line(
    engine: Engine, campaign_id: int, tmp_path: Path, examples: int
) -> None:
    @fuzz_settings(examples, short=examples == 40)
    @given(records=rows)
    def run(records: list[tuple[str, str, str, str]]) -> None:
        path = tmp_path / "rows.csv"
        write_csv(path, records)
        good, rejected = expected_import(records)
        before = db_state(engine)
        list_name = f"list-{uuid.uuid4().hex[:8]}"
        outcome = import_as_the_hub_does(engine, campaign_id, path, list_name)
        tally["files"] += 1
        if isinstance(outcome, str):  # only a file with no rows at all may be refused
            assert not records and "empty" in outcome, outcome
            assert db_state(engine) == before
            return
        tally["good rows"] += len(good)
        tally["bad rows"] += len(rejected)
        assert [r.line for r in outcome.rejects] == rejected
        assert all(r.reason.strip() for r in outcome.rejects)
        stored = sorted((r[0], r[1], r[2]) for r in new_list_rows(engine, list_name))
        assert stored == good
        if not good:
            assert db_state(engine) == before

    tally: Counter[str] = Counter()
    run()
    print(f"CSV, rows good and bad: {dict(tally)}")


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli_campaign(database_url: str) -> Iterator[str]:
    done = run_hub_cli(database_url, "create-campaign", "CLI", "--goal", "10")
    assert done.returncode == 0, done.stderr
    yield done.stdout.strip()


REFUSED_FILES: dict[str, tuple[bytes, str]] = {
    # name: (content, what the message must say)
    "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 3 contains a NUL character"),
    "one-column.csv": (b"city\nColumbus\n", "no first_name or last_name or phone column"),
    "unclosed.csv": (
        b'first_name,last_name,phone\nAna,"Diaz,+16145550123\nBo,Lee,+16145550124\n',
        "line 2: not readable as CSV (a quoted field starting here is never closed)",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
def test_the_command_line_refuses_a_broken_csv_without_a_traceback(
    database_url: str, engine: Engine, cli_campaign: str, tmp_path: Path, name: str
) -> None:
    content, says = REFUSED_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = db_state(engine)
    # The unclosed quote runs as a real process: what an organizer's terminal shows.
    done = run_hub_cli(
        database_url, "import-contacts", cli_campaign, str(path), subprocess_=name == "unclosed.csv"
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: ") and says in done.stderr, done.stderr
    assert done.stderr.endswith("; nothing was imported\n")
    assert_clear(done.stderr)
    assert db_state(engine) == before
    assert not path.with_name(path.stem + ".rejects.csv").exists()


def test_the_command_line_imports_exactly_the_good_rows(
    database_url: str, engine: Engine, cli_campaign: str, tmp_path: Path
) -> None:
    records = [
        ("Ana", "Diaz", "+16145550123", "Columbus"),
        ("", "Lee", "(614) 555-0124", ""),
        ("Bo", "Lee", "713-555-01", ""),
        ("ana", "DIAZ", "614-555-0123", ""),
        ("Cy", "Ng", "+1 216 555 0142", "Parma"),
    ]
    path = tmp_path / "mixed.csv"
    write_csv(path, records)
    good, rejected = expected_import(records)
    done = run_hub_cli(database_url, "import-contacts", cli_campaign, str(path), "--list", "Ohio")
    assert done.returncode == 0, done.stderr
    shown = [line.split(":")[0].strip() for line in done.stderr.splitlines()]
    assert sorted(s for s in shown if s.startswith("line ")) == [f"line {n}" for n in rejected]
    stored = sorted((r[0], r[1], r[2]) for r in new_list_rows(engine, "Ohio"))
    assert stored == good == [("Ana", "Diaz", "+16145550123"), ("Cy", "Ng", "+12165550142")]
