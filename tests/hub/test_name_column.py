"""Lists with one name column ("Name", "Full Name") instead of first and last name: split on
import, in the forms such lists use ("First Middle Last", "Last, First Middle", titles and
suffixes), through the real command line on SQLite and PostgreSQL (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from tests.support.hub_process import run_hub_cli
from tests.support.voter_files import extra_of, imported, stored, write_rows


@pytest.fixture
def campaign_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Name columns", 1000)
        assert campaign.id is not None
        return campaign.id


def names(engine: Engine) -> list[tuple[str, str]]:
    return [(first, last) for first, last, *_ in stored(engine)]


def test_a_sign_up_sheet_with_a_full_name_column(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
) -> None:
    # A Google Forms sign-up sheet as its spreadsheet exports it.
    header = ["Timestamp", "Full Name", "Phone Number", "Email Address"]
    people = [
        ("Mary Ann Smith", "614-555-0101"),
        ("Martin Luther King Jr.", "614-555-0102"),
        ("John Smith III", "614-555-0103"),
        ("Dr. Jane Okafor", "614-555-0104"),
        ("Juan de la Cruz", "614-555-0105"),
        ('Robert "Bob" Lee', "614-555-0106"),
    ]
    rows = [
        {"Timestamp": "11/30/2026 14:02:11", "Full Name": name, "Phone Number": phone,
         "Email Address": f"p{n}@example.com"}
        for n, (name, phone) in enumerate(people)
    ]  # fmt: skip
    path = write_rows(tmp_path / "Sign-ups.csv", header, rows)

    out = imported(database_url, campaign_id, path)

    assert out.splitlines()[0].startswith("imported 6 contacts in 6 households")
    assert "first and last names split from Full Name" in out
    assert names(engine) == [
        ("Mary", "Smith"),
        ("Martin", "King"),
        ("John", "Smith"),
        ("Jane", "Okafor"),
        ("Juan", "de la Cruz"),
        ("Robert", "Lee"),
    ]
    # The name as the list wrote it stays on the contact, suffix and title included.
    assert extra_of(engine, "Martin")["Full Name"] == "Martin Luther King Jr."
    assert extra_of(engine, "Jane")["Email Address"] == "p3@example.com"


US500_ONE_NAME = ["name", "company_name", "address", "city", "county", "state", "zip",
                  "phone1", "phone2", "email", "web"]  # fmt: skip


def test_a_mailing_list_with_last_comma_first_names_and_bad_ones_rejected(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
) -> None:
    def person(name: str, phone1: str, phone2: str = "") -> dict[str, str]:
        return {"name": name, "company_name": "Benton, John B Jr", "address": "6649 N Blue Gum St",
                "city": "New Orleans", "county": "Orleans", "state": "LA", "zip": "70116",
                "phone1": phone1, "phone2": phone2, "email": "x@example.com",
                "web": "http://example.com"}  # fmt: skip

    path = write_rows(
        tmp_path / "us-500.csv",
        US500_ONE_NAME,
        [
            person("Butt, James A. Jr.", "504-621-8927", "504-845-1427"),
            person("DARAKJY, JOSEPHINE", "810-292-9388"),
            person("Venere III, Art", "856-636-8749"),
            person("van der Berg, Anna", "907-385-4412"),
            person("Cher", "513-570-1893"),  # one name: not a first and a last
            person("", "419-503-2484"),
        ],
    )

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("imported 4 contacts in 4 households")
    assert names(engine) == [
        ("James", "Butt"),
        ("JOSEPHINE", "DARAKJY"),
        ("Art", "Venere"),
        ("Anna", "van der Berg"),
    ]
    assert done.stderr.splitlines()[:3] == [
        "rejected 2 rows: 2 missing name",
        "  line 6: name 'Cher' is not a first and a last name",
        "  line 7: missing name (name is empty)",
    ]
    # Both phones of the first row kept, in order, as before.
    assert [p[0] for p in stored(engine)[0][5]] == ["+15046218927", "+15048451427"]


def test_map_name_splits_a_column_the_aliases_do_not_know(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
) -> None:
    path = write_rows(
        tmp_path / "club.csv",
        ["Member", "Mobile"],
        [{"Member": "Okafor, Chidi", "Mobile": "614-555-0101"}],
    )

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))
    assert done.returncode == 2
    assert "has no first_name or last_name column" in done.stderr

    imported(database_url, campaign_id, path, "--map", "name=Member")

    assert names(engine) == [("Chidi", "Okafor")]


def test_first_and_last_name_columns_win_over_a_name_column(
    engine: Engine,
    database_url: str,
    campaign_id: int,
    tmp_path: Path,
) -> None:
    # Spoke's upload format with a display name beside the two names.
    path = write_rows(
        tmp_path / "spoke.csv",
        ["firstName", "lastName", "name", "cell"],
        [{"firstName": "Kai", "lastName": "Olsen", "name": "Kai O.", "cell": "5125550160"}],
    )

    out = imported(database_url, campaign_id, path)

    assert "split from" not in out
    assert names(engine) == [("Kai", "Olsen")]
    assert extra_of(engine, "Kai") == {"name": "Kai O."}
