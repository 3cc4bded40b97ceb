"""`phonebank-hub dnc import | export | remove`: the global do-not-call list for operators.

Imported numbers are never handed out again and laptops drop them at their next sync;
a removal is recorded with who, when and why, and gives the people back their own state.
"""

from __future__ import annotations

import csv
import getpass
import io
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.models import CallResult, Contact, DoNotCall, DoNotCallChange, Household
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import T0, Clock, result_body, seed_list

API = "/api/v1"


def listed(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(DoNotCall.phone)))


def valid_phones(count: int) -> list[str]:
    """Numbers a file may hold (the seed's own are not valid numbers, only unique ones)."""
    return [f"+1614555{150 + n:04d}" for n in range(count)]


def test_import_takes_every_phone_column_and_reports_bad_rows_by_line(
    engine: Engine, database_url: str, tmp_path: Path, make_user: Callable[..., Account]
) -> None:
    phones = ["+16145550101", "+16145550102", "+16145550103"]
    seed_list(engine, households=3, phones=phones)
    organizer = make_user("organizer", email="org@example.org")
    file = tmp_path / "opt-outs.csv"
    file.write_text(
        "VanID,FirstName,LastName,CellPhone,HomePhone\n"
        "101,Ana,Ames,(614) 555-0101,614.555.0199\n"  # line 2: both numbers count
        "102,Bo,Bell,,12\n"  # line 3: a bad number
        "103,Cy,Cole,,\n"  # line 4: no number at all
        "\n"
        "104,Di,Dunn,+1 614 555 0102,\n"  # line 6
        "105,Ed,Eng,6145550101,\n",  # line 7: Ana's again
        encoding="utf-8",
    )

    done = run_hub_cli(database_url, "dnc", "import", str(file), "--by", organizer.email)

    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "added 3 numbers to the do-not-call list from CellPhone, HomePhone (0 already on it; "
        "5 rows read; not taken: 1 bad phone, 1 no phone)\n"
    )
    assert done.stderr == "line 3: bad phone '12'\nline 4: no phone\n"
    assert listed(engine) == ["+16145550101", "+16145550102", "+16145550199"]
    with Session(engine) as session:
        states = {h.phone: h.state for h in session.exec(select(Household))}
        changes = session.exec(select(DoNotCallChange)).all()
    assert states == {"+16145550101": "dnc", "+16145550102": "dnc", "+16145550103": "open"}
    assert {(c.phone, c.action, c.by, c.reason) for c in changes} == {
        (phone, "added", "org@example.org", "import of opt-outs.csv")
        for phone in ("+16145550101", "+16145550102", "+16145550199")
    }

    again = run_hub_cli(database_url, "dnc", "import", str(file))
    assert again.returncode == 0
    assert "added 0 numbers" in again.stdout and "3 already on it" in again.stdout


