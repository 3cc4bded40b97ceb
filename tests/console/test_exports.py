"""The Exports page hands out the same file as `phonebank-hub export-results`."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.console.inprocess import Console
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import add_script, result_body, seed_list


def test_the_download_is_byte_for_byte_the_command_lines_export(
    engine: Engine,
    database_url: str,
    client: TestClient,
    organizer: Account,
    make_user: Callable[..., Account],
) -> None:
    seeded = seed_list(engine, households=3, list_size=3)
    add_script(engine, seeded.campaign_id, questions=("issue",))
    caller = make_user(name="Val Caller")
    held = reserve(client, caller, seeded.list_id)
    results = [
        result_body(held["contacts"][0], held, answers={"issue": "schools"}, notes="=SUM(1)"),
        result_body(held["contacts"][1], held, disposition="no_answer"),
    ]
    assert client.post("/api/v1/results", json={"results": results}, headers=caller.headers)
    console = Console(client, organizer.email, organizer.password)
    page = console.get("/console/exports")
    assert page.status_code == 200
    link = f"/console/exports/{seeded.campaign_id}/results.csv?format=standard"
    assert f'href="{link}"' in page.text
    download = console.get(link)
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        download.headers["content-disposition"]
        == f'attachment; filename="campaign-{seeded.campaign_id}-results.csv"'
    )
    cli = run_hub_cli(database_url, "export-results", str(seeded.campaign_id))
    assert cli.returncode == 0, cli.stderr
    assert download.text == cli.stdout
    assert download.text.count("\r\n") == 3  # the header and two results


def test_an_unknown_campaign_or_format_is_a_404_page(
    engine: Engine, client: TestClient, organizer: Account
) -> None:
    seeded = seed_list(engine, households=1)
    console = Console(client, organizer.email, organizer.password)
    missing = console.get(f"/console/exports/{seeded.campaign_id + 1}/results.csv")
    assert missing.status_code == 404 and "There is no campaign" in missing.text
    unknown = console.get(f"/console/exports/{seeded.campaign_id}/results.csv?format=xlsx")
    assert unknown.status_code == 404 and "There is no export format" in unknown.text
