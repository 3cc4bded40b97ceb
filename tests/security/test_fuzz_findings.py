"""Inputs the fuzzers (schemathesis, Hypothesis) found that once broke the hub, kept as
plain regression tests so they are checked on every run, not only when a fuzzer finds them
again."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.hub.conftest import Account
from tests.support.hub_process import run_hub_cli

FEEDBACK = "/api/v1/feedback"


def test_feedback_with_a_nul_character_is_kept_not_a_500(
    client: TestClient, volunteer: Account, organizer: Account
) -> None:
    # PostgreSQL text cannot hold NUL; the message must still reach the organizers.
    sent = client.post(FEEDBACK, json={"text": "line\x00two"}, headers=volunteer.headers)
    assert sent.status_code == 201, sent.text
    read = client.get(FEEDBACK, headers=organizer.headers).json()
    assert [f["text"] for f in read] == ["line\ufffdtwo"]


def test_a_blank_feedback_message_gets_the_documented_422_body(
    client: TestClient, volunteer: Account
) -> None:
    # "\x0b" is whitespace: the message is empty, and the answer must be the validation
    # error body the OpenAPI description promises for 422 (a list), like every other 422.
    for blank in ["   ", "\x0b", "\u2003\n"]:
        answer = client.post(FEEDBACK, json={"text": blank}, headers=volunteer.headers)
        assert answer.status_code == 422
        [problem] = answer.json()["detail"]
        assert problem["loc"] == ["body", "text"]
        assert "the message is empty" in problem["msg"]


def test_a_script_with_a_nul_escape_is_refused_naming_the_line(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    # YAML's "\0" escape makes a NUL character: PostgreSQL cannot store it (a traceback
    # once), and no script needs one, so both databases refuse it the same way.
    assert run_hub_cli(database_url, "create-campaign", "C", "--goal", "10").returncode == 0
    script = tmp_path / "nul.yaml"
    script.write_text(
        'title: Calls\nintro: Hi\nquestions:\n  - {id: q, text: "Ready?\\0", kind: text}\n'
    )
    done = run_hub_cli(database_url, "load-script", "1", str(script))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {script}: the text contains a NUL character (\\0) (line 4); nothing was stored\n"
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM script_versions")).scalar() == 0


def test_a_csv_with_a_nul_character_is_refused_whole_naming_the_line(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    # On PostgreSQL the NUL once failed the whole import with a database error; on SQLite it
    # was stored. A NUL means a binary or UTF-16 file: refused on both, nothing stored.
    assert run_hub_cli(database_url, "create-campaign", "C", "--goal", "10").returncode == 0
    good = "first_name,last_name,phone\nAna,Diaz,+16145550123\n"
    files = {
        "nul.csv": (good + "Bo\x00b,Lee,+16145550124\n").encode(),
        "utf16.csv": good.encode("utf-16-le"),
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        done = run_hub_cli(database_url, "import-contacts", "1", str(path))
        assert done.returncode == 2
        line = 3 if name == "nul.csv" else 1
        assert done.stderr.startswith(
            f"error: {path}: line {line} contains a NUL character: this looks like UTF-16"
        ), done.stderr
        assert done.stderr.endswith("; nothing was imported\n")
    with engine.connect() as conn:
        for table in ("contacts", "households", "call_lists"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_a_csv_with_old_mac_line_breaks_gets_a_sentence_not_pythons_words(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    # Found by Hypothesis: a bare CR in an unquoted field (as in Excel's "CSV (Macintosh)")
    # was refused with "new-line character seen in unquoted field - do you need to open the
    # file in universal-newline mode?", which an organizer cannot act on.
    assert run_hub_cli(database_url, "create-campaign", "C", "--goal", "10").returncode == 0
    path = tmp_path / "mac.csv"
    path.write_bytes(b"first_name,last_name,phone\rAna,Diaz,+16145550123\r")
    done = run_hub_cli(database_url, "import-contacts", "1", str(path))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {path}: line 1: not readable as CSV (a line break (CR) inside a field that is "
        "not in quotes; save the file as CSV UTF-8 and try again); nothing was imported\n"
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM contacts")).scalar() == 0


def test_a_script_with_a_control_character_is_refused_naming_the_line(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    # Found by Hypothesis: PyYAML refuses control characters before parsing starts, and
    # that error escaped as a traceback from `load-script`.
    assert run_hub_cli(database_url, "create-campaign", "C", "--goal", "10").returncode == 0
    script = tmp_path / "bell.yaml"
    script.write_text(
        "title: Calls\nintro: Hi\x07\nquestions:\n  - {id: q, text: Ready?, kind: text}\n"
    )
    done = run_hub_cli(database_url, "load-script", "1", str(script))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {script}: the file contains a control character (U+0007), which a script "
        "cannot hold (line 2); nothing was stored\n"
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM script_versions")).scalar() == 0