def test_import_takes_a_headerless_file_with_another_delimiter_and_region(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "uk.txt"
    file.write_text("020 7946 0018;Ana\n07911 123456;Bo\n", encoding="utf-8")

    done = run_hub_cli(database_url, "dnc", "import", str(file), "--region", "GB")

    assert done.returncode == 0, done.stderr
    assert "added 2 numbers" in done.stdout and "column 1" in done.stdout
    assert listed(engine) == ["+442079460018", "+447911123456"]


def test_an_unusable_file_is_a_clear_error_and_adds_nothing(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    names = tmp_path / "names.csv"
    names.write_text("first,last\nAna,Ames\n", encoding="utf-8")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(b"\xff\xfe" + "first,last\nAna,Ames\n".encode("utf-16-le"))
    bad_only = tmp_path / "bad.csv"
    bad_only.write_text("phone\n12\n", encoding="utf-8")
    cases = {
        names: "line 1: no phone column (found 'first', 'last')",
        utf16: "line 1: no phone column (found 'first', 'last')",
        bad_only: "nothing added: no valid phone number in 1 row",
        tmp_path / "missing.csv": "no such file",
    }
    for path, message in cases.items():
        done = run_hub_cli(database_url, "dnc", "import", str(path))
        assert done.returncode == 2, path
        assert message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert listed(engine) == []
    unknown = run_hub_cli(database_url, "dnc", "import", str(names), "--by", "who@example.org")
    assert unknown.returncode == 2


def test_a_windows_1252_file_is_taken_with_a_warning_naming_its_line(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.csv"  # what Excel's plain "CSV" writes on Windows
    first, second = valid_phones(2)
    latin.write_bytes(f"phone,name\n{first},Ana\n{second},Jos".encode() + b"\xe9\n")
    done = run_hub_cli(database_url, "dnc", "import", str(latin))
    assert done.returncode == 0, done.stderr
    assert "line 3 is not UTF-8" in done.stderr and "Windows-1252" in done.stderr
    assert listed(engine) == [first, second]


def test_laptops_drop_imported_numbers_at_their_next_sync(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=6, list_size=3, phones=valid_phones(6))
    volunteer = make_user()
    reservation = reserve(client, volunteer, seeded.list_id)
    held = [c["phone"] for c in reservation["contacts"]]
    free = sorted(set(seeded.phones) - set(held))
    before = client.get(f"{API}/sync", headers=volunteer.headers).json()
    assert before["dnc"] == []

    file = tmp_path / "dnc.csv"
    file.write_text(f"phone\n{held[0]}\n{free[0]}\n", encoding="utf-8")
    assert run_hub_cli(database_url, "dnc", "import", str(file)).returncode == 0

    after = client.get(f"{API}/sync", headers=volunteer.headers).json()
    assert after["dnc"] == [held[0]]  # only numbers among the caller's own contacts
    # The other number is never handed out: the next list holds the rest but not it.
    clock.advance(hours=2)
    other = reserve(client, make_user(), seeded.list_id)
    assert free[0] not in {c["phone"] for c in other["contacts"]}


def test_export_lists_every_number_with_where_it_came_from(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=2, list_size=2)
    volunteer = make_user(email="vol@example.org")
    reservation = reserve(client, volunteer, seeded.list_id)
    asked = reservation["contacts"][0]
    body = result_body(asked, reservation, disposition="do_not_call", ended_at=T0)
    posted = client.post(f"{API}/results", json={"results": [body]}, headers=volunteer.headers)
    assert posted.status_code == 201, posted.text
    file = tmp_path / "dnc.csv"
    file.write_text("phone\n=6145550177\n(614) 555-0177\n", encoding="utf-8")
    assert run_hub_cli(database_url, "dnc", "import", str(file)).returncode == 0

    target = tmp_path / "out" / "dnc-export.csv"
    target.parent.mkdir()
    done = run_hub_cli(database_url, "dnc", "export", "-o", str(target))

    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    by_phone = {row["phone"]: row for row in rows}
    assert sorted(by_phone) == sorted([asked["phone"], "+16145550177"])
    assert by_phone[asked["phone"]]["source"] == f"call result {body['id']}"
    assert by_phone[asked["phone"]]["added_by"] == "vol@example.org"
    assert by_phone["+16145550177"]["source"] == "import of dnc.csv"
    assert by_phone["+16145550177"]["added_by"] == f"os:{getpass.getuser()}"
    assert by_phone["+16145550177"]["added_at"].endswith("+00:00")
    assert "." not in by_phone["+16145550177"]["added_at"]  # whole seconds
    to_stdout = run_hub_cli(database_url, "dnc", "export")
    assert to_stdout.stdout == target.read_bytes().decode("utf-8")


def test_remove_is_recorded_and_gives_people_back_their_own_state(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=2, members=2, list_size=2, phones=valid_phones(2))
    volunteer = make_user()
    reservation = reserve(client, volunteer, seeded.list_id)
    first, second = (c for c in reservation["contacts"] if c["phone"] == seeded.phones[0])
    # One person of the household was reached; then the number was put on the list.
    body = result_body(first, reservation, disposition="contacted", ended_at=T0)
    posted = client.post(f"{API}/results", json={"results": [body]}, headers=volunteer.headers)
    assert posted.status_code == 201, posted.text
    file = tmp_path / "dnc.csv"
    file.write_text(f"phone\n{seeded.phones[0]}\n", encoding="utf-8")
    assert run_hub_cli(database_url, "dnc", "import", str(file)).returncode == 0
    make_user("organizer", email="lead@example.org")

    national = f"({seeded.phones[0][2:5]}) {seeded.phones[0][5:8]}-{seeded.phones[0][8:]}"
    done = run_hub_cli(
        database_url, "dnc", "remove", national, "--reason", "typed in by mistake",
        "--by", "Lead@Example.org",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert f"removed {seeded.phones[0]} from the do-not-call list" in done.stdout
    assert "1 person can be called again" in done.stdout
    assert listed(engine) == []
    with Session(engine) as session:
        removal = session.exec(
            select(DoNotCallChange).where(DoNotCallChange.action == "removed")
        ).one()
        people = {c.id: c.state for c in session.exec(select(Contact))}
        household = session.exec(
            select(Household).where(col(Household.phone) == seeded.phones[0])
        ).one()
        assert session.exec(select(CallResult)).one().id == body["id"]  # results stay
    assert (removal.phone, removal.by, removal.reason) == (
        seeded.phones[0],
        "lead@example.org",
        "typed in by mistake",
    )
    assert removal.listed_since is not None and removal.at - removal.listed_since < timedelta(
        minutes=5
    )
    assert (people[first["id"]], people[second["id"]]) == ("done", "open")
    assert household.state == "open"

    refusals = {
        ("remove", seeded.phones[0], "--reason", "again"): "is not on the do-not-call list",
        ("remove", seeded.phones[1], "--reason", "  "): "--reason is empty",
        ("remove", "12", "--reason", "x"): "is not a valid phone number",
    }
    for args, message in refusals.items():
        refused = run_hub_cli(database_url, "dnc", *args)
        assert (refused.returncode, message in refused.stderr) == (2, True), refused.stderr
