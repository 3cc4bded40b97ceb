"""Hub settings from the environment (PHONEBANK_HUB_*) and the command line."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("phonebank-hub", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PHONEBANK_HUB_", extra="ignore")

    data_dir: Path = default_data_dir()
    database_url: str = ""  # empty: a SQLite file in data_dir
    # A token lives `token_ttl_days`; past half of it the laptop asks for a new one
    # (POST /auth/renew) and the old one keeps working `token_overlap_seconds` more.
    token_ttl_days: int = 30
    token_overlap_seconds: int = 900
    console_session_hours: int = 12  # an organizer's sign-in to the console in a browser
    default_region: str = "US"  # for numbers written without a country code
    # Sign-in attempts (crud/login_throttle.py): within `login_window_seconds`, one account
    # (or one known laptop) gets `login_free_failures` wrong passwords, then waits
    # `login_base_delay_seconds` after the last one, doubling each time up to
    # `login_max_delay_seconds`.
    login_free_failures: int = 5
    # One address may be a whole field office behind NAT: it gets a much larger allowance
    # before it is slowed down, so a few volunteers' typos never lock the office out.
    login_address_free_failures: int = 30
    login_window_seconds: int = 3600
    login_base_delay_seconds: int = 30
    login_max_delay_seconds: int = 900
    # Reverse proxies (load balancers) whose X-Forwarded-For names the volunteer's address:
    # comma-separated addresses or networks, "*" for any, "" for none. Behind a proxy the hub
    # does not trust, every volunteer seems to come from the proxy, and 30 typos anywhere
    # would slow down everyone's sign-in. The default trusts a proxy on this machine only.
    forwarded_allow_ips: str = "127.0.0.1,::1"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'hub.db'}"


def get_settings() -> Settings:
    return Settings()
