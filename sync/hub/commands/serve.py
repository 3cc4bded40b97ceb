"""`phonebank-hub serve`: upgrade the schema, then run the API with uvicorn.

Worker processes build their own app from the environment (`app_from_environment`), so the
resolved database URL is handed to them through PHONEBANK_HUB_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import os
import socket

import uvicorn
from fastapi import FastAPI

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database, safe_url
from sync.hub.core.config import Settings
from sync.hub.db import make_engine
from sync.hub.main import create_app

log = logging.getLogger("phonebank.hub")
LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def app_from_environment() -> FastAPI:
    """The ASGI app for one worker process (uvicorn factory)."""
    # A worker process of `--workers N` starts with no logging set up: without this its
    # sign-in decisions and tracebacks went nowhere. (A no-op when `serve` already did it.)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    settings = Settings()
    app = create_app(make_engine(settings.resolved_database_url()))
    app.state.settings = settings
    settle_garbage_collector()
    return app


# Young objects a request may make before the collector runs. A batch of results allocates
# tens of thousands of objects that all die by reference counting when the request ends; at
# Python's default (700) they were scanned again and again mid-request, and survivors promoted
# until a full collection walked every object of the process (bench/notes-hub.md).
GC_YOUNG_THRESHOLD = 20_000


def settle_garbage_collector() -> None:
    """Once a worker has imported everything and built its app: what is alive now lives as
    long as the process, so the cycle collector stops walking it (`gc.freeze`), and runs less
    often on the young objects."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def check_port_free(host: str, port: int) -> None:
    """Say plainly when the address is taken, rather than uvicorn's log line after start-up."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"--host {host!r} is not an address this machine has: {exc}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port}: {exc.strerror} (is another hub running?)"
            ) from exc


def trusted_proxies(value: str) -> list[str]:
    """The proxies to believe, each checked: a typo must not silently trust nobody."""
    proxies = [item.strip() for item in value.split(",") if item.strip()]
    for item in proxies:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise CommandError(
                f"--forwarded-allow-ips: {item!r} is not an address or network "
                "(e.g. 10.0.0.5, 10.0.0.0/24, or * for any)"
            ) from None
    return proxies


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not 0 < args.port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, got {args.port}")
    if args.workers < 1:
        raise CommandError(f"--workers must be at least 1, got {args.workers}")
    database_url = settings.resolved_database_url()
    if args.workers > 1 and database_url.startswith("sqlite") and ":memory:" in database_url:
        raise CommandError("an in-memory SQLite database cannot be shared by several workers")
    proxies = trusted_proxies(
        settings.forwarded_allow_ips
        if args.forwarded_allow_ips is None
        else args.forwarded_allow_ips
    )
    check_port_free(args.host, args.port)
    open_database(settings).dispose()  # the schema is upgraded once, before any worker starts
    os.environ["PHONEBANK_HUB_DATABASE_URL"] = database_url
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    log.info(
        "Phonebank hub at http://%s:%d/api/v1, organizer console at http://%s:%d/console "
        "(database %s, %d worker%s; X-Forwarded-For believed from %s)",
        args.host,
        args.port,
        args.host,
        args.port,
        safe_url(database_url),
        args.workers,
        "" if args.workers == 1 else "s",
        ", ".join(proxies) or "nobody",
    )
    # No access log: request lines are noise at this scale; tokens travel in headers only.
    uvicorn.run(
        "sync.hub.commands.serve:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_level="info",
        timeout_graceful_shutdown=5,
        proxy_headers=True,
        forwarded_allow_ips=proxies,
    )
    return 0
