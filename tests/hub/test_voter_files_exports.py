"""List exports as received: NGP VAN, Spoke, mailing lists.

Each file is built here from its published layout (column names and order, delimiter,
quoting, encoding) and imported through the real command line, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import Household
from tests.support.hub_process import run_hub_cli
from tests.support.voter_files import (
    extra_of,
    imported,
    stored,
    write_rows,
)

# ---------------------------------------------------------------- NGP VAN

VAN_COLUMNS = [
    "VanID", "LastName", "FirstName", "MiddleName", "Suffix", "Address", "City", "State",
    "Zip5", "Zip4", "HomePhone", "IsHomePhoneACellExchange", "CellPhone", "WorkPhone",
    "WorkPhoneExt", "Phone", "Email", "PrecinctName",
]  # fmt: skip


def van_row(van_id: str, first: str, last: str, **phones: str) -> dict[str, str]:
    return {"VanID": van_id, "FirstName": first, "LastName": last, "City": "Toledo",
            "State": "OH", "PrecinctName": "Toledo 4-B", **phones}  # fmt: skip


def test_ngp_van_export_keeps_every_phone_in_order_with_extensions(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "MyVoters-Export-2026.csv",
        VAN_COLUMNS,
        [
            van_row("101234567", "Dana", "Ruiz", HomePhone="419-555-0120",
                    IsHomePhoneACellExchange="0", CellPhone="419-555-0121",
                    WorkPhone="419-555-0122", WorkPhoneExt="45", Phone="419-555-0121"),
            van_row("101234568", "Eli", "Ford", CellPhone="(419) 555-0130"),
            van_row("101234569", "Fay", "Moss", HomePhone="419-555-01", CellPhone="4195550140"),
        ],
    )  # fmt: skip

    out = imported(database_url, campaign_id, path, "--list", "Lucas")

    assert out.splitlines() == [
        "imported 3 contacts in 3 households (3 new) into 1 list: Lucas (3); rejected 0 rows",
        "phones from HomePhone, CellPhone, WorkPhone, Phone (dialed in that order); ids from VanID",
        "1 row had a phone that is not a valid number beside a valid one: the valid ones were kept",
    ]
    assert stored(engine) == [
        ("Dana", "Ruiz", "+14195550120", "419-555-0120", "101234567", [
            ("+14195550120", "", "home"), ("+14195550121", "", "cell"),
            ("+14195550122", "45", "work"),  # Phone repeats CellPhone: dialed once
        ]),
        ("Eli", "Ford", "+14195550130", "(419) 555-0130", "101234568",
         [("+14195550130", "", "cell")]),
        ("Fay", "Moss", "+14195550140", "4195550140", "101234569",
         [("+14195550140", "", "cell")]),
    ]  # fmt: skip


def test_reimporting_a_van_export_updates_people_by_their_id(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    first = [van_row("201", "Gil", "Hart", CellPhone="419-555-0150"),
             van_row("202", "Ida", "Wu", CellPhone="419-555-0151"),
             van_row("204", "Kim", "Ash", CellPhone="419-555-0153")]  # fmt: skip
    imported(database_url, campaign_id, write_rows(tmp_path / "v1.csv", VAN_COLUMNS, first),
             "--list", "Lucas")  # fmt: skip
    second = [
        van_row("201", "Gilbert", "Hart", CellPhone="419-555-0150"),  # name corrected
        van_row("202", "Ida", "Wu", CellPhone="419-555-0151"),  # unchanged
        van_row("203", "Joe", "Park", CellPhone="419-555-0152"),  # new
        van_row("204", "Kim", "Ash", CellPhone="419-555-0159"),  # a new number
    ]

    out = imported(database_url, campaign_id, write_rows(tmp_path / "v2.csv", VAN_COLUMNS, second),
                   "--list", "Lucas")  # fmt: skip

    assert out.splitlines()[:2] == [
        # households: Joe's, and the one for Kim's new number
        "imported 1 contact in 2 households (2 new) into 1 list: Lucas (1); rejected 0 rows",
        "updated 2 people already in the list; 1 unchanged",
    ]
    assert [(s[0], s[2], s[4]) for s in stored(engine)] == [
        ("Gilbert", "+14195550150", "201"),
        ("Ida", "+14195550151", "202"),
        ("Kim", "+14195550159", "204"),
        ("Joe", "+14195550152", "203"),
    ]
    with Session(engine) as session:  # Kim moved to a household of her new number
        households = session.exec(select(Household.phone, Household.state)).all()
        assert sorted(households) == [
            ("+14195550150", "open"), ("+14195550151", "open"), ("+14195550152", "open"),
            ("+14195550153", "done"),  # nobody left to call there: never handed out
            ("+14195550159", "open"),
        ]  # fmt: skip


# ---------------------------------------------------------------- list tools and mailing lists


def test_spoke_upload_format(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "spoke.csv",
        ["firstName", "lastName", "cell", "zip", "external_id", "event"],
        [
            {"firstName": "Kai", "lastName": "Olsen", "cell": "+15125550160", "zip": "78701",
             "external_id": "S-1", "event": "rally"},
            {"firstName": "Lia", "lastName": "Ortiz", "cell": "5125550161", "zip": "78702"},
        ],
    )  # fmt: skip

    out = imported(database_url, campaign_id, path, "--list", "Austin", "--id-column",
                   "external_id")  # fmt: skip

    assert out.splitlines()[0].startswith("imported 2 contacts in 2 households")
    assert stored(engine) == [
        ("Kai", "Olsen", "+15125550160", "+15125550160", "S-1", [("+15125550160", "", "cell")]),
        ("Lia", "Ortiz", "+15125550161", "5125550161", None, [("+15125550161", "", "cell")]),
    ]
    assert extra_of(engine, "Kai") == {"zip": "78701", "event": "rally"}


US500_COLUMNS = ["first_name", "last_name", "company_name", "address", "city", "county",
                 "state", "zip", "phone1", "phone2", "email", "web"]  # fmt: skip


def test_us_500_mailing_list_with_two_phones_and_spreadsheet_damage(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    def person(first: str, last: str, phone1: str, phone2: str) -> dict[str, str]:
        return {"first_name": first, "last_name": last, "company_name": "Benton, John B Jr",
                "address": "6649 N Blue Gum St", "city": "New Orleans", "county": "Orleans",
                "state": "LA", "zip": "70116", "phone1": phone1, "phone2": phone2,
                "email": f"{first.lower()}@example.com", "web": "http://example.com"}  # fmt: skip

    path = write_rows(
        tmp_path / "us-500.csv",
        US500_COLUMNS,
        [
            person("James", "Butt", "504-621-8927", "504-845-1427"),
            person("Josephine", "Darakjy", "5046218927.0", ""),  # a spreadsheet's decimal
            person("Art", "Venere", "5.04621E+09", ""),  # rounded: digits lost
        ],
    )

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("imported 2 contacts in 1 household (1 new) into 1 list: us-500")
    assert (
        "1 phone written as a decimal by a spreadsheet (e.g. 5046218927.0) was read" in done.stdout
    )
    assert done.stderr.splitlines()[1] == (
        "  line 4: bad phone '5.04621E+09' in phone1: a spreadsheet turned the number into a "
        "rounded one and"
    )  # wrapped at 100 columns
    assert "its last digits are lost; format the column as Text" in done.stderr
    assert stored(engine) == [
        ("James", "Butt", "+15046218927", "504-621-8927", None,
         [("+15046218927", "", ""), ("+15048451427", "", "")]),
        ("Josephine", "Darakjy", "+15046218927", "5046218927.0", None,
         [("+15046218927", "", "")]),
    ]  # fmt: skip
