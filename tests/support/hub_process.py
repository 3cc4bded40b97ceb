"""A real `phonebank-hub serve` process on loopback, and the hub CLI run from tests.

    def test_x(hub_factory, database_url):
        hub = hub_factory(database_url)       # started and answering
        requests.get(hub.url + "/api/v1/campaigns", ...)
        hub.kill(); hub.restart()             # same port, same database

Outside pytest fixtures, `with running_hub(url) as hub:` does the same. To get the
`hub_factory` fixture in a test module outside tests/hub, import it there:
`from tests.support.hub_process import hub_factory  # noqa: F401`.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _subprocess_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PHONEBANK_HUB_DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra or {})
    return env


class HubProcess:
    """One `python -m sync.hub serve` child process bound to 127.0.0.1:port."""

    def __init__(
        self,
        database_url: str,
        *,
        port: int | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.workers = workers
        self.extra_env = dict(env or {})
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/api/v1"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="hub-", suffix=".log", delete=False)  # noqa: SIM115
        self.log_path = Path(self._log.name)

    # ------------------------------------------------------------ lifecycle

    def start(self, timeout: float = START_TIMEOUT) -> HubProcess:
        if self.running:
            return self
        args = [sys.executable, "-m", "sync.hub", "--database-url", self.database_url]
        args += ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        args += ["--workers", str(self.workers)]
        self._process = subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env=_subprocess_env(self.database_url, self.extra_env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Poll until the hub answers HTTP (or fail with its log)."""
        deadline = time.monotonic() + timeout
        while True:
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"hub process exited during start-up:\n{self.log_text()}")
            if self.answers():
                return
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"hub did not answer within {timeout} s:\n{self.log_text()}")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/openapi.json", timeout=1) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self, timeout: float = 15.0) -> int | None:
        """Graceful stop (SIGTERM), then SIGKILL if it lingers. Returns the exit status."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def kill(self) -> None:
        """Crash the hub (SIGKILL): no clean shutdown."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def restart(self, timeout: float = START_TIMEOUT) -> HubProcess:
        """Stop (if running) and start again on the same port and database."""
        self.stop()
        self._process = None
        deadline = time.monotonic() + timeout
        while _port_busy(self.port):  # the old socket may linger for a moment
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {self.port} stayed busy after the hub stopped")
            time.sleep(0.05)
        return self.start(timeout)

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        self.stop()
        self._log.close()
        with contextlib.suppress(OSError):
            self.log_path.unlink()

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


@contextlib.contextmanager
def running_hub(database_url: str, **kwargs: object) -> Iterator[HubProcess]:
    hub = HubProcess(database_url, **kwargs)  # type: ignore[arg-type]
    try:
        yield hub.start()
    finally:
        hub.close()


@pytest.fixture
def hub_factory() -> Iterator[Callable[..., HubProcess]]:
    """Start real hub processes: `hub_factory(database_url, workers=1, env=None)`.

    Every hub started is stopped at the end of the test.
    """
    hubs: list[HubProcess] = []

    def start(database_url: str, **kwargs: object) -> HubProcess:
        hub = HubProcess(database_url, **kwargs)  # type: ignore[arg-type]
        hubs.append(hub)
        return hub.start()

    yield start
    for hub in hubs:
        hub.close()


# ---------------------------------------------------------------- the hub CLI


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_hub_cli(
    database_url: str,
    *args: str,
    stdin: str | None = None,
    subprocess_: bool = False,
    timeout: float = 120.0,
) -> CliResult:
    """Run `phonebank-hub --database-url URL ARGS...` and capture what it prints.

    In-process by default (fast); `subprocess_=True` runs a real `python -m sync.hub`.
    """
    argv = ["--database-url", database_url, *args]
    if subprocess_:
        done = subprocess.run(
            [sys.executable, "-m", "sync.hub", *argv],
            cwd=REPO_ROOT,
            env=_subprocess_env(database_url),
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)
    return _run_in_process(argv, stdin)


def _run_in_process(argv: Sequence[str], stdin: str | None) -> CliResult:
    from sync.hub.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = old_stdin
    return CliResult(code, out.getvalue(), err.getvalue())
