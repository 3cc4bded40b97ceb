"""The checked records of a contacts file (parse.py), read here or in a second process.

A large file is read by a second process while this one inserts: reading, CSV, names and
phones were about half of a large import's CPU, the inserts the other half. The second
process is `python -m sync.hub.importing.records` (a plain subprocess, so nothing of the
importing process, its threads or its main module, is copied or run again); it sends its
messages as pickled frames through a pipe, whose small buffer holds it about one chunk ahead:
memory stays bounded whatever the file's size, and the line numbers and rejects are the same
as when the file is read here.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO

import sync
from sync.hub.importing.parse import Chunk, End, Header, ReadOptions, read_file
from sync.hub.importing.report import ImportRefused

# Smaller files are read in this process: a second one costs ~0.5 s of CPU to start.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # ~100,000 rows of a voter file
_IN_FLIGHT = 8  # chunks (~1 MB each) the reading process may be ahead
_FRAME = struct.Struct("!I")  # each message: its length, then the pickle


@contextmanager
def records(
    source: str | Path | IO[str] | IO[bytes], options: ReadOptions
) -> Iterator[Iterator[Header | Chunk | End]]:
    """What `parse.read_file` yields, from a second process for a large file (a path)."""
    if not _worth_a_process(source):
        yield read_file(source, options)
        return
    env = dict(os.environ)  # the same code as this process, wherever it was run from
    root = str(Path(sync.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryFile() as errors:  # a file: a full stderr pipe would block it
        reader = subprocess.Popen(
            [sys.executable, "-m", "sync.hub.importing.records"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        assert reader.stdin is not None and reader.stdout is not None
        frames = _Frames(reader.stdout)
        try:
            reader.stdin.write(pickle.dumps((str(source), options)))
            reader.stdin.close()
            yield _received(frames, reader, errors)
        finally:
            if reader.poll() is None:  # stopped early (refused, or a database error)
                reader.kill()
            reader.wait()
            frames.close()
            reader.stdout.close()


def _worth_a_process(source: str | Path | IO[str] | IO[bytes]) -> bool:
    if not isinstance(source, str | Path):
        return False
    try:
        return Path(source).stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False  # read here, where the error is reported as for any file


class _Frames:
    """The pipe's frames, read by a thread into a bounded queue, so the reading process can
    run up to _IN_FLIGHT chunks ahead while this one is busy (or descheduled)."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.pipe = pipe
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_IN_FLIGHT)
        self.ended = False  # the end (None) was taken from the queue
        self.thread = threading.Thread(target=self._read, name="import-frames", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while len(head := self.pipe.read(_FRAME.size)) == _FRAME.size:
                self.queue.put(self.pipe.read(_FRAME.unpack(head)[0]))
        finally:
            self.queue.put(None)

    def get(self) -> bytes | None:
        frame = self.queue.get()
        self.ended = frame is None
        return frame

    def close(self) -> None:
        """After the reading process has ended: let the thread put its last frames, and end."""
        while not self.ended:
            self.get()
        self.thread.join()


def _received(
    frames: _Frames, reader: subprocess.Popen[bytes], errors: IO[bytes]
) -> Iterator[Header | Chunk | End]:
    while True:
        frame = frames.get()
        if frame is None:
            reader.wait()
            errors.seek(0)
            problem = errors.read().decode(errors="replace")
            raise RuntimeError(
                f"the import's reading process stopped (exit code {reader.returncode}): "
                f"{problem.strip()[-500:]}"
            )
        message: Any = _loaded(frame)
        if message is None:
            return
        if isinstance(message, tuple):
            what, text = message
            if what == "refused":
                raise ImportRefused(text)
            raise RuntimeError(f"the import's reading process failed: {text}")
        yield message


def _loaded(data: bytes) -> Any:
    # Without the cycle collector: a chunk is ~25,000 new containers, none of them in a
    # cycle, and the collections they set off were two thirds of the unpickling.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _send(out: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_FRAME.pack(len(data)))
    out.write(data)


def _main() -> int:
    """The second process: the path and options from stdin, every message to stdout."""
    path, options = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        for message in read_file(path, options):
            _send(out, message)
    except ImportRefused as exc:
        _send(out, ("refused", str(exc)))
    except Exception as exc:  # reported by the importing process, not lost with this one
        _send(out, ("failed", f"{type(exc).__name__}: {exc}"))
    _send(out, None)
    with suppress(BrokenPipeError):
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
