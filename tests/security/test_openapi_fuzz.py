"""schemathesis against the hub's own /openapi.json: no input makes the hub answer 5xx, and
every answer matches what the description promises.

Every operation the app describes is fuzzed with valid (positive) and invalid (negative)
inputs, signed in as a volunteer and as an organizer, against a hub holding a campaign, a
call list and a script (so small ids hit real rows). `make test` runs a short, repeatable
(derandomized) pass; `make soak` (-m slow) a long random one. Inputs that once broke the hub
are kept in test_fuzz_findings.py.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy.engine import Engine

from tests.hub.conftest import Account
from tests.security.routes import fresh_headers
from tests.support.hub_seed import add_script, seed_list

SHORT_EXAMPLES = 5  # per operation, role and mode: 240 requests per database
LONG_EXAMPLES = 150
CHECKS = [response_schema_conformance, content_type_conformance]


@pytest.fixture
def quiet_hub_log() -> Iterator[None]:
    """The hub logs every 500 with its traceback; the test reports them itself."""
    logger = logging.getLogger("phonebank.hub")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


class Fuzzer:
    """schemathesis on every operation of the app; counts cases and keeps the first problem
    of each kind (5xx, or an answer that breaks the description) with how to reproduce it."""

    def __init__(self, app: FastAPI, engine: Engine, examples: int, derandomize: bool) -> None:
        self.schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        self.engine = engine
        self.settings = settings(
            max_examples=examples,
            derandomize=derandomize,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        self.cases: Counter[str] = Counter()
        self.problems: dict[str, str] = {}

    def run(self, accounts: list[Account]) -> None:
        operations = [result.ok() for result in self.schema.get_all_operations()]
        assert len(operations) >= 10, [op.label for op in operations]
        for account in accounts:
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    self.run_one(account, operation, mode)

    def run_one(
        self, account: Account, operation: schemathesis.APIOperation, mode: GenerationMode
    ) -> None:
        key = f"{account.user.role} {operation.label} {mode.value}"
        headers = fresh_headers(self.engine, account)

        @self.settings
        @given(case=operation.as_strategy(generation_mode=mode))
        def one(case: schemathesis.Case) -> None:
            nonlocal headers
            response = case.call(headers=headers)
            self.cases[key] += 1
            if operation.path.endswith("/auth/logout"):
                headers = fresh_headers(self.engine, account)  # that token is gone now
            if response.status_code >= 500:
                curl = case.as_curl_command(headers={})
                self.problems.setdefault(f"{key}: {response.status_code}", curl)
                return
            try:
                case.validate_response(response, checks=CHECKS)
            except BaseException as exc:  # schemathesis raises an exception group
                self.problems.setdefault(f"{key}: schema", str(exc)[:2000])

        one()


@pytest.fixture
def fuzz_hub(
    engine: Engine, make_user: Callable[..., Account], quiet_hub_log: None
) -> list[Account]:
    """A campaign with a call list and a script, and one volunteer and one organizer."""
    seeded = seed_list(engine, households=40, list_size=5)
    add_script(engine, seeded.campaign_id)
    return [make_user("volunteer"), make_user("organizer")]


def test_schemathesis_finds_no_5xx_and_no_schema_violation(
    hub_app: FastAPI, engine: Engine, fuzz_hub: list[Account]
) -> None:
    fuzzer = Fuzzer(hub_app, engine, SHORT_EXAMPLES, derandomize=True)
    fuzzer.run(fuzz_hub)
    print(f"schemathesis short: {fuzzer.cases.total()} cases, {len(fuzzer.problems)} problems")
    assert fuzzer.problems == {}
    # Every operation was really exercised, as both roles, with valid and invalid input.
    assert len(fuzzer.cases) >= 40


@pytest.mark.slow
def test_schemathesis_long_random_run(
    hub_app: FastAPI, engine: Engine, fuzz_hub: list[Account]
) -> None:
    fuzzer = Fuzzer(hub_app, engine, LONG_EXAMPLES, derandomize=False)
    fuzzer.run(fuzz_hub)
    print(f"schemathesis long: {fuzzer.cases.total()} cases, {len(fuzzer.problems)} problems")
    assert fuzzer.problems == {}
