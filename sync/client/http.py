"""A small typed client of the hub's HTTP API (requests; no Qt).

Every request carries the protocol version header and the bearer token; TLS certificates
are always verified; every reply is parsed with the protocol models, so a reply that does
not match raises `BadHubReply` rather than a traceback deeper down.
"""

from __future__ import annotations

import ipaddress
import json
import math
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from sync.client.errors import (
    BadHubReply,
    CoolingDown,
    HubError,
    HubUnreachable,
    ListEmpty,
    Unauthorized,
    UpgradeRequired,
    said,
)
from sync.messages import Code, Message, from_wire
from sync.protocol import (
    API_PREFIX,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    CampaignPublic,
    FeedbackIn,
    LanguagesIn,
    LoginRequest,
    LoginResponse,
    ReservationPublic,
    ReservationRequest,
    ResultIn,
    ResultsIn,
    ResultsOut,
    Script,
    SyncResponse,
    TokenRenewal,
    VolunteerPublic,
)

if TYPE_CHECKING:  # imported at the first call: a cold start never waits for it
    import requests

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0

M = TypeVar("M", bound=BaseModel)
_CAMPAIGNS = TypeAdapter(list[CampaignPublic], config=ConfigDict(defer_build=True))


def _tls_message(base_url: str, exc: Exception) -> Message:
    """Plain words for a failed secure connection: a hub that speaks plain http answers a TLS
    hello with garbage ("wrong version number"), which is not a certificate problem."""
    text = str(exc).lower()
    if "wrong version number" in text or "record layer failure" in text or "http request" in text:
        plain = "http://" + base_url.split("://", 1)[-1]
        return Message(Code.HUB_NOT_HTTPS, {"url": base_url, "plain": plain})
    return Message(Code.HUB_BAD_CERTIFICATE, {"url": base_url})


class BadHubAddress(ValueError):
    """The hub address typed by the user is not a URL we can use; `msg` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.msg = message


_LOCAL_SUFFIXES = (".local", ".lan", ".home.arpa", ".internal")


def is_local_host(host: str) -> bool:
    """This machine or the office network (loopback, private and link-local addresses,
    single-label and .local names): a field-office hub there usually has no certificate, so
    an address typed without a scheme means http://."""
    host = host.strip("[]").lower()
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(_LOCAL_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


def normalize_hub_url(raw: str) -> str:
    """ "hub.example.org" -> "https://hub.example.org"; loopback defaults to http.

    Raises BadHubAddress with plain words for anything that is not an http(s) address.
    """
    text = raw.strip()
    if not text.rstrip("/"):
        raise BadHubAddress(Message(Code.ADDRESS_MISSING))
    if "://" not in text:
        host = urlsplit("//" + text).hostname or ""
        text = ("http://" if is_local_host(host) else "https://") + text
    parts = urlsplit(text)
    spaces = any(c.isspace() for c in text)
    if parts.scheme not in ("http", "https") or not parts.hostname or spaces:
        raise BadHubAddress(Message(Code.ADDRESS_INVALID, {"address": raw.strip()}))
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise BadHubAddress(Message(Code.ADDRESS_BAD_PORT, {"address": raw.strip()})) from exc
    return text.rstrip("/")


PROBE_TIMEOUT = (2.0, 2.0)  # seconds to connect, to answer: a probe runs every few seconds


class HubClient:
    """One hub, one token. Methods raise the typed errors of `sync.client.errors`."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        protocol_version: int = PROTOCOL_VERSION,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        if session is None:
            import requests

            session = requests.Session()
        self.session = session
        self.protocol_version = protocol_version
        self.timeout = timeout

    # ------------------------------------------------------------ endpoints

    def reachable(self) -> bool:
        """A cheap "is the hub there?" while offline: one HEAD request, no body, no token;
        any HTTP answer counts (even 401 or 405). Never raises."""
        import requests

        try:
            self.session.head(
                self.base_url + API_PREFIX + "/campaigns",
                headers={PROTOCOL_HEADER: str(self.protocol_version)},
                timeout=PROBE_TIMEOUT,
                allow_redirects=False,
            )
        except requests.exceptions.RequestException:
            return False
        return True

    def login(
        self, email: str, password: str, device_name: str = "", device_key: str = ""
    ) -> LoginResponse:
        body = LoginRequest(
            email=email, password=password, device_name=device_name[:200], device_key=device_key
        )
        return self._parse(LoginResponse, self._call("POST", "/auth/login", body, auth=False))

    def renew(self) -> TokenRenewal:
        """A new token once this one is past half its life (else "not yet")."""
        return self._parse(TokenRenewal, self._call("POST", "/auth/renew"))

    def campaigns(self) -> list[CampaignPublic]:
        reply = self._call("GET", "/campaigns")
        try:
            return _CAMPAIGNS.validate_python(_json(reply))
        except ValidationError as exc:
            raise _bad_reply(exc) from exc

    def script(self, script_id: int) -> Script:
        return self._parse(Script, self._call("GET", f"/scripts/{script_id}"))

    def reserve(self, call_list_id: int) -> ReservationPublic:
        reply = self._call("POST", "/reservations", ReservationRequest(call_list_id=call_list_id))
        return self._parse(ReservationPublic, reply)

    def release(self, reservation_id: int) -> None:
        self._call("POST", f"/reservations/{reservation_id}/release")

    def post_results(self, results: list[ResultIn]) -> ResultsOut:
        """Send a batch; a single-result 409 (same id, other content) is returned as the
        hub's per-result outcome, not raised."""
        body = ResultsIn(results=results)
        reply = self._call("POST", "/results", body, ok_statuses=(409,))
        return self._parse(ResultsOut, reply)

    def sync(self, cursor: str | None) -> SyncResponse:
        params = {"cursor": cursor} if cursor else None
        return self._parse(SyncResponse, self._call("GET", "/sync", params=params))

    def send_feedback(self, feedback: FeedbackIn) -> None:
        self._call("POST", "/feedback", feedback)

    def set_languages(self, languages: list[str]) -> VolunteerPublic:
        """The languages the volunteer speaks (replaces the hub's list)."""
        body = LanguagesIn(languages=languages)
        return self._parse(VolunteerPublic, self._call("PATCH", "/auth/me", body))

    # ------------------------------------------------------------ plumbing

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        *,
        params: dict[str, str] | None = None,
        auth: bool = True,
        ok_statuses: tuple[int, ...] = (),
    ) -> requests.Response:
        import requests

        headers = {PROTOCOL_HEADER: str(self.protocol_version), "Accept": "application/json"}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = body.model_dump_json().encode()
        try:
            reply = self.session.request(
                method,
                self.base_url + API_PREFIX + path,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout,
                verify=True,
            )
        except requests.exceptions.SSLError as exc:
            raise HubUnreachable(_tls_message(self.base_url, exc)) from exc
        except requests.exceptions.Timeout as exc:
            url = {"url": self.base_url}
            raise HubUnreachable(Message(Code.HUB_TIMEOUT, url)) from exc
        except requests.exceptions.RequestException as exc:
            raise HubUnreachable(Message(Code.HUB_UNREACHABLE, {"url": self.base_url})) from exc
        if reply.status_code < 400 or reply.status_code in ok_statuses:
            return reply
        raise _error_for(reply, self.base_url)

    def _parse(self, model: type[M], reply: requests.Response) -> M:
        try:
            return model.model_validate(_json(reply))
        except ValidationError as exc:
            raise _bad_reply(exc) from exc


