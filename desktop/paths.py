"""Where the app keeps its files: data, config and logs, each overridable.

Order of precedence for each directory: the `--data-dir` command-line option (a portable
layout: data in DIR, config in DIR/config, logs in DIR/logs), then the environment
(PHONEBANK_DATA_DIR, PHONEBANK_CONFIG_DIR, PHONEBANK_LOG_DIR), then the platform's usual
places (platformdirs). No Qt here, so the core and tests can use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop import APP_NAME

DATA_ENV = "PHONEBANK_DATA_DIR"
CONFIG_ENV = "PHONEBANK_CONFIG_DIR"
LOG_ENV = "PHONEBANK_LOG_DIR"
DATABASE_NAME = "phonebank.db"
SETTINGS_NAME = "settings.json"


@dataclass(frozen=True)
class AppPaths:
    data: Path
    config: Path
    log: Path

    @property
    def database(self) -> Path:
        return self.data / DATABASE_NAME

    @property
    def settings(self) -> Path:
        return self.config / SETTINGS_NAME

    def create(self) -> AppPaths:
        """Make the directories (owner-only: they hold voter data) and return self."""
        for path in (self.data, self.config, self.log):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def _env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def resolve(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The app's directories; `data_dir` is the `--data-dir` option when given."""
    if data_dir is not None and str(data_dir).strip():
        base = Path(data_dir).expanduser().absolute()
        return AppPaths(
            data=base,
            config=_env(CONFIG_ENV) or base / "config",
            log=_env(LOG_ENV) or base / "logs",
        )
    dirs = platformdirs.PlatformDirs(APP_NAME.lower(), appauthor=False)
    return AppPaths(
        data=_env(DATA_ENV) or Path(dirs.user_data_dir),
        config=_env(CONFIG_ENV) or Path(dirs.user_config_dir),
        log=_env(LOG_ENV) or Path(dirs.user_log_dir),
    )


def data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    return resolve(option).data


def config_dir(option: str | os.PathLike[str] | None = None) -> Path:
    return resolve(option).config


def log_dir(option: str | os.PathLike[str] | None = None) -> Path:
    return resolve(option).log
