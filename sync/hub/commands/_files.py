"""Writing a command's output: to stdout as UTF-8, or to a file only its owner may read."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from sync.hub.cli import CommandError


def write_stdout(chunks: Iterable[str]) -> None:
    """UTF-8 whatever the terminal's locale; a reader that stops early (`| head`) is fine."""
    binary = getattr(sys.stdout, "buffer", None)
    try:
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk.encode("utf-8"))
            else:
                sys.stdout.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again while flushing at exit: point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write_private_file(output: Path, chunks: Iterable[str]) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file; the
    file holds voters' names and phones, so only its owner may read it (0600)."""
    partial = output.with_name(output.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # a leftover could have looser permissions
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
