"""Hub-side set-up for the benchmarks: a generated contact CSV and a campaign made through
the real `phonebank-hub` commands.

The CSV is deterministic (no randomness) and quick to write: 1,000,000 rows in about two
seconds. Numbers are valid North American numbers spread over ten area codes in four time
zones; every fifth row shares the previous row's number (a household); one row in 2,000
has an unusable number, as real lists do.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.hub_process import run_hub_cli

# Area codes in four US zones (New York, Chicago, Denver, Los Angeles).
AREA_CODES = ("614", "216", "513", "312", "773", "303", "720", "213", "415", "206")
STATES = ("Ohio", "Ohio", "Ohio", "Illinois", "Illinois", "Colorado", "Colorado",
          "California", "California", "Washington")  # fmt: skip
VOLUNTEER_PASSWORD = "bench volunteer passphrase"


def phone(n: int) -> str:
    """A distinct, valid NANP number for each n < 8,000,000 per area code."""
    area = AREA_CODES[n % len(AREA_CODES)]
    rest = n // len(AREA_CODES)
    exchange = 200 + rest // 10_000  # 2xx-9xx: valid exchanges
    return f"({area}) {exchange:03d}-{rest % 10_000:04d}"


def write_contacts_csv(
    path: Path, rows: int, *, state_column: bool = True, voter_file: bool = False
) -> Path:
    """`rows` contacts (plus a header); returns `path`. `voter_file`: as a voter file comes,
    a `VOTER_ID` first and two phone columns (`CellPhone`, then `HomePhone`, which two rows in
    three have: another valid number of the household)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        head = "VOTER_ID,FirstName,LastName,CellPhone,HomePhone" if voter_file else (
            "first_name,last_name,phone"
        )  # fmt: skip
        out.write(head + ",city,age" + (",state\n" if state_column else "\n"))
        household = -1
        lines = []
        for i in range(rows):
            if i % 5 != 4:
                household += 1
            number = phone(household) if i % 2000 != 1999 else "555-01"
            person = f"First{i},Family{household},{number}"
            if voter_file:
                home = phone(household + 40_000_000) if i % 3 else ""
                person = f"{600_000_000 + i},{person},{home}"
            state = STATES[household % len(STATES)]
            lines.append(
                f"{person},Town{household % 97},{18 + i % 80}"
                + (f",{state}\n" if state_column else "\n")
            )
            if len(lines) == 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return path


def cli(database_url: str, *args: str, stdin: str | None = None) -> str:
    """Run a `phonebank-hub` command in this process; its stdout, or RuntimeError."""
    done = run_hub_cli(database_url, *args, stdin=stdin)
    if done.returncode != 0:
        raise RuntimeError(f"phonebank-hub {args[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def create_campaign(database_url: str, *, list_size: int = 20, goal: int = 1_000_000) -> int:
    """An all-day campaign with the GOTV script, no cool-down; its id."""
    from bench.common import REPO_ROOT

    campaign_id = int(
        cli(
            database_url, "create-campaign", "Bench campaign", "--goal", str(goal),
            "--list-size", str(list_size), "--calling-hours", "00:00-23:59",
            "--cooldown", "0", "--hold", str(4 * 3600),
        ).strip()
    )  # fmt: skip
    cli(database_url, "load-script", str(campaign_id),
        str(REPO_ROOT / "resources" / "scripts" / "gotv.yaml"))  # fmt: skip
    return campaign_id


def add_volunteers(database_url: str, count: int, prefix: str = "volunteer") -> list[str]:
    """`count` volunteer accounts (one password for all); their emails."""
    emails = [f"{prefix}{n}@example.org" for n in range(count)]
    for email in emails:
        cli(database_url, "add-user", email, "--name", email.split("@")[0],
            stdin=VOLUNTEER_PASSWORD + "\n")  # fmt: skip
    return emails
