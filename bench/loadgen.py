"""A cheap load generator: asyncio, one raw HTTP/1.1 connection per volunteer.

It shares the machine's cores with the hub and PostgreSQL, so it does as little as it can:
hand-written request bytes, a minimal response parser, JSON parsed only where checked.
Like the desktop app (requests), it accepts gzip.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.common import percentile
from bench.cpu_meter import CpuMeter
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class HttpError(Exception):
    """The hub closed the connection before answering."""


class Connection:
    """One keep-alive connection to the hub, speaking just enough HTTP/1.1.

    The benchmarks' only HTTP client: the reservation and ingest loads keep it open, the
    capacity ramp opens one per sync round (`async with`), as a laptop whose keep-alive has
    lapsed in the 30 s since its last sync does. Like the app it sends the protocol version
    and accepts gzip.
    """

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.fixed = (
            f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\nAccept-Encoding: gzip\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Connection:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes) -> Response:
        return await self.send("POST", path, body)

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """A JSON request; the status and the decoded JSON answer."""
        answer = await self.send(method, path, None if body is None else json.dumps(body).encode())
        return answer.status, answer.json()

    async def send(self, method: str, path: str, body: bytes | None) -> Response:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + self.fixed + b"\r\n" + (body or b""))
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise HttpError("connection closed") from exc
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            payload = await self.reader.readexactly(int(headers["content-length"]))
        elif "chunked" in headers.get("transfer-encoding", ""):
            payload = await self._chunked()
        else:
            payload = b""
        if headers.get("content-encoding") == "gzip":
            payload = zlib.decompress(payload, 16 + zlib.MAX_WBITS)
        if headers.get("connection") == "close":
            await self.close()
        return Response(status, payload)

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(p[:-2] for p in parts)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        return percentile(self.seconds, p) if self.seconds else 0.0


def client_cpu_seconds() -> float:
    """CPU (user + system) this process has used so far, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Window:
    """Counts what happens between a warm-up and a deadline; everything else is ignored."""

    def __init__(self, warmup: float, duration: float) -> None:
        now = time.monotonic()
        self.opens = now + warmup
        self.closes = self.opens + duration

    def measuring(self, at: float) -> bool:
        return self.opens <= at < self.closes

    def over(self) -> bool:
        return time.monotonic() >= self.closes


STOP = "stop"  # what `one` returns when its worker has nothing left to do


@dataclass
class RunStats:
    count: int = 0
    seconds: float = 0.0
    latencies: Latencies = field(default_factory=Latencies)
    cpu: dict[str, float] = field(default_factory=dict)  # group -> CPU seconds in the window
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def cpu_ms_per_op(self, group: str) -> float:
        return 1000 * self.cpu.get(group, 0.0) / self.count if self.count else 0.0


async def run_load(
    workers: int,
    one: Callable[[int], Awaitable[str | None]],
    *,
    warmup: float,
    duration: float,
    budget: int,
    meter: CpuMeter | None = None,
) -> RunStats:
    """Run `workers` loops of `one(worker)` (None = success, STOP = this worker is done,
    else a failure label).

    Counted: operations that finish between the end of the warm-up and the end of the
    window, which closes after `duration` seconds or once `budget` operations have started.
    CPU is metered over the same window (`meter` groups plus this process as "client").
    """
    stats = RunStats()
    window = Window(warmup, duration)
    started = 0
    measuring = False
    finished = asyncio.Event()

    async def loop(worker: int) -> None:
        nonlocal started
        while not finished.is_set() and not window.over():
            if started >= budget:
                finished.set()
                return
            started += 1
            begin = time.monotonic()
            failure = await one(worker)
            if failure == STOP:
                started -= 1
                return
            if not measuring:
                continue
            if failure is not None:
                stats.failures[failure] = stats.failures.get(failure, 0) + 1
                continue
            stats.count += 1
            stats.latencies.seconds.append(time.monotonic() - begin)

    async def timekeeper() -> None:
        nonlocal measuring
        await asyncio.sleep(max(0.0, window.opens - time.monotonic()))
        if meter:
            meter.start()
        client_before = client_cpu_seconds()
        opened = time.monotonic()
        measuring = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(finished.wait(), max(0.0, window.closes - time.monotonic()))
        measuring = False
        stats.seconds = time.monotonic() - opened
        stats.cpu = meter.stop() if meter else {}
        stats.cpu["client"] = client_cpu_seconds() - client_before
        finished.set()

    await asyncio.gather(timekeeper(), *(loop(n) for n in range(workers)))
    return stats
