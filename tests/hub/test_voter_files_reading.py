"""How a voter file is read: encodings, delimiters, mapping, checking, rejects.

Each file is built here from its published layout (column names and order, delimiter,
quoting, encoding) and imported through the real command line, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import CallList, Contact, Household
from tests.support.hub_process import run_hub_cli
from tests.support.voter_files import (
    extra_of,
    imported,
    stored,
    write_rows,
)

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
