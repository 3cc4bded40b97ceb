"""Desktop cold start to a usable window: median of repeated `python -m desktop` starts.

"Usable" is what a volunteer sees every day: signed in (account saved, token in the
keyring), a list on the laptop, the window shown with the list and the first name's call
screen painted — the app says so itself (PHONEBANK_QUIT_WHEN_USABLE prints a line and
quits). The hub is unreachable (a closed port), as on a laptop that starts offline.
Timed from process creation until that line arrives.

Limit: a process that imports PySide6, shows an empty QMainWindow and prints the same line
after painting it, timed the same way. Starts alternate (product, limit) after one
warm-up start of each, so both see the same page cache and machine load.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench import local_list
from bench.common import emit, log, median, ms, parse_args, row, subprocess_env, work_dir
from bench.file_keyring import BACKEND, FileKeyring

NAME = "cold_start_median"
TARGET_S = 0.6
EMAIL = "vera@example.org"
USABLE_LINE = "phonebank: usable"  # desktop.app.USABLE_LINE (not imported: no Qt here)
USABLE_PAGE = "workScreen"  # the list and the first name's call screen
START_TIMEOUT = 60.0

EMPTY_WINDOW = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
def report():
    window.repaint()
    print({USABLE_LINE + ": " + USABLE_PAGE!r}, flush=True)
    app.quit()
QTimer.singleShot(0, report)
window.show()
app.exec()
"""


def closed_port_url() -> str:
    import socket

    with socket.socket() as sock:  # bound, then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def time_start(command: list[str], env: dict[str, str]) -> float:
    """Seconds from process creation until it prints the usable line (then it exits)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    elapsed = None
    page = ""
    for line in process.stdout:
        if line.startswith(USABLE_LINE):
            elapsed = time.perf_counter() - start
            page = line.strip().rpartition(": ")[2]
            break
    try:
        _, err = process.communicate(timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    if elapsed is None:
        raise RuntimeError(f"never usable (status {process.returncode}): {err.strip()[-400:]}")
    if page != USABLE_PAGE:
        raise RuntimeError(f"usable on {page}, not on the list ({USABLE_PAGE})")
    return elapsed


def prepare(folder: Path, contacts: int) -> tuple[list[str], dict[str, str]]:
    """A signed-in laptop with `contacts` names on it; the command and env to start it."""
    import keyring

    from sync.client import credentials

    data = folder / "data"
    hub_url = closed_port_url()
    local_list.seed(data, contacts, hub_url=hub_url, email=EMAIL)
    env = subprocess_env(
        QT_QPA_PLATFORM="offscreen",
        PHONEBANK_QUIT_WHEN_USABLE="1",
        PYTHON_KEYRING_BACKEND=BACKEND,
        BENCH_KEYRING_FILE=str(folder / "keyring.json"),
    )
    import os

    os.environ["BENCH_KEYRING_FILE"] = env["BENCH_KEYRING_FILE"]
    keyring.set_keyring(FileKeyring())
    if not credentials.save_token(hub_url, EMAIL, "bench-token-not-a-secret"):
        raise RuntimeError("could not store the token in the bench keyring")
    return [sys.executable, "-m", "desktop", "--data-dir", str(data)], env


def measure(folder: Path, contacts: int, runs: int) -> tuple[list[float], list[float]]:
    command, env = prepare(folder, contacts)
    limit_command = [sys.executable, "-c", EMPTY_WINDOW]
    time_start(command, env), time_start(limit_command, env)  # warm-up: page cache
    product, limit = [], []
    for _ in range(runs):
        product.append(time_start(command, env))
        limit.append(time_start(limit_command, env))
    return product, limit


def main() -> int:
    args = parse_args(__doc__ or "")
    started = time.monotonic()
    daily, runs = (200, 3) if args.quick else (500, 9)
    with work_dir("cold-start") as folder:
        log(f"{runs} starts with a list of {daily} names, and {runs} of an empty window")
        product, limit = measure(folder / "daily", daily, runs)
        big = None
        if not args.quick:
            log("3 starts with 100,000 names on the laptop")
            big, _ = measure(folder / "big", 100_000, 3)
    value, floor = median(product), median(limit)
    log(
        f"median {ms(value):.0f} ms (min {ms(min(product)):.0f}, max {ms(max(product)):.0f});"
        f" empty window {ms(floor):.0f} ms"
        + (f"; 100k names {ms(median(big)):.0f} ms" if big else "")
    )
    detail = (
        f"signed in, {daily} names, offline; {runs} starts, min {min(product):.2f} s, "
        f"max {max(product):.2f} s"
        + (f"; with 100,000 names median {median(big):.2f} s" if big else "")
    )
    emit(
        [
            row(NAME, value, "s", target=TARGET_S, target_op="<=", limit=floor,
                limit_note="a process that imports PySide6 and shows an empty window",
                detail=detail, started=started)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
