"""A keyring backend for bench subprocesses: the real keyring API, kept in one JSON file
in the bench's scratch folder ($BENCH_KEYRING_FILE), never the home directory.

The cold-start benchmark starts the app many times "signed in": its token must survive
from one process to the next, which an in-memory backend cannot do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "bench.file_keyring.FileKeyring"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["BENCH_KEYRING_FILE"])

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _write(self, secrets: dict[str, str]) -> None:
        self._path.write_text(json.dumps(secrets), encoding="utf-8")
        self._path.chmod(0o600)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._read()
        secrets[f"{service}\n{username}"] = password
        self._write(secrets)

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._read()
        if secrets.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._write(secrets)
