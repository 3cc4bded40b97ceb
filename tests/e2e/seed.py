"""Seed a hub database for end-to-end tests through the real hub command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.support.hub_process import REPO_ROOT, run_hub_cli

VOLUNTEER_EMAIL = "sam@example.org"
VOLUNTEER_PASSWORD = "correct horse battery staple"
SCRIPT_FILE = REPO_ROOT / "resources" / "scripts" / "gotv.yaml"

# One household (the Lopez pair share a number); everyone else alone. Fictional numbers.
CONTACTS = """first_name,last_name,phone,city,age
Maria,Lopez,+16145550123,Columbus,54
Daniel,Lopez,+16145550123,Columbus,57
Aisha,Rahman,+12165550142,Cleveland,31
Tom,Becker,+15135550107,Cincinnati,68
Grace,O'Neill,+16145550188,Dublin,42
Samuel,Okafor,+12165550171,Lakewood,23
Linh,Nguyen,+15135550133,Norwood,39
Robert,Hughes,+16145550159,Westerville,71
Priya,Shah,+12165550119,Parma,35
José,Ñúñez,+15135550196,Hamilton,46
Ruth,Adler,+16145550177,Bexley,80
Kwame,Mensah,+12165550164,Euclid,29
"""


@dataclass(frozen=True)
class Seeded:
    database_url: str
    campaign_id: int
    list_name: str


def seed_hub(database_url: str, work_dir: Path, contacts: str = CONTACTS) -> Seeded:
    """A volunteer, a campaign open all day with the branching GOTV script, one list
    (`contacts`: the file imported into it, CSV text)."""

    def cli(*args: str, stdin: str | None = None) -> str:
        done = run_hub_cli(database_url, *args, stdin=stdin)
        assert done.returncode == 0, f"phonebank-hub {args[0]} failed: {done.stderr}"
        return done.stdout

    cli("add-user", VOLUNTEER_EMAIL, "--name", "Sam Rivera", stdin=VOLUNTEER_PASSWORD + "\n")
    campaign_id = int(
        cli(
            "create-campaign", "Get out the vote", "--goal", "1000",
            "--calling-hours", "00:00-23:59", "--cooldown", "0",
        ).strip()
    )  # fmt: skip
    cli("load-script", str(campaign_id), str(SCRIPT_FILE))
    csv_path = work_dir / "contacts.csv"
    csv_path.write_text(contacts, encoding="utf-8")
    cli("import-contacts", str(campaign_id), str(csv_path), "--list", "Ohio")
    return Seeded(database_url, campaign_id, "Ohio")


def hub_results(database_url: str) -> list[tuple[str, str, int | None]]:
    """(id, disposition, contact_id) of every result the hub stored."""
    return query(database_url, "SELECT id, disposition, contact_id FROM call_results")


def hub_answers(database_url: str) -> dict[str, object]:
    """Each stored result's answers, by result id."""
    import json

    rows = query(database_url, "SELECT id, answers FROM call_results")
    return {str(i): (json.loads(a) if isinstance(a, str) else a) for i, a in rows}


def hub_dnc(database_url: str) -> set[str]:
    return {row[0] for row in query(database_url, "SELECT phone FROM do_not_call")}


def execute(database_url: str, sql: str) -> None:
    """Change the hub's database behind its back (what an organizer's tool might do)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def query(database_url: str, sql: str) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()
