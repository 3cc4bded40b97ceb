"""The typed hub client: every reply parsed, every failure a typed error in plain words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from requests.adapters import BaseAdapter

from sync.client.errors import (
    BadHubReply,
    CoolingDown,
    HubError,
    HubUnreachable,
    ListEmpty,
    Unauthorized,
    UpgradeRequired,
)
from sync.client.http import BadHubAddress, HubClient, normalize_hub_url
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.sync_client.live_hub import LiveHub


class Canned(BaseAdapter):
    """Answers every request with one canned reply and remembers the request."""

    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None):
        super().__init__()
        self.status, self.body, self.headers = status, body, headers or {}
        self.seen: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def, override]
        self.seen.append(request)
        response = requests.Response()
        response.status_code = self.status
        response._content = self.body
        response.headers.update({"Content-Type": "application/json", **self.headers})
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def _client(adapter: Canned, token: str | None = "tok") -> HubClient:
    session = requests.Session()
    session.mount("https://", adapter)
    return HubClient("https://hub.example.org", token, session=session)


@pytest.mark.parametrize(
    ("status", "body", "headers", "error"),
    [
        (401, b'{"detail": "Please sign in again."}', {}, Unauthorized),
        (426, b'{"detail": "Please upgrade."}', {}, UpgradeRequired),
        (429, b'{"detail": "Wait."}', {"Retry-After": "120"}, CoolingDown),
        (409, b'{"detail": "Nobody left."}', {}, ListEmpty),
        (500, b"<html>oops</html>", {}, HubError),
        (404, b'{"detail": "Not Found"}', {}, HubError),
    ],
)
def test_error_statuses_become_typed_errors(
    status: int, body: bytes, headers: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        _client(Canned(status, body, headers)).reserve(1)
    assert "Traceback" not in str(caught.value) and str(caught.value)
    if isinstance(caught.value, CoolingDown):
        assert caught.value.retry_after == 120 and caught.value.retry_at is not None
    if isinstance(caught.value, HubError):
        assert caught.value.transient == (status >= 500)


@pytest.mark.parametrize(
    "body",
    [b"<html>captive portal login</html>", b'{"id": "not a number"}', b"[]"],
)
def test_replies_that_do_not_match_the_protocol_are_bad_hub_replies(body: bytes) -> None:
    with pytest.raises(BadHubReply, match="hub"):
        _client(Canned(201, body)).reserve(1)


def test_every_request_carries_the_protocol_version_and_token() -> None:
    adapter = Canned(200, b'{"results": []}')
    _client(adapter).post_results([])
    (request,) = adapter.seen
    assert request.headers[PROTOCOL_HEADER] == str(PROTOCOL_VERSION)
    assert request.headers["Authorization"] == "Bearer tok"
    login = Canned(401, b'{"detail": "no"}')
    with pytest.raises(Unauthorized):
        _client(login).login("a@b.org", "pw")
    assert "Authorization" not in login.seen[0].headers


def test_a_real_hub_answers_through_the_client(live_hub: Callable[[], LiveHub]) -> None:
    hub = live_hub()
    with pytest.raises(Unauthorized):
        HubClient(hub.url, "garbage").campaigns()
    with pytest.raises(UpgradeRequired):
        HubClient(hub.url, "garbage", protocol_version=0).campaigns()
    hub.stop()
    with pytest.raises(HubUnreachable, match="Cannot reach"):
        HubClient(hub.url, "garbage", timeout=(1, 1)).campaigns()


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("hub.example.org", "https://hub.example.org"),
        (" https://hub.example.org/ ", "https://hub.example.org"),
        ("127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("localhost:8765/", "http://localhost:8765"),
    ],
)
def test_hub_addresses_are_normalized(raw: str, url: str) -> None:
    assert normalize_hub_url(raw) == url


@pytest.mark.parametrize(
    "raw", ["", "   ", "ftp://hub", "http://", "http://hub:99999", "hub dot org", "https://a b"]
)
def test_bad_hub_addresses_are_refused(raw: str) -> None:
    with pytest.raises(BadHubAddress):
        normalize_hub_url(raw)
