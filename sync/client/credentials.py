"""The hub token in the OS keyring (service "phonebank", user "EMAIL@HUB_URL").

Every function tolerates a missing or broken keyring: `save_token` returns False and
`load_token` returns None, and the caller keeps the token in memory for this run only.
Tokens are never logged.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "phonebank"
log = logging.getLogger("phonebank.credentials")


def username(hub_url: str, email: str) -> str:
    return f"{email.strip().lower()}@{hub_url.rstrip('/')}"


def save_token(hub_url: str, email: str, token: str) -> bool:
    """Store the token; False when there is no usable keyring (nothing was stored)."""
    try:
        keyring.set_password(SERVICE, username(hub_url, email), token)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("no usable keyring (%s); the token is kept in memory only", type(exc).__name__)
        return False
    return True


def load_token(hub_url: str, email: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, username(hub_url, email))
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("keyring unavailable (%s)", type(exc).__name__)
        return None


def delete_token(hub_url: str, email: str) -> None:
    try:
        keyring.delete_password(SERVICE, username(hub_url, email))
    except PasswordDeleteError:
        pass  # nothing stored
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("keyring unavailable while signing out (%s)", type(exc).__name__)


def _device_username(hub_url: str, email: str) -> str:
    return "device:" + username(hub_url, email)


def save_device_key(hub_url: str, email: str, device_key: str) -> None:
    """Keep the hub's key for this laptop (it outlives signing out: the laptop stays known,
    and still signs in while strangers guessing the account are slowed down)."""
    try:
        keyring.set_password(SERVICE, _device_username(hub_url, email), device_key)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("no usable keyring (%s); the device key is not kept", type(exc).__name__)


def load_device_key(hub_url: str, email: str) -> str:
    try:
        return keyring.get_password(SERVICE, _device_username(hub_url, email)) or ""
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("keyring unavailable (%s)", type(exc).__name__)
        return ""


def keyring_available() -> bool:
    """Whether a real keyring backend is configured (not the `fail` backend)."""
    try:
        backend = keyring.get_keyring()
    except (KeyringError, RuntimeError):
        return False
    return getattr(backend, "priority", 0) > 0
