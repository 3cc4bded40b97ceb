"""Voter files and list exports as campaigns receive them, imported as received.

Each file is built here from its published layout (column names and order, delimiter,
quoting, encoding) and imported through the real command line, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from sync.hub.models import CallList, Contact, Household
from tests.support.hub_process import run_hub_cli

Stored = tuple[str, str, str, str, str | None, list[tuple[str, str, str]]]


@pytest.fixture
def campaign_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Voter files", 1000)
        assert campaign.id is not None
        return campaign.id


def stored(engine: Engine, list_name: str | None = None) -> list[Stored]:
    """(first, last, phone, phone as imported, source id, [(e164, extension, kind)...])."""
    with Session(engine) as session:
        query = select(Contact).join(CallList, col(CallList.id) == Contact.call_list_id)
        if list_name is not None:
            query = query.where(CallList.name == list_name)
        return [
            (
                c.first_name,
                c.last_name,
                c.phone,
                c.phone_as_imported,
                c.source_id,
                [(p["e164"], p["extension"], p["kind"]) for p in c.phones],
            )
            for c in session.exec(query.order_by(col(Contact.id)))
        ]


def extra_of(engine: Engine, first_name: str) -> dict[str, str]:
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.first_name == first_name)).one()
        return dict(contact.extra)


def write_rows(
    path: Path,
    header: list[str] | None,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    encoding: str = "utf-8",
    columns: list[str] | None = None,
) -> Path:
    """A file laid out as `header` (or, headerless, as `columns`), each row's missing fields
    empty, written the way the tool that makes it writes it."""
    names = header or columns or []
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    for row in rows:
        assert set(row) <= set(names), set(row) - set(names)
        writer.writerow([row.get(name, "") for name in names])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def imported(database_url: str, campaign_id: int, path: Path, *options: str) -> str:
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path), *options)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


# ---------------------------------------------------------------- North Carolina SBOE

# The statewide/county voter extract (ncvoter_Statewide.txt, layout_ncvoter.txt): tab
# separated, every field in double quotes.
NC_COLUMNS = [
    "county_id",
    "county_desc",
    "voter_reg_num",
    "ncid",
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix_lbl",
    "status_cd",
    "voter_status_desc",
    "reason_cd",
    "voter_status_reason_desc",
    "res_street_address",
    "res_city_desc",
    "state_cd",
    "zip_code",
    "mail_addr1",
    "mail_addr2",
    "mail_addr3",
    "mail_addr4",
    "mail_city",
    "mail_state",
    "mail_zipcode",
    "full_phone_number",
    "confidential_ind",
    "registr_dt",
    "race_code",
    "ethnic_code",
    "party_cd",
    "gender_code",
    "birth_year",
    "age_at_year_end",
    "birth_state",
    "drivers_lic",
    "precinct_abbrv",
    "precinct_desc",
    "municipality_abbrv",
    "municipality_desc",
    "ward_abbrv",
    "ward_desc",
    "cong_dist_abbrv",
    "super_court_abbrv",
    "judic_dist_abbrv",
    "nc_senate_abbrv",
    "nc_house_abbrv",
    "county_commiss_abbrv",
    "county_commiss_desc",
    "township_abbrv",
    "township_desc",
    "school_dist_abbrv",
    "school_dist_desc",
    "fire_dist_abbrv",
    "fire_dist_desc",
    "water_dist_abbrv",
    "water_dist_desc",
    "sewer_dist_abbrv",
    "sewer_dist_desc",
    "sanit_dist_abbrv",
    "sanit_dist_desc",
    "rescue_dist_abbrv",
    "rescue_dist_desc",
    "munic_dist_abbrv",
    "munic_dist_desc",
    "dist_1_abbrv",
    "dist_1_desc",
    "vtd_abbrv",
    "vtd_desc",
]


def test_north_carolina_sboe_extract(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    def voter(reg: str, ncid: str, last: str, first: str, phone: str) -> dict[str, str]:
        return {"county_id": "92", "county_desc": "WAKE", "voter_reg_num": reg, "ncid": ncid,
                "last_name": last, "first_name": first, "status_cd": "A",
                "voter_status_desc": "ACTIVE", "res_city_desc": "RALEIGH", "state_cd": "NC",
                "zip_code": "27601", "full_phone_number": phone, "party_cd": "UNA",
                "birth_year": "1980", "precinct_abbrv": "01-07"}  # fmt: skip

    path = write_rows(
        tmp_path / "ncvoter92.txt",
        NC_COLUMNS,
        [
            voter("000012345678", "BN12345", "SMITH", "MARY", "9195550142"),
            voter("000012345679", "BN12346", "SMITH", "JOHN", "9195550142"),  # household
            voter("000012345680", "BN12347", "O'NEAL", "DEVON", ""),  # NC often has none
            voter("000012345681", "BN12348", "GARCÍA", "LUZ", "(919) 555-0177"),
        ],
        delimiter="\t",
        quoting=csv.QUOTE_ALL,
    )

    out = imported(database_url, campaign_id, path, "--list", "Wake County")

    assert out.splitlines() == [
        "imported 3 contacts in 2 households (2 new) into 1 list: Wake County (3); rejected 1 row",
        "phones from full_phone_number (dialed in that order); ids from ncid",
    ]
    assert stored(engine) == [
        ("MARY", "SMITH", "+19195550142", "9195550142", "BN12345",
         [("+19195550142", "", "")]),
        ("JOHN", "SMITH", "+19195550142", "9195550142", "BN12346",
         [("+19195550142", "", "")]),
        ("LUZ", "GARCÍA", "+19195550177", "(919) 555-0177", "BN12348",
         [("+19195550177", "", "")]),
    ]  # fmt: skip
    extra = extra_of(engine, "MARY")
    assert extra["voter_reg_num"] == "000012345678"  # the county's number stays a field
    assert extra["precinct_abbrv"] == "01-07" and "ncid" not in extra


# ---------------------------------------------------------------- Colorado

# The Colorado Secretary of State's voter list (CE-VR011B), comma separated.
CO_COLUMNS = [
    "VOTER_ID",
    "COUNTY_CODE",
    "COUNTY",
    "LAST_NAME",
    "FIRST_NAME",
    "MIDDLE_NAME",
    "NAME_SUFFIX",
    "VOTER_NAME",
    "STATUS_CODE",
    "PRECINCT_NAME",
    "ADDRESS_LIBRARY_ID",
    "HOUSE_NUM",
    "HOUSE_SUFFIX",
    "PRE_DIR",
    "STREET_NAME",
    "STREET_TYPE",
    "POST_DIR",
    "UNIT_TYPE",
    "UNIT_NUM",
    "ADDRESS_NON_STD",
    "RESIDENTIAL_ADDRESS",
    "RESIDENTIAL_CITY",
    "RESIDENTIAL_STATE",
    "RESIDENTIAL_ZIP_CODE",
    "RESIDENTIAL_ZIP_PLUS",
    "EFFECTIVE_DATE",
    "REGISTRATION_DATE",
    "STATUS",
    "STATUS_REASON",
    "BIRTH_YEAR",
    "GENDER",
    "PRECINCT",
    "SPLIT",
    "VOTER_STATUS_ID",
    "PARTY",
    "PARTY_AFFILIATION_DATE",
    "PHONE_NUM",
    "MAIL_ADDR1",
    "MAIL_ADDR2",
    "MAIL_ADDR3",
    "MAILING_CITY",
    "MAILING_STATE",
    "MAILING_ZIP_CODE",
    "MAILING_ZIP_PLUS",
    "MAILING_COUNTRY",
    "SPL_ID",
    "PERMANENT_MAIL_IN_VOTER",
    "CONGRESSIONAL",
    "STATE_SENATE",
    "STATE_HOUSE",
    "ID_REQUIRED",
]


def test_colorado_voter_file(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    def voter(vid: str, last: str, first: str, phone: str) -> dict[str, str]:
        return {"VOTER_ID": vid, "COUNTY_CODE": "16", "COUNTY": "Denver", "LAST_NAME": last,
                "FIRST_NAME": first, "VOTER_NAME": f"{first} {last}", "STATUS_CODE": "A",
                "RESIDENTIAL_CITY": "DENVER", "RESIDENTIAL_STATE": "CO", "PHONE_NUM": phone,
                "PARTY": "DEM", "BIRTH_YEAR": "1975"}  # fmt: skip

    path = write_rows(
        tmp_path / "Registered_Voters_List_Part1.txt",
        CO_COLUMNS,
        [
            voter("600123456", "NGUYEN", "THAO", "303-555-0110"),
            voter("600123457", "BAKER", "SAM", "3035550111 x204"),  # an office, extension
            voter("600123458", "LEE", "KIM", "303555"),
        ],
    )

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path),
                       "--list", "Denver")  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "imported 2 contacts in 2 households (2 new) into 1 list: Denver (2); rejected 1 row"
    )
    assert done.stderr.splitlines()[:2] == [
        "rejected 1 row: 1 bad phone",
        "  line 4: bad phone '303555'",
    ]
    assert stored(engine) == [
        ("THAO", "NGUYEN", "+13035550110", "303-555-0110", "600123456",
         [("+13035550110", "", "")]),
        ("SAM", "BAKER", "+13035550111", "3035550111 x204", "600123457",
         [("+13035550111", "204", "")]),
    ]  # fmt: skip


# ---------------------------------------------------------------- Florida

# The Florida Division of Elections' Voter Extract: no header row, tab separated, the phone
# in three columns (area code, number, extension). Field order of its layout:
FL_COLUMNS = (
    "county_code,voter_id,last_name,name_suffix,first_name,middle_name,"
    "public_records_exemption,residence_address_1,residence_address_2,residence_city,"
    "residence_state,residence_zipcode,mailing_address_1,mailing_address_2,"
    "mailing_address_3,mailing_city,mailing_state,mailing_zipcode,mailing_country,gender,"
    "race,birth_date,registration_date,party_affiliation,precinct,precinct_group,"
    "precinct_split,precinct_suffix,voter_status,congressional_district,house_district,"
    "senate_district,county_commission_district,school_board_district,daytime_area_code,"
    "daytime_phone_number,daytime_phone_extension,email_address"
)
FL_PHONE = "phone=daytime_area_code+daytime_phone_number+daytime_phone_extension"


def test_florida_voter_extract_headerless_with_the_phone_in_three_columns(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    columns = FL_COLUMNS.split(",")

    def voter(vid: str, last: str, first: str, area: str, number: str, ext: str = "") -> dict:
        return {"county_code": "LEO", "voter_id": vid, "last_name": last, "first_name": first,
                "public_records_exemption": "N", "residence_city": "Tallahassee",
                "residence_state": "FL", "gender": "F", "party_affiliation": "REP",
                "voter_status": "ACT", "daytime_area_code": area, "daytime_phone_number": number,
                "daytime_phone_extension": ext}  # fmt: skip

    path = write_rows(
        tmp_path / "LEO_20260301.txt",
        None,
        [
            voter("123456789", "Alvarez", "Rosa", "850", "5550123"),
            voter("123456790", "Brown", "Tia", "850", "5550124", "12"),
            voter("123456791", "Cruz", "Ben", "", ""),
        ],
        delimiter="\t",
        columns=columns,
    )

    out = imported(database_url, campaign_id, path, "--no-header", "--columns", FL_COLUMNS,
                   "--map", FL_PHONE, "--list", "Leon")  # fmt: skip

    assert out.splitlines()[0] == (
        "imported 2 contacts in 2 households (2 new) into 1 list: Leon (2); rejected 1 row"
    )
    assert stored(engine) == [
        ("Rosa", "Alvarez", "+18505550123", "850 5550123", "123456789",
         [("+18505550123", "", "")]),
        ("Tia", "Brown", "+18505550124", "850 5550124 x12", "123456790",
         [("+18505550124", "12", "")]),
    ]  # fmt: skip
    assert "daytime_area_code" not in extra_of(engine, "Rosa")


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


# ---------------------------------------------------------------- encodings and delimiters


def test_excel_plain_csv_in_windows_1252_imports_with_a_warning(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "volunteers list.csv",
        ["First Name", "Last Name", "Phone Number", "Notes"],
        [
            {"First Name": "Ann", "Last Name": "Lee", "Phone Number": "(614) 555-0170"},
            {"First Name": "José", "Last Name": "Muñoz", "Phone Number": "(614) 555-0171",
             "Notes": "prefers Spanish – evenings"},  # é, ñ and an en dash: cp1252 bytes
        ],
        encoding="cp1252",
    )  # fmt: skip

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))

    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(
        "warning: line 3 is not UTF-8 (byte 0xe9 at position 4): read as Windows-1252"
    )
    assert [s[:3] for s in stored(engine)] == [
        ("Ann", "Lee", "+16145550170"),
        ("José", "Muñoz", "+16145550171"),
    ]
    assert extra_of(engine, "José") == {"Notes": "prefers Spanish – evenings"}


def test_utf16_unicode_text_from_excel(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    # Excel's "Unicode Text": UTF-16 with a BOM, tab separated.
    path = write_rows(
        tmp_path / "export.txt",
        ["FIRST_NAME", "LAST_NAME", "PHONE", "CITY"],
        [{"FIRST_NAME": "Zoë", "LAST_NAME": "Çelik", "PHONE": "216-555-0180", "CITY": "Parma"}],
        delimiter="\t",
        encoding="utf-16",
    )
    assert path.read_bytes()[:2] == b"\xff\xfe"

    out = imported(database_url, campaign_id, path, "--list", "Parma")

    assert out.splitlines()[0].startswith("imported 1 contact in 1 household")
    assert [s[:3] for s in stored(engine)] == [("Zoë", "Çelik", "+12165550180")]


def test_semicolon_separated_file_and_a_forced_delimiter(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    # What Excel writes as "CSV" where the decimal separator is a comma.
    rows = [{"first_name": "Ole", "last_name": "Berg", "phone": "+1 614 555 0190",
             "address": "12, Main St"}]  # fmt: skip
    path = write_rows(tmp_path / "sc.csv", ["first_name", "last_name", "phone", "address"],
                      rows, delimiter=";")  # fmt: skip

    imported(database_url, campaign_id, path, "--list", "A")
    assert extra_of(engine, "Ole") == {"address": "12, Main St"}

    # The sniffer's choice can be overridden: read as commas, the header has no phone column.
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path),
                       "--list", "B", "--delimiter", "comma")  # fmt: skip
    assert done.returncode == 2
    assert "the fields seem to be separated by semicolons: check --delimiter" in done.stderr


# ---------------------------------------------------------------- mapping and checking


def test_map_names_columns_the_aliases_do_not_know(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "club.csv",
        ["Given", "Family", "Tel (day)", "Tel (evening)"],
        [{"Given": "Pia", "Family": "Roy", "Tel (day)": "614-555-0101",
          "Tel (evening)": "614-555-0102"}],
    )  # fmt: skip

    maps = ["first_name=Given", "last_name=family", "phone=Tel (evening)", "phone=Tel (day)"]
    out = imported(database_url, campaign_id, path, *(f"--map={m}" for m in maps))

    assert "phones from Tel (evening), Tel (day)" in out
    assert stored(engine)[0][5] == [("+16145550102", "", ""), ("+16145550101", "", "")]

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path),
                       "--map", "phone=Mobile")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {path}: --map phone=Mobile: there is no column 'Mobile' (found 'Given', "
        "'Family', 'Tel (day)', 'Tel (evening)'); nothing was imported\n"
    )


def test_check_reports_everything_and_stores_nothing(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    rows = [{"first_name": f"P{n}", "last_name": "Q", "phone": f"614-555-{n:04d}"}
            for n in range(100, 106)]  # fmt: skip
    rows += [{"first_name": "Bad", "last_name": "Phone", "phone": "12"},
             {"first_name": "", "last_name": "Nameless", "phone": "614-555-0107"},
             dict(rows[0])]  # fmt: skip
    path = write_rows(tmp_path / "check.csv", ["first_name", "last_name", "phone"], rows)

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path), "--check")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "would import 6 contacts in 6 households (6 new) into 1 list: check (6); rejected 3 rows",
        "checked only: nothing was stored",
    ]
    assert done.stderr.splitlines() == [
        "rejected 3 rows: 1 bad phone, 1 duplicate, 1 missing name",
        "  line 8: bad phone '12'",
        "  line 10: duplicate of line 2",
        "  line 9: missing first name",
        f"all rejected rows (with line and reason) are in {tmp_path / 'check.rejects.csv'}",
    ]
    with Session(engine) as session:
        assert session.exec(select(Contact)).all() == []
        assert session.exec(select(Household)).all() == []
        assert session.exec(select(CallList)).all() == []


def test_many_rejects_are_summarized_not_all_printed(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    rows: list[dict[str, Any]] = [
        {"first_name": f"P{n}", "last_name": "Q", "phone": "555-12", "secret": "SSN 123-45-6789"}
        for n in range(40)
    ]
    rows.append({"first_name": "Ok", "last_name": "Row", "phone": "614-555-0100"})
    path = write_rows(tmp_path / "bad.csv", ["first_name", "last_name", "phone", "secret"], rows)

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))

    assert done.returncode == 0
    assert done.stderr.splitlines()[0] == "rejected 40 rows: 40 bad phone"
    assert done.stderr.splitlines()[4] == "  ... and 37 more bad phone"
    assert len(done.stderr.splitlines()) == 6
    assert "SSN" not in done.stderr + done.stdout  # a row's data never reaches the terminal
    with (tmp_path / "bad.rejects.csv").open(encoding="utf-8", newline="") as f:
        assert len(list(csv.reader(f))) == 41  # but every row is in the rejects file


def test_encoding_and_delimiter_can_be_named(
    engine: Engine, database_url: str, campaign_id: int, tmp_path: Path
) -> None:
    # UTF-16 without its byte-order mark cannot be recognised: refused, saying what to give.
    text = "first_name|last_name|phone\r\nAda|Łukasz|614-555-0111\r\n"
    path = tmp_path / "no-bom.txt"
    path.write_bytes(text.encode("utf-16-le"))
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path))
    assert done.returncode == 2
    assert "line 1 contains a NUL character" in done.stderr
    assert "--encoding utf-16-le" in done.stderr

    out = imported(database_url, campaign_id, path, "--encoding", "utf-16-le", "--list", "P")

    assert out.startswith("imported 1 contact")  # and the pipes were sniffed
    assert [s[:3] for s in stored(engine)] == [("Ada", "Łukasz", "+16145550111")]

    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path),
                       "--encoding", "klingon")  # fmt: skip
    assert (done.returncode, "unknown encoding 'klingon'" in done.stderr) == (2, True)
    done = run_hub_cli(database_url, "import-contacts", str(campaign_id), str(path), "--no-header")
    assert done.returncode == 2
    assert done.stderr == (
        "error: --no-header and --columns go together: name the file's columns\n"
    )
