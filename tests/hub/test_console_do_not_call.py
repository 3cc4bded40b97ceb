"""The console's "Do not call" page, in-process on SQLite and PostgreSQL: the same reader,
report, audit and file as `phonebank-hub dnc import | remove | export`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.console.auth import SESSION_COOKIE, csrf_token_for
from sync.hub.crud import console_sessions, do_not_call_view
from sync.hub.db import session_scope
from sync.hub.models import Contact, DoNotCall, DoNotCallChange, Household, User
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import T0, Clock, result_body, seed_list

PAGE = "/console/do-not-call"
OPT_OUTS = (
    "VanID,FirstName,LastName,CellPhone,HomePhone\n"
    "101,Ana,Ames,(614) 555-0101,614.555.0199\n"  # line 2: both numbers count
    "102,Bo,Bell,,12\n"  # line 3: a bad number
    "103,Cy,Cole,,\n"  # line 4: no number at all
    "\n"
    "104,Di,Dunn,+1 614 555 0102,\n"  # line 6
    "105,Ed,Eng,6145550101,\n"  # line 7: Ana's again
)


class Organizer:
    """A browser signed in to the console as an organizer (cookie and form token)."""

    def __init__(self, client: TestClient, engine: Engine, account: Account) -> None:
        with session_scope(engine) as session:
            user = session.get(User, account.id)
            assert user is not None
            self.token, _ = console_sessions.start_session(session, user)
        self.client, self.email = client, account.email
        self.headers = {"Cookie": f"{SESSION_COOKIE}={self.token}"}

    def get(self, path: str, **params: str) -> Any:
        return self.client.get(path, params=params, headers=self.headers)

    def post(self, path: str, files: dict[str, Any] | None = None, **form: str) -> Any:
        data = {"csrf_token": csrf_token_for(self.token), **form}
        return self.client.post(
            path, data=data, files=files, headers=self.headers, follow_redirects=False
        )

    def upload(self, name: str, content: str | bytes) -> Any:
        raw = content.encode("utf-8") if isinstance(content, str) else content
        return self.post(f"{PAGE}/import", files={"file": (name, raw, "text/csv")})


@pytest.fixture
def organizer(client: TestClient, engine: Engine, make_user: Callable[..., Account]) -> Organizer:
    return Organizer(client, engine, make_user("organizer", email="org@example.org"))


def listed(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(DoNotCall.phone)))


def changes(engine: Engine) -> set[tuple[str, str, str, str]]:
    with Session(engine) as session:
        return {(c.phone, c.action, c.by, c.reason) for c in session.exec(select(DoNotCallChange))}


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id, tags dropped and spaces squeezed."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(section|p|table)>', html, re.S)
    assert match, f"no #{element_id} in the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def row_text(html: str, phone: str) -> str:
    match = re.search(rf'<tr data-phone="{re.escape(phone)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {phone}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_an_upload_adds_every_phone_column_and_reports_as_dnc_import_does(
    engine: Engine, database_url: str, tmp_path: Path, organizer: Organizer
) -> None:
    seed_list(engine, households=3, phones=["+16145550101", "+16145550102", "+16145550103"])

    page = organizer.upload("opt-outs.csv", OPT_OUTS)

    assert page.status_code == 200, page.text
    # The command's own summary line, word for word (tests/hub/test_do_not_call.py).
    assert text_of(page.text, "import-summary") == (
        "Added 3 numbers to the do-not-call list from CellPhone, HomePhone (0 already on it; "
        "5 rows read; not taken: 1 bad phone, 1 no phone)."
    )
    assert text_of(page.text, "not-taken") == (
        "Not taken Rows First lines Bad phone 1 line 3: 12 No phone 1 line 4"
    )
    assert listed(engine) == ["+16145550101", "+16145550102", "+16145550199"]
    assert changes(engine) == {
        (phone, "added", "org@example.org", "import of opt-outs.csv")
        for phone in ("+16145550101", "+16145550102", "+16145550199")
    }
    with Session(engine) as session:
        states = {h.phone: h.state for h in session.exec(select(Household))}
    assert states == {"+16145550101": "dnc", "+16145550102": "dnc", "+16145550103": "open"}

    # The command reading the same file now finds every number already listed.
    file = tmp_path / "opt-outs.csv"
    file.write_text(OPT_OUTS, encoding="utf-8")
    again = run_hub_cli(database_url, "dnc", "import", str(file))
    assert again.returncode == 0, again.stderr
    assert "added 0 numbers" in again.stdout and "3 already on it" in again.stdout


def test_a_report_quotes_the_first_five_lines_of_each_reason_and_counts_the_rest(
    engine: Engine, organizer: Organizer
) -> None:
    bad = "".join(f"Bad {n},{n}\n" for n in range(8))  # lines 2-9
    page = organizer.upload("list.csv", "name,phone\nOk,614-555-0150\n" + bad)

    assert page.status_code == 200
    assert text_of(page.text, "not-taken") == (
        "Not taken Rows First lines Bad phone 8 "
        "line 3: 0 line 4: 1 line 5: 2 line 6: 3 line 7: 4 … and 3 more"
    )
    assert listed(engine) == ["+16145550150"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        (
            "name,city\nAna,Columbus\n",
            "line 1: no phone column (found &#39;name&#39;, &#39;city&#39;)",
        ),
        (b"phone\n\x00\x00\n", "line 2 contains a NUL character"),
    ],
)
def test_an_unusable_file_is_a_clear_message_and_adds_nothing(
    engine: Engine, organizer: Organizer, content: str | bytes, message: str
) -> None:
    page = organizer.upload("bad.csv", content)

    assert page.status_code == 400
    assert "Traceback" not in page.text
    assert message in page.text and "nothing was added" in page.text
    assert listed(engine) == []


def test_a_file_without_one_valid_number_adds_nothing_and_says_so(
    engine: Engine, organizer: Organizer
) -> None:
    page = organizer.upload("typos.csv", "phone\n12\n\n555\n")

    assert page.status_code == 400
    assert text_of(page.text, "import-summary") == "Nothing added: no valid phone number in 2 rows."
    assert "line 2: 12" in text_of(page.text, "not-taken")
    assert listed(engine) == [] and changes(engine) == set()


def test_one_number_is_added_by_hand_with_its_note_and_shown_escaped(
    engine: Engine, organizer: Organizer
) -> None:
    seed_list(engine, households=2, phones=["+16145550101", "+16145550102"])

    page = organizer.post(f"{PAGE}/add", phone="(614) 555-0101", note="<script>x</script> asked")

    assert page.status_code == 200
    assert "+16145550101 is on the do-not-call list now" in page.text
    assert "<script>x</script>" not in page.text
    assert "&lt;script&gt;x&lt;/script&gt; asked" in page.text
    assert changes(engine) == {
        ("+16145550101", "added", "org@example.org", "<script>x</script> asked")
    }
    with Session(engine) as session:
        household = session.exec(
            select(Household).where(col(Household.phone) == "+16145550101")
        ).one()
    assert household.state == "dnc"

    plain = organizer.post(f"{PAGE}/add", phone="+1 614 555 0102")
    assert plain.status_code == 200
    assert ("+16145550102", "added", "org@example.org", "added in the console") in changes(engine)
    # PostgreSQL text cannot hold NUL: a pasted control character is a space.
    organizer.post(f"{PAGE}/add", phone="614-555-0103", note="by\x00letter\n")
    assert ("+16145550103", "added", "org@example.org", "by letter") in changes(engine)
    again = organizer.post(f"{PAGE}/add", phone="614.555.0102")
    assert "+16145550102 was already on the do-not-call list" in again.text

    wrong = organizer.post(f"{PAGE}/add", phone="555-12", note="kept")
    assert wrong.status_code == 400
    assert "&#39;555-12&#39; is not a valid phone number" in wrong.text
    assert 'value="555-12"' in wrong.text and 'value="kept"' in wrong.text  # nothing retyped
    assert listed(engine) == ["+16145550101", "+16145550102", "+16145550103"]


def test_a_removal_needs_a_reason_and_is_audited_as_dnc_remove_by_the_organizer(
    client: TestClient,
    engine: Engine,
    organizer: Organizer,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=2, members=2, list_size=2,
                       phones=["+16145550101", "+16145550102"])  # fmt: skip
    volunteer = make_user()
    reservation = reserve(client, volunteer, seeded.list_id)
    first, second = (c for c in reservation["contacts"] if c["phone"] == "+16145550101")
    body = result_body(first, reservation, disposition="contacted", ended_at=T0)
    posted = client.post("/api/v1/results", json={"results": [body]}, headers=volunteer.headers)
    assert posted.status_code == 201, posted.text
    organizer.upload("dnc.csv", "phone\n+16145550101\n")

    blank = organizer.post(f"{PAGE}/remove", phone="(614) 555-0101", reason="   ")
    assert blank.status_code == 400
    assert "Say why the number may be called again" in blank.text
    assert 'value="(614) 555-0101"' in blank.text
    assert listed(engine) == ["+16145550101"]

    done = organizer.post(f"{PAGE}/remove", phone="(614) 555-0101", reason="typed <in> by mistake")

    assert done.status_code == 200, done.text
    assert "Removed +16145550101 from the do-not-call list; 1 person can be called again." in (
        done.text
    )
    audit = text_of(done.text, "removals")
    assert "+16145550101 org@example.org typed &lt;in&gt; by mistake" in audit
    assert listed(engine) == []
    with Session(engine) as session:
        removal = session.exec(
            select(DoNotCallChange).where(DoNotCallChange.action == "removed")
        ).one()
        people = {c.id: c.state for c in session.exec(select(Contact))}
    assert (removal.phone, removal.by, removal.reason) == (
        "+16145550101",
        "org@example.org",
        "typed <in> by mistake",
    )
    assert removal.listed_since is not None
    assert (people[first["id"]], people[second["id"]]) == ("done", "open")

    gone = organizer.post(f"{PAGE}/remove", phone="+16145550101", reason="again")
    assert gone.status_code == 404
    assert "+16145550101 is not on the do-not-call list." in gone.text


def test_the_list_is_paged_and_searched_by_number_file_and_who_asked(
    client: TestClient,
    engine: Engine,
    organizer: Organizer,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=1, list_size=1, phones=["+16145550100"])
    caller = make_user(email="sam@example.org", name="Sam Rivera")
    reservation = reserve(client, caller, seeded.list_id)
    body = result_body(reservation["contacts"][0], reservation, disposition="do_not_call")
    assert client.post("/api/v1/results", json={"results": [body]},
                       headers=caller.headers).status_code == 201  # fmt: skip
    numbers = "".join(f"614-555-{150 + n:04d}\n" for n in range(60))  # +16145550150 ... 0209
    organizer.upload("registry-extract.csv", "phone\n" + numbers)

    first = organizer.get(PAGE)
    assert "61 numbers on the list." in first.text
    rows = re.findall(r'<tr data-phone="([^"]+)"', first.text)
    assert rows[:2] == ["+16145550100", "+16145550150"] and len(rows) == 50
    assert row_text(first.text, "+16145550100").endswith(
        "Asked on a call Sam Rivera · sam@example.org Remove…"
    )
    assert row_text(first.text, "+16145550150").endswith(
        "Import of registry-extract.csv org@example.org Remove…"
    )
    next_link = re.search(r'<a href="\?([^"]+)">Next', first.text)
    assert next_link
    second = client.get(PAGE + "?" + next_link.group(1).replace("&amp;", "&"),
                        headers=organizer.headers)  # fmt: skip
    more = re.findall(r'<tr data-phone="([^"]+)"', second.text)
    assert more == [f"+1614555{150 + n:04d}" for n in range(49, 60)]
    assert "Next →" not in second.text and "← First" in second.text

    by_digits = organizer.get(PAGE, q="(614) 555-020")
    assert re.findall(r'<tr data-phone="([^"]+)"', by_digits.text) == [
        f"+161455502{n:02d}" for n in range(10)
    ]
    assert "10 of 61 numbers match" in by_digits.text
    by_caller = organizer.get(PAGE, q="rivera")
    assert re.findall(r'<tr data-phone="([^"]+)"', by_caller.text) == ["+16145550100"]
    by_file = organizer.get(PAGE, q="REGISTRY")
    assert len(re.findall(r"<tr data-phone=", by_file.text)) == 50
    assert "60 of 61 numbers match" in by_file.text
    with Session(engine) as session:  # a search matching most of a long list stops counting
        assert do_not_call_view.count(session, "registry", cap=5) == 6
        assert do_not_call_view.count(session, "registry") == 60
    nothing = organizer.get(PAGE, q="<b>%_")
    assert "No number on the list matches “&lt;b&gt;%_”." in nothing.text


def test_the_download_is_the_file_dnc_export_writes(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    organizer: Organizer,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=2, list_size=2)
    caller = make_user(email="vol@example.org")
    reservation = reserve(client, caller, seeded.list_id)
    body = result_body(reservation["contacts"][0], reservation, disposition="do_not_call")
    assert client.post("/api/v1/results", json={"results": [body]},
                       headers=caller.headers).status_code == 201  # fmt: skip
    organizer.upload("=HYPERLINK(1).csv", "phone\n614-555-0177\n")
    organizer.post(f"{PAGE}/add", phone="614-555-0178", note="@asked by letter")

    download = organizer.get(f"{PAGE}/export.csv")
    target = tmp_path / "dnc.csv"
    exported = run_hub_cli(database_url, "dnc", "export", "-o", str(target))

    assert download.status_code == 200 and exported.returncode == 0, exported.stderr
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "do-not-call.csv" in download.headers["content-disposition"]
    assert download.content == target.read_bytes()
    assert b"'@asked by letter" in download.content
    assert download.content.count(b"\r\n") == 4  # the header and three numbers
