"""State voter files as received: North Carolina, Colorado, Florida.

Each file is built here from its published layout (column names and order, delimiter,
quoting, encoding) and imported through the real command line, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.hub_process import run_hub_cli
from tests.support.voter_files import (
    extra_of,
    imported,
    stored,
    write_rows,
)

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
