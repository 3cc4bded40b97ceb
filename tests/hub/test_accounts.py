"""Managing accounts from the command line (`add-user`, `users ...`), and what a volunteer's
laptop sees over the API afterwards: the password policy, deactivation (every route answers
401 at once, the hot routes included), password resets, roles, adding many from a CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import User
from sync.hub.password_policy import password_problem
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import result_body, seed_list

GOOD = "plum orbit canyon lantern"


def login(client: TestClient, email: str, password: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/v1/auth/login", json={"email": email, "password": password, "device_name": "t"}
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("hunter2", "too short (7 characters; at least 12"),
        ("password1234", "too easy to guess: This is a very common password."),
        ("qwertyuiop123", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess'),
        ("Ana.Lopez@example.org", "too easy to guess"),  # the account's own email
        (GOOD, None),
        ("plum orbit canyon lantern " * 8, None),  # long: zxcvbn reads the first 72
        ("x" * 1025, "longer than 1024 characters"),
        ("correct horse battery staple", None),
    ],
)
def test_the_password_policy(password: str, expected: str | None) -> None:
    problem = password_problem(password, email="ana.lopez@example.org", name="Ana Lopez")
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


def test_add_user_refuses_a_weak_password_and_saves_nothing(
    database_url: str, engine: Engine
) -> None:
    short = run_hub_cli(database_url, "add-user", "ana@example.org", "--name", "Ana", stdin="pw\n")
    assert short.returncode == 2
    assert short.stderr == (
        "error: the password is too short (2 characters; at least 12 are needed, and a few "
        "unrelated words make a good one); nothing was saved\n"
    )
    common = run_hub_cli(
        database_url, "add-user", "ana@example.org", "--name", "Ana", stdin="iloveyou1234\n"
    )
    assert common.returncode == 2 and "similar to a commonly used password" in common.stderr
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []
    ok = run_hub_cli(database_url, "add-user", "ana@example.org", "--name", "Ana", stdin=GOOD)
    assert ok.returncode == 0, ok.stderr


def test_a_deactivated_volunteer_is_refused_at_once_on_every_route(
    database_url: str, client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    make_user("organizer")  # someone is left to run the hub
    ben = make_user("volunteer", email="ben@example.org")
    seeded = seed_list(engine, households=10, list_size=2)
    reservation = reserve(client, ben, seeded.list_id)
    contact = reservation["contacts"][0]
    assert client.get("/api/v1/sync", headers=ben.headers).status_code == 200

    done = run_hub_cli(database_url, "users", "deactivate", "BEN@example.org")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "deactivated ben@example.org: signed out everywhere, sign-in refused\n"

    h = ben.headers
    assert client.get("/api/v1/campaigns", headers=h).status_code == 401
    assert client.get("/api/v1/sync", headers=h).status_code == 401
    assert client.get("/api/v1/auth/me", headers=h).status_code == 401
    # The two hot routes look the token up themselves (and on PostgreSQL in their own SQL).
    refused = client.post("/api/v1/reservations", json={"call_list_id": seeded.list_id}, headers=h)
    assert refused.status_code == 401
    results = client.post(
        "/api/v1/results", json={"results": [result_body(contact, reservation)]}, headers=h
    )
    assert results.status_code == 401
    release = client.post(f"/api/v1/reservations/{reservation['id']}/release", headers=h)
    assert release.status_code == 401

    status, body = login(client, "ben@example.org", ben.password)
    assert status == 403
    assert body["detail"] == (
        "This account has been deactivated by an organizer. Ask your campaign's organizers "
        "if you think this is a mistake."
    )
    # A wrong password still says only that: nobody learns the account exists.
    assert login(client, "ben@example.org", "not the password at all")[0] == 401

    again = run_hub_cli(database_url, "users", "reactivate", "ben@example.org")
    assert again.returncode == 0 and "reactivated ben@example.org" in again.stdout
    # The old token stays dead (deactivation revoked it); signing in works again.
    assert client.get("/api/v1/campaigns", headers=h).status_code == 401
    status, body = login(client, "ben@example.org", ben.password)
    assert status == 200, body
    fresh = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/campaigns", headers=fresh).status_code == 200


def test_the_last_organizer_cannot_be_deactivated_or_demoted(
    database_url: str, client: TestClient, make_user: Callable[..., Account]
) -> None:
    ana = make_user("organizer", email="ana@example.org")
    for args in (("deactivate", "ana@example.org"), ("set-role", "ana@example.org", "volunteer")):
        result = run_hub_cli(database_url, "users", *args)
        assert result.returncode == 2
        assert "ana@example.org is the last active organizer" in result.stderr
        assert "nothing was changed" in result.stderr
    assert client.get("/api/v1/feedback", headers=ana.headers).status_code == 200
    make_user("organizer", email="cy@example.org")
    assert run_hub_cli(database_url, "users", "deactivate", "ana@example.org").returncode == 0
    assert client.get("/api/v1/feedback", headers=ana.headers).status_code == 401
    unknown = run_hub_cli(database_url, "users", "deactivate", "nobody@example.org")
    assert unknown.returncode == 2 and "no account for nobody@example.org" in unknown.stderr


def test_reset_password_signs_the_account_out_and_follows_the_policy(
    database_url: str, client: TestClient, make_user: Callable[..., Account]
) -> None:
    ben = make_user("volunteer", email="ben@example.org")
    weak = run_hub_cli(database_url, "users", "reset-password", "ben@example.org", stdin="ben12\n")
    assert (
        weak.returncode == 2 and "too short" in weak.stderr and "nothing was changed" in weak.stderr
    )
    assert client.get("/api/v1/campaigns", headers=ben.headers).status_code == 200

    reset = run_hub_cli(
        database_url, "users", "reset-password", "ben@example.org", stdin=GOOD + "\n"
    )
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout == "new password for ben@example.org; signed out of 1 device\n"
    assert client.get("/api/v1/campaigns", headers=ben.headers).status_code == 401
    assert login(client, "ben@example.org", ben.password)[0] == 401
    assert login(client, "ben@example.org", GOOD)[0] == 200


def test_set_role_makes_a_volunteer_an_organizer(
    database_url: str, client: TestClient, make_user: Callable[..., Account]
) -> None:
    ben = make_user("volunteer", email="ben@example.org")
    assert client.get("/api/v1/feedback", headers=ben.headers).status_code == 403
    done = run_hub_cli(database_url, "users", "set-role", "ben@example.org", "organizer")
    assert done.stdout == "ben@example.org is now an organizer\n"
    assert client.get("/api/v1/feedback", headers=ben.headers).status_code == 200


def test_users_import_adds_good_rows_and_reports_bad_ones_by_line(
    database_url: str, client: TestClient, tmp_path: Path, make_user: Callable[..., Account]
) -> None:
    make_user("volunteer", email="old@example.org")
    people = tmp_path / "volunteers.csv"
    people.write_text(
        "Name,Email,Role\n"
        "Ana López,Ana@Example.org,\n"
        ",nameless@example.org,\n"
        "Bad Mail,not-an-email,\n"
        '"Okafor, Grace",grace@example.org,organizer\n'
        "Ana Again,ana@example.org,\n"
        "\n"
        "Old Hand,old@example.org,\n"
        "Eve,eve@example.org,boss\n",
        encoding="utf-8",
    )
    result = run_hub_cli(database_url, "users", "import", str(people))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "line 3: missing name",
        "line 4: 'not-an-email' is not an email address (expected name@example.org)",
        "line 6: duplicate of line 2",
        "line 8: an account for old@example.org already exists",
        "line 9: unknown role 'boss' (volunteer or organizer)",
        "added 2 accounts; rejected 5 rows. Hand each person their password: it is not shown "
        "again.",
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == "email,name,role,password"
    rows = {line.split(",")[0]: line.rsplit(",", 1)[1] for line in lines[1:]}
    assert sorted(rows) == ["ana@example.org", "grace@example.org"]
    assert '"Okafor, Grace",organizer' in result.stdout
    for email, password in rows.items():
        assert password_problem(password, email=email) is None
        status, body = login(client, email, password)
        assert status == 200, body

    listed = run_hub_cli(database_url, "users", "list", "okafor")
    assert listed.stdout.split()[1:] == ["Okafor,", "Grace", "grace@example.org", "organizer"]
    refused = tmp_path / "wrong.csv"
    refused.write_text("first,last\nA,B\n", encoding="utf-8")
    whole = run_hub_cli(database_url, "users", "import", str(refused))
    assert whole.returncode == 2
    assert "line 1: the header row has no name or email column" in whole.stderr


def test_users_list_shows_who_is_deactivated(
    database_url: str, make_user: Callable[..., Account]
) -> None:
    make_user("organizer", email="ana@example.org", name="Ana")
    make_user("volunteer", email="ben@example.org", name="Ben")
    assert run_hub_cli(database_url, "users", "deactivate", "ben@example.org").returncode == 0
    everyone = run_hub_cli(database_url, "users", "list").stdout.splitlines()
    assert [line.split()[1:] for line in everyone] == [
        ["Ana", "ana@example.org", "organizer"],
        ["Ben", "ben@example.org", "volunteer", "deactivated"],
    ]
    inactive = run_hub_cli(database_url, "users", "list", "--inactive").stdout
    assert "ben@example.org" in inactive and "ana@" not in inactive
    assert run_hub_cli(database_url, "users", "list", "zed").stdout == "no accounts match\n"
