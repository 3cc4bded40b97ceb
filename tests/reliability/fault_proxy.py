"""A fault-injecting HTTP proxy on loopback, between the sync engine and a real hub.

    with FaultProxy(hub.url, seed=7, rates={"drop": 0.1, "lose_response": 0.1}) as proxy:
        core.sign_in(proxy.url, ...)      # every request of the laptop goes through it
        ...
        proxy.injected                    # Counter: faults injected, by kind

Each client connection carries one request (the proxy answers `Connection: close`). For each
request a seeded RNG picks at most one fault, so a failing run replays with the same seed
(the requests of one laptop arrive in the same order). The kinds:

- ``delay``: the request waits 0.05–0.5 s before it is forwarded;
- ``drop``: the connection is closed before anything reaches the hub;
- ``reset_request``: half the request body reaches the hub, then both sides are reset;
- ``status_500`` / ``status_502`` / ``status_503``: answered by the proxy, hub not asked
  (a load balancer in trouble);
- ``portal``: a 200 with an HTML sign-in page, hub not asked (hotel Wi-Fi's captive portal);
- ``duplicate``: the request reaches the hub twice at once; one of the answers goes back;
- ``reset_response``: the hub answers in full; half of it reaches the client, then a reset;
- ``lose_response``: the hub answers (it has committed); the client gets nothing at all.

`latency` delays every request before it is forwarded (a slow link); `offline = True` closes
every connection at once (the laptop is offline); `after_forward` is called once the
request has reached the hub, before its answer is read (a test can crash the hub there).
"""

from __future__ import annotations

import contextlib
import random
import socket
import socketserver
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

FAULT_KINDS = (
    "delay",
    "drop",
    "reset_request",
    "status_500",
    "status_502",
    "status_503",
    "portal",
    "duplicate",
    "reset_response",
    "lose_response",
)
MAX_HEADER = 64 * 1024
UPSTREAM_TIMEOUT = 60.0


class FaultProxy:
    def __init__(
        self,
        upstream_url: str,
        *,
        seed: int,
        rates: Mapping[str, float] | None = None,
        latency: float = 0.0,
    ) -> None:
        parts = urlsplit(upstream_url)
        assert parts.hostname and parts.port, upstream_url
        self.upstream = (parts.hostname, parts.port)
        self.seed = seed
        self.rates = dict(rates or {})
        unknown = set(self.rates) - set(FAULT_KINDS)
        assert not unknown and sum(self.rates.values()) <= 1.0, self.rates
        self.latency = latency
        self.offline = False
        self.after_forward: Callable[[str], None] | None = None
        self.injected: Counter[str] = Counter()
        self.requests = 0  # requests seen (faulty or not), offline ones included
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ faults

    def pause_faults(self) -> _Paused:
        """`with proxy.pause_faults():` requests pass untouched (e.g. signing in)."""
        return _Paused(self)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {self.injected[k]}" for k in sorted(self.injected)) or "none"
        return f"{sum(self.injected.values())} faults in {self.requests} requests ({kinds})"

    def _choose(self) -> tuple[str | None, float]:
        """The fault for the next request (or None), and how long to hold it first."""
        with self._lock:
            self.requests += 1
            if self.offline:
                self.injected["offline"] += 1
                return "offline", 0.0
            draw = self._rng.random()
            delay = self._rng.uniform(0.05, 0.5)  # drawn always: one draw pattern per seed
            for kind in FAULT_KINDS:
                rate = self.rates.get(kind, 0.0)
                if draw < rate:
                    self.injected[kind] += 1
                    return kind, delay if kind == "delay" else 0.0
                draw -= rate
            return None, 0.0

    def _wait(self, seconds: float) -> None:
        self._closing.wait(seconds)


class _Paused:
    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        self.saved: dict[str, float] = {}

    def __enter__(self) -> FaultProxy:
        self.saved, self.proxy.rates = self.proxy.rates, {}
        return self.proxy

    def __exit__(self, *exc: object) -> None:
        self.proxy.rates = self.saved


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (RST) instead of an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def _answer(
    status: int,
    reason: str,
    body: bytes = b'{"detail": "injected by the fault proxy"}',
    content_type: str = "application/json",
) -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        proxy = self.server.proxy
        client: socket.socket = self.request
        client.settimeout(UPSTREAM_TIMEOUT)
        request = _read_request(client)
        if request is None:
            return
        head, body = request
        fault, delay = proxy._choose()
        if proxy.latency or delay:
            proxy._wait(proxy.latency + delay)
        if fault in ("offline", "drop"):
            client.close()
            return
        if fault is not None and fault.startswith("status_"):
            code = int(fault.removeprefix("status_"))
            reason = {500: "Internal Server Error", 502: "Bad Gateway"}.get(code, "Unavailable")
            client.sendall(_answer(code, reason))
            client.close()
            return
        if fault == "portal":
            page = b"<html><body>Welcome! Please accept the terms to continue.</body></html>"
            client.sendall(_answer(200, "OK", page, "text/html"))
            client.close()
            return
        message = head + body
        if fault == "reset_request":
            self._forward(message[: len(head) + len(body) // 2], reset=True)
            _reset(client)
            return
        if fault == "duplicate":
            extra = threading.Thread(target=self._forward, args=(message,), daemon=True)
            extra.start()
            response = self._forward(message)
            extra.join(UPSTREAM_TIMEOUT)
        else:
            response = self._forward(message)
        if not response:  # the hub died or refused: what a reverse proxy says then
            response = _answer(502, "Bad Gateway")
        if fault == "lose_response":
            client.close()
        elif fault == "reset_response":
            client.sendall(response[: len(response) // 2])
            _reset(client)
        else:
            client.sendall(response)
            client.close()

    def _forward(self, message: bytes, *, reset: bool = False) -> bytes:
        """Send `message` to the hub and read its whole answer (b"" if the hub is gone)."""
        proxy = self.server.proxy
        try:
            upstream = socket.create_connection(proxy.upstream, timeout=UPSTREAM_TIMEOUT)
        except OSError:
            return b""
        try:
            upstream.sendall(message)
            if reset:
                _reset(upstream)
                return b""
            if proxy.after_forward is not None:
                proxy.after_forward(message.split(b"\r\n", 1)[0].decode("latin-1"))
            chunks = []
            while chunk := upstream.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return b""
        finally:
            upstream.close()


def _read_request(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """One request: its head (rewritten to `Connection: close`) and its body."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk or len(data) > MAX_HEADER:
                return None
            data += chunk
        raw_head, body = data.split(b"\r\n\r\n", 1)
        lines = raw_head.split(b"\r\n")
        length = 0
        kept = [lines[0]]
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            key = name.strip().lower()
            if key == b"content-length":
                length = int(value.strip())
            if key in (b"connection", b"keep-alive"):
                continue
            kept.append(line)
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            body += chunk
    except (OSError, ValueError):
        return None
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n", body[:length]
