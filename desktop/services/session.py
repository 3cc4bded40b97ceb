"""Signing in and out: the account in the store's meta, the token in the keyring.

Without a usable keyring the token lives in this object's memory for this run only
(`Account.remember` is False then, so the UI can say the password will be asked again).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from desktop.services.errors import UserError, user_error
from desktop.services.views import Account, SignOutOutcome
from desktop.store import Store, catalog, drafts, meta, reservations, results
from desktop.store.sql import Connection
from desktop.store.timefmt import opt_text
from sync.client import credentials
from sync.client.errors import (
    CoolingDown,
    HubCallError,
    HubError,
    HubUnreachable,
    Unauthorized,
    UpgradeRequired,
)
from sync.client.http import BadHubAddress, HubClient, normalize_hub_url
from sync.messages import Code, Message

if TYPE_CHECKING:
    import requests


class Session:
    """The signed-in account and a way to talk to its hub."""

    def __init__(
        self, store: Store, http: requests.Session | None, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self._http = http
        self.clock = clock
        self._lock = threading.Lock()
        self._memory_token: str | None = None  # only when the keyring is unusable
        self._remember = True

    @property
    def http(self) -> requests.Session:
        """The HTTP session, made at the first network call: importing requests is not
        paid by a cold start (the window shows the list before anything goes online)."""
        with self._lock:
            if self._http is None:
                import requests

                self._http = requests.Session()
            return self._http

    # ------------------------------------------------------------ reading

    def account(self) -> Account | None:
        with self.store.read() as conn:
            values = meta.get_many(conn, meta.ACCOUNT_KEYS)
        hub_url, email = values.get(meta.HUB_URL), values.get(meta.EMAIL)
        if not hub_url or not email:
            return None
        volunteer_id = values.get(meta.VOLUNTEER_ID)
        return Account(
            hub_url=hub_url,
            email=email,
            volunteer_id=int(volunteer_id) if volunteer_id else None,
            volunteer_name=values.get(meta.VOLUNTEER_NAME, ""),
            role=values.get(meta.ROLE, "volunteer"),
            has_token=self.token(hub_url, email) is not None,
            remember=self._remember and credentials.keyring_available(),
        )

    def token(self, hub_url: str, email: str) -> str | None:
        with self._lock:
            if self._memory_token:
                return self._memory_token
        return credentials.load_token(hub_url, email)

    def client(self) -> HubClient | None:
        """A client for the signed-in account, or None (nobody signed in, or no token)."""
        account = self.account()
        if account is None:
            return None
        token = self.token(account.hub_url, account.email)
        if token is None:
            return None
        return HubClient(account.hub_url, token, session=self.http)

    def anonymous_client(self, hub_url: str) -> HubClient:
        return HubClient(hub_url, session=self.http)

    # ------------------------------------------------------------ sign in / out

    def sign_in(self, hub_url: str, email: str, password: str) -> Account:
        try:
            url = normalize_hub_url(hub_url)
        except BadHubAddress as exc:
            raise UserError(exc.msg) from exc
        email = email.strip().lower()
        if "@" not in email or len(email) < 3:
            raise user_error(Code.EMAIL_MISSING)
        if not password:
            raise user_error(Code.PASSWORD_MISSING)
        previous = self.account()
        switching = previous is not None and (previous.hub_url != url or previous.email != email)
        if switching:
            with self.store.read() as conn:
                unsent = results.unsent_count(conn)
            if unsent:
                assert previous is not None
                raise user_error(Code.UNSENT_FOR_OTHER_ACCOUNT, n=unsent, email=previous.email)
        try:
            device_key = credentials.load_device_key(url, email)
            reply = self.anonymous_client(url).login(
                email, password, socket.gethostname(), device_key
            )
        except Unauthorized as exc:
            raise user_error(Code.SIGN_IN_REFUSED) from exc
        except CoolingDown as exc:
            minutes = max(1, round(exc.retry_after / 60))
            raise user_error(Code.SIGN_IN_THROTTLED, minutes=minutes) from exc
        except UpgradeRequired as exc:
            raise user_error(Code.APP_TOO_OLD) from exc
        except HubUnreachable as exc:
            reason = exc.msg
            then = Message(Code.CHECK_CONNECTION)
            raise UserError(Message(reason.code, reason.params, then)) from exc
        except HubError as exc:
            if exc.status == 422:
                raise user_error(Code.CHECK_CREDENTIALS) from exc
            raise UserError(exc.msg) from exc
        except HubCallError as exc:
            raise UserError(exc.msg) from exc
        remembered = credentials.save_token(url, email, reply.token)
        if reply.device_key and reply.device_key != device_key:
            credentials.save_device_key(url, email, reply.device_key)
        with self._lock:
            self._memory_token = None if remembered else reply.token
            self._remember = remembered
        if previous is not None and switching:
            credentials.delete_token(previous.hub_url, previous.email)

        def keep(conn: Connection) -> None:
            if switching:
                _wipe(conn, discard_unsent=False)
            meta.put(conn, meta.HUB_URL, url)
            meta.put(conn, meta.EMAIL, email)
            meta.put(conn, meta.VOLUNTEER_ID, reply.volunteer.id)
            meta.put(conn, meta.VOLUNTEER_NAME, reply.volunteer.name)
            meta.put(conn, meta.ROLE, reply.volunteer.role.value)
            if switching or not meta.get(conn, meta.MY_LANGUAGES_UNSENT):
                # The hub's list, unless this laptop has a newer one still to send.
                meta.put(conn, meta.MY_LANGUAGES, json.dumps(reply.volunteer.languages))
                meta.put(conn, meta.MY_LANGUAGES_UNSENT, None)
            meta.put(conn, meta.NEEDS_SIGN_IN, None)
            meta.put(conn, meta.NEEDS_UPGRADE, None)
            meta.put(conn, meta.TOKEN_RENEW_AFTER, opt_text(reply.renew_after))

        self.store.run_write(keep)  # the database worker stores what the hub answered
        if switching:
            self.store.scrub()
        account = self.account()
        assert account is not None
        return account

    def keep_renewed_token(self, token: str) -> None:
        """The hub replaced the token (the sync engine renewed it): store the new one where
        the old one was, before anything uses it. A keyring that refuses now keeps it in
        memory for this run (the keyring's old token dies after the hub's short overlap, so
        the password is asked at the next start)."""
        account = self.account()
        if account is None:
            return
        with self._lock:
            in_memory = self._memory_token is not None
        if not in_memory and credentials.save_token(account.hub_url, account.email, token):
            return
        with self._lock:
            self._memory_token = token
            self._remember = False

    def token_refused(self) -> None:
        """The hub answered 401: forget the token (it is dead); keep everything else."""
        account = self.account()
        with self._lock:
            self._memory_token = None
        if account is not None:
            credentials.delete_token(account.hub_url, account.email)

    def sign_out(self, force: bool) -> SignOutOutcome:
        with self.store.read() as conn:
            unsent = results.unsent_count(conn)
            messages = results.pending_feedback_count(conn)
        if (unsent or messages) and not force:
            return SignOutOutcome(signed_out=False, pending=unsent, pending_feedback=messages)
        account = self.account()
        if account is not None:
            credentials.delete_token(account.hub_url, account.email)
        with self._lock:
            self._memory_token = None
            self._remember = True
        self.store.run_write(lambda conn: _wipe(conn, discard_unsent=force))
        self.store.scrub()
        return SignOutOutcome(signed_out=True, pending=unsent, pending_feedback=messages)


def _wipe(conn: Connection, *, discard_unsent: bool) -> None:
    """Remove voter data and the account; unsent results only with `discard_unsent`."""
    results.wipe(conn, discard_unsent=discard_unsent)
    drafts.clear(conn)  # a call in progress names a voter too
    reservations.wipe(conn)
    catalog.wipe(conn)
    meta.clear_all_but_schema(conn)
