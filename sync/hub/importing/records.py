"""The checked records of a contacts file (parse.py), read here or in a second process.

A large file is read by a second process while this one inserts: reading, CSV, names and
phones were about half of a large import's CPU, the inserts the other half. The records come
back in chunks through a bounded queue, so memory stays bounded (a few chunks in flight)
whatever the file's size, with the same line numbers and rejects as when read here.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sync.hub.importing.parse import Chunk, End, Header, ReadOptions, read_file
from sync.hub.importing.report import ImportRefused

# Smaller files are read in this process: a second one costs ~0.5 s of CPU to start.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # ~100,000 rows of a voter file
_IN_FLIGHT = 8  # chunks queued between the processes (5,000 rows each)
_POLL_S = 1.0  # how often a wait for the reader checks that it is still alive


@contextmanager
def records(
    source: str | Path | IO[str] | IO[bytes], options: ReadOptions
) -> Iterator[Iterator[Header | Chunk | End]]:
    """What `parse.read_file` yields, from a second process for a large file (a path)."""
    if not _worth_a_process(source):
        yield read_file(source, options)
        return
    context = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded server
    channel: Any = context.Queue(maxsize=_IN_FLIGHT)
    reader = context.Process(
        target=_read_into, args=(str(source), options, channel), name="import-reader", daemon=True
    )
    reader.start()
    try:
        yield _received(channel, reader)
    finally:
        if reader.is_alive():  # stopped early (refused, or a database error): not needed
            reader.terminate()
        reader.join()
        channel.close()
        channel.join_thread()


def _worth_a_process(source: str | Path | IO[str] | IO[bytes]) -> bool:
    if not isinstance(source, str | Path):
        return False
    try:
        return Path(source).stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False  # read here, where the error is reported as for any file


def _read_into(path: str, options: ReadOptions, channel: Any) -> None:
    """The second process: every message of read_file, then None; a refusal as its text."""
    try:
        for message in read_file(path, options):
            channel.put(message)
    except ImportRefused as exc:
        channel.put(("refused", str(exc)))
    except BaseException as exc:  # reported by the importing process, not lost with this one
        channel.put(("failed", f"{type(exc).__name__}: {exc}"))
    channel.put(None)
    channel.close()
    channel.join_thread()


def _received(channel: Any, reader: Any) -> Iterator[Header | Chunk | End]:
    while True:
        try:
            message = channel.get(timeout=_POLL_S)
        except queue.Empty:
            if not reader.is_alive() and channel.empty():
                raise RuntimeError(
                    f"the import's reading process stopped (exit code {reader.exitcode})"
                ) from None
            continue
        if message is None:
            return
        if isinstance(message, tuple):
            what, text = message
            if what == "refused":
                raise ImportRefused(text)
            raise RuntimeError(f"the import's reading process failed: {text}")
        yield message