def _json(reply: requests.Response) -> Any:
    try:
        return reply.json()
    except (ValueError, json.JSONDecodeError) as exc:
        raise BadHubReply(Message(Code.HUB_UNREADABLE, {"status": reply.status_code})) from exc


def _bad_reply(exc: ValidationError) -> BadHubReply:
    errors = exc.errors()
    where = ".".join(str(p) for p in errors[0]["loc"]) if errors else "?"
    msg = errors[0]["msg"] if errors else "invalid"
    return BadHubReply(Message(Code.HUB_MISMATCH, {"where": where, "problem": msg}))


def _detail(reply: requests.Response) -> Message:
    """What the hub said: its message when the body carries a code this app knows (the
    laptop words it itself), else its English `detail` as it is."""
    try:
        body = reply.json()
        detail = body.get("detail")
    except (ValueError, AttributeError):
        return said(reply.reason or f"HTTP {reply.status_code}")
    known = from_wire(body)
    if known is not None:
        return known
    if isinstance(detail, str):
        return said(detail)
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return said(f"{where}: {first.get('msg', 'invalid')}")
    return said(reply.reason or f"HTTP {reply.status_code}")


def retry_after_seconds(reply: requests.Response, default: float = 60.0) -> float:
    """Retry-After as seconds (an integer or an HTTP date); `default` when absent/bad."""
    raw = reply.headers.get("Retry-After", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else default
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_for(reply: requests.Response, base_url: str) -> Exception:
    status = reply.status_code
    detail = _detail(reply)
    if status == 401:
        return Unauthorized(detail)
    if status == 426:
        return UpgradeRequired(detail)
    if status == 429:
        seconds = retry_after_seconds(reply)
        return CoolingDown(detail, seconds, datetime.now(UTC) + timedelta(seconds=seconds))
    if status == 409:
        return ListEmpty(detail)
    if status >= 500:
        return HubError(status, Message(Code.HUB_FAILED, {"url": base_url, "status": status}))
    return HubError(status, detail)
