"""The admin commands and `serve`, through the real command line."""

from __future__ import annotations

import json
import os
import pty
import select as io_select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import users as users_crud
from sync.hub.db import make_engine
from sync.hub.models import User
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.hub_process import REPO_ROOT, CliResult, HubProcess, run_hub_cli


def post_json(
    url: str, body: dict[str, str], *, forwarded_for: str | None = None
) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_add_user_then_sign_in_to_a_served_hub(
    database_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    added = run_hub_cli(
        database_url,
        "add-user",
        "Ana.Lopez@Example.org",
        "--name",
        "Ana López",
        "--role",
        "organizer",
        stdin="s3cret walnut harbor\n",
        subprocess_=True,
    )
    assert added.returncode == 0, added.stderr
    assert "ana.lopez@example.org" in added.stdout
    assert "s3cret" not in added.stdout + added.stderr

    hub = hub_factory(database_url)
    status, body = post_json(
        hub.api_url + "/auth/login",
        {"email": "ana.lopez@example.org", "password": "s3cret walnut harbor", "device_name": "t"},
    )
    assert status == 200, body
    assert body["volunteer"] == {
        "id": body["volunteer"]["id"],  # type: ignore[index]
        "name": "Ana López",
        "role": "organizer",
        "email": "ana.lopez@example.org",
        "languages": [],
    }
    token = str(body["token"])
    assert token not in hub.log_text()
    assert "Phonebank hub at http://127.0.0.1" in hub.log_text()

    # Same port, same database after a restart: the token still works.
    hub.restart()
    request = urllib.request.Request(
        hub.api_url + "/campaigns", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert json.loads(response.read()) == []


def test_add_user_refuses_duplicates_and_empty_passwords(database_url: str, engine: Engine) -> None:
    first = run_hub_cli(
        database_url, "add-user", "bo@example.org", "--name", "Bo", stdin="plum orbit canyon\n"
    )
    assert first.returncode == 0, first.stderr
    again = run_hub_cli(
        database_url, "add-user", "BO@example.org", "--name", "Bo 2", stdin="quiet maple thunder\n"
    )
    assert again.returncode == 2
    assert again.stderr.startswith("error: ") and "bo@example.org already exists" in again.stderr
    empty = run_hub_cli(database_url, "add-user", "cy@example.org", "--name", "Cy", stdin="\n")
    assert empty.returncode == 2
    assert "password is empty" in empty.stderr
    bad = run_hub_cli(
        database_url, "add-user", "not-an-email", "--name", "Cy", stdin="plum orbit canyon\n"
    )
    assert bad.returncode == 2
    assert "not an email address" in bad.stderr
    with Session(engine) as session:
        users = session.exec(select(User)).all()
        assert [(u.email, u.name, u.role) for u in users] == [("bo@example.org", "Bo", "volunteer")]
        assert users_crud.authenticate(session, "bo@example.org", "plum orbit canyon") is not None
        assert users[0].password_hash != "plum orbit canyon"


def test_serve_refuses_an_unreachable_database_without_a_traceback() -> None:
    result = run_hub_cli(
        "postgresql://nobody:hunter2@127.0.0.1:1/none", "serve", "--port", "9", subprocess_=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot open the database")
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_login_throttling_is_shared_by_hub_processes(
    database_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    added = run_hub_cli(
        database_url, "add-user", "dee@example.org", "--name", "Dee", stdin="plum orbit canyon\n"
    )
    assert added.returncode == 0, added.stderr
    env = {"PHONEBANK_HUB_LOGIN_FREE_FAILURES": "2", "PHONEBANK_HUB_LOGIN_WINDOW_SECONDS": "600"}
    first, second = hub_factory(database_url, env=env), hub_factory(database_url, env=env)
    wrong = {"email": "dee@example.org", "password": "nope", "device_name": "t"}
    assert post_json(first.api_url + "/auth/login", wrong)[0] == 401
    assert post_json(second.api_url + "/auth/login", wrong)[0] == 401
    right = {**wrong, "password": "plum orbit canyon"}
    status, body = post_json(first.api_url + "/auth/login", right)
    assert status == 429, body
    assert "wait" in str(body["detail"])


@pytest.mark.postgres
def test_serve_with_two_workers_on_postgresql(
    postgres_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    added = run_hub_cli(
        postgres_url, "add-user", "ed@example.org", "--name", "Ed", stdin="plum orbit canyon\n"
    )
    assert added.returncode == 0, added.stderr
    hub = hub_factory(postgres_url, workers=2)
    body = {"email": "ed@example.org", "password": "plum orbit canyon", "device_name": "t"}
    statuses = {post_json(hub.api_url + "/auth/login", body)[0] for _ in range(4)}
    assert statuses == {200}
    assert "2 workers" in hub.log_text()
    assert hub.stop() is not None and not hub.running


def _add_user_at_a_terminal(database_url: str, email: str, answers: list[bytes]) -> CliResult:
    """Run add-user with a pseudo-terminal as stdin, answering each password prompt."""
    master, slave = pty.openpty()
    args = ["--database-url", database_url, "add-user", email, "--name", "Tess"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.hub", *args],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # no controlling terminal: getpass uses stdin and stderr
        cwd=REPO_ROOT,
    )
    os.close(slave)
    assert process.stderr is not None
    seen = b""
    try:
        for number, answer in enumerate(answers, start=1):
            deadline = time.monotonic() + 30
            # Type only once the prompt is shown: getpass flushes earlier input.
            while seen.count(b"Password") < number:
                assert time.monotonic() < deadline, seen
                ready, _, _ = io_select.select([process.stderr], [], [], 1)
                if ready:
                    seen += os.read(process.stderr.fileno(), 1000)
            os.write(master, answer)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return CliResult(process.returncode, out.decode(), (seen + err).decode())


def test_add_user_at_a_terminal_asks_for_the_password_twice(tmp_path: Path) -> None:
    # Terminal handling does not depend on the database: SQLite only.
    database_url = f"sqlite:///{tmp_path / 'hub.db'}"
    differ = _add_user_at_a_terminal(database_url, "tess@example.org", [b"one\n", b"two\n"])
    assert differ.returncode == 2
    assert "the two passwords differ" in differ.stderr
    done = _add_user_at_a_terminal(
        database_url, "tess@example.org", [b"tty violet anchor\n", b"tty violet anchor\n"]
    )
    assert done.returncode == 0, done.stderr
    assert "Password again:" in done.stderr and "tty violet anchor" not in done.stderr + done.stdout
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert users_crud.authenticate(session, "tess@example.org", "tty violet anchor") is not None
    engine.dispose()


def test_serve_says_when_the_port_is_taken(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_hub_cli(database_url, "serve", "--port", port)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "another hub" in result.stderr
