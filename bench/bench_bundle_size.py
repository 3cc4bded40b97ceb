"""Bundle size: `make bundle`, then the size of the one-folder bundle dist/phonebank.

Limit: the part of the bundle no packaging can remove — Python's own library, Qt's Core,
Gui and Widgets libraries with their Python bindings, and one platform plugin — measured
inside the same bundle. With --quick nothing is built: an existing dist/phonebank is
measured, else the row says "not measured".
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO_ROOT, emit, log, not_measured, parse_args, row, subprocess_env

NAME = "bundle_size"
TARGET_MB = 90.0
BUNDLE = REPO_ROOT / "dist" / "phonebank"
BUILD_TIMEOUT = 400
# What every PySide6 desktop app must ship, whatever the packager leaves out.
ESSENTIAL = re.compile(
    r"(libpython3[^/]*\.so[^/]*|libQt6(Core|Gui|Widgets|DBus|XcbQpa)\.so[^/]*"
    r"|libshiboken6[^/]*\.so[^/]*|libpyside6[^/]*\.so[^/]*"
    r"|Qt(Core|Gui|Widgets)\.[^/]*\.so|libqxcb\.so|libicu\w*\.so[^/]*)$"
)


def megabytes(path: Path) -> float:
    """Disk usage like `du -sm` (allocated blocks, hard links once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for p in [path, *path.rglob("*")]:
        st = p.lstat()
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        total += st.st_blocks * 512
    return total / 1024 / 1024


def essential_megabytes(bundle: Path) -> float:
    sizes = {}
    for p in bundle.rglob("*"):
        if p.is_file() and not p.is_symlink() and ESSENTIAL.search(p.name):
            sizes.setdefault(p.name, p.stat().st_size)  # each library once
    return sum(sizes.values()) / 1024 / 1024


def has_bundle_target() -> bool:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^bundle\s*:", makefile, re.MULTILINE) is not None


def main() -> int:
    args = parse_args(__doc__ or "")
    started = time.monotonic()
    if not has_bundle_target():
        emit([not_measured(NAME, "MB", TARGET_MB, "<=", "make bundle missing")])
        return 0
    if not args.quick:
        log("building the bundle: make bundle")
        done = subprocess.run(
            ["make", "bundle"],
            cwd=REPO_ROOT,
            env=subprocess_env(),
            stdout=sys.stderr,
            stderr=sys.stderr,
            timeout=BUILD_TIMEOUT,
        )
        if done.returncode != 0:
            reason = f"make bundle failed (status {done.returncode})"
            emit([not_measured(NAME, "MB", TARGET_MB, "<=", reason)])
            return 0
    if not BUNDLE.is_dir():
        emit([not_measured(NAME, "MB", TARGET_MB, "<=", f"no {BUNDLE.relative_to(REPO_ROOT)}")])
        return 0
    size = megabytes(BUNDLE)
    floor = essential_megabytes(BUNDLE)
    log(f"bundle {size:.1f} MB, of which {floor:.1f} MB Python + Qt essentials")
    emit(
        [
            row(
                NAME,
                size,
                "MB",
                target=TARGET_MB,
                target_op="<=",
                limit=floor or None,
                limit_note="libpython + Qt Core/Gui/Widgets + bindings + xcb plugin",
                detail=f"du of dist/phonebank; {'existing build' if args.quick else 'fresh build'}",
                started=started,
            )
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
