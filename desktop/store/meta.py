"""Key/value facts about this laptop's account and sync state (the `meta` table)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from desktop.store.sql import Connection

HUB_URL = "hub_url"
EMAIL = "email"
VOLUNTEER_ID = "volunteer_id"
VOLUNTEER_NAME = "volunteer_name"
ROLE = "role"
EPOCH = "epoch"
CURSOR = "cursor"
LAST_SYNC_AT = "last_sync_at"
LAST_ERROR = "last_error"
PENDING_GET_NAMES = "pending_get_names"  # a call list id: "Get names" pressed offline
NEEDS_SIGN_IN = "needs_sign_in"
NEEDS_UPGRADE = "needs_upgrade"
MY_LANGUAGES = "my_languages"  # JSON list of the codes the volunteer speaks
MY_LANGUAGES_UNSENT = "my_languages_unsent"  # set in the app, the hub not told yet
TOKEN_RENEW_AFTER = "token_renew_after"  # the hub's time from which the token is renewed

ACCOUNT_KEYS = (HUB_URL, EMAIL, VOLUNTEER_ID, VOLUNTEER_NAME, ROLE)
SCHEMA_VERSION = "schema_version"


def get(conn: Connection, key: str) -> str | None:
    return conn.execute("SELECT value FROM meta WHERE key = :k", {"k": key}).scalar()


def get_many(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    wanted = list(keys)
    rows = conn.execute("SELECT key, value FROM meta").all()
    return {k: v for k, v in rows if k in wanted}


def put(conn: Connection, key: str, value: str | int | None) -> None:
    """Set `key`; None removes it."""
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = :k", {"k": key})
        return
    conn.execute(
        (
            "INSERT INTO meta (key, value) VALUES (:k, :v) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": str(value)},
    )


def languages(conn: Connection) -> list[str]:
    """The volunteer's languages as last set here or told by the hub ([] when unknown)."""
    try:
        value = json.loads(get(conn, MY_LANGUAGES) or "[]")
    except ValueError:
        return []
    return [str(code) for code in value] if isinstance(value, list) else []


def clear_all_but_schema(conn: Connection) -> None:
    conn.execute("DELETE FROM meta WHERE key != :k", {"k": SCHEMA_VERSION})
