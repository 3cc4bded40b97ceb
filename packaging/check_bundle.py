"""`make bundle-check`: the built bundle passes its self-test (offscreen, and on a real X
display under Xvfb), stays within the size target and carries nothing of the hub. One line
per check; exit 1 when any failed.

    .venv-bundle/bin/python packaging/check_bundle.py [dist/phonebank] [--max-mb 90]

Run with the bundle venv's Python: it reads the bundle's module archive with PyInstaller.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Hub-only packages (pyproject's `hub` extra) and the hub's own code.
HUB_ONLY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "sqlmodel",
    "sqlalchemy",
    "phonenumbers",
    "psycopg",
    "psycopg_binary",
    "argon2",
    "_argon2_cffi_bindings",
    "yaml",
    "_yaml",
    "pydantic_settings",
    "sync.hub",
)
SELF_TEST_TIMEOUT = 120


def self_test(bundle: Path, platform: str = "offscreen") -> str | None:
    """The bundle's own self-test; on "xcb", under Xvfb: a real window's platform plugin."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    command = [str(bundle / "phonebank"), "--self-test"]
    if platform == "xcb":
        command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command]
    try:
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=SELF_TEST_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the bundle's self-test ({platform}) could not run: {exc}"
    print(done.stdout.rstrip())
    if done.returncode != 0:
        print(done.stderr.rstrip(), file=sys.stderr)
        return f"the bundle's self-test ({platform}) failed (exit code {done.returncode})"
    return None


def version_problem(bundle: Path) -> str | None:
    """The bundle says the version written in desktop/__init__.py."""
    source = (Path(__file__).resolve().parents[1] / "desktop" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', source, re.MULTILINE)
    expected = f"phonebank {match.group(1) if match else '?'}"
    try:
        said = subprocess.run(
            [str(bundle / "phonebank"), "--version"], capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`phonebank --version` could not run: {exc}"
    if said != expected:
        return f"`phonebank --version` says {said!r}, desktop/__init__.py {expected!r}"
    print(f"bundle-check: version {said}")
    return None


def size_mb(bundle: Path) -> int:
    """What `du -sm` says: the figure the size target is stated in."""
    return int(
        subprocess.run(
            ["du", "-sm", str(bundle)], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )


def is_hub(name: str) -> bool:
    return any(name == hub or name.startswith(hub + ".") for hub in HUB_ONLY)


def hub_parts(bundle: Path) -> list[str]:
    """Hub files on disk (packages, extension modules, dist-info) and hub modules inside the
    executable's module archive."""
    found = []
    internal = bundle / "_internal"
    for path in internal.rglob("*"):
        top = path.relative_to(internal).parts[0]
        module = top.split(".")[0].split("-")[0].lower()
        if is_hub(module) or module.startswith(("pyyaml", "argon2_cffi", "psycopg")):
            found.append(str(path.relative_to(bundle)))
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / "phonebank"))
    modules = archive.open_embedded_archive("PYZ.pyz").toc
    found += [f"module {name}" for name in modules if is_hub(name)]
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", default="dist/phonebank", type=Path)
    parser.add_argument("--max-mb", type=int, default=90)
    args = parser.parse_args()
    bundle: Path = args.bundle
    if not (bundle / "phonebank").is_file():
        print(f"bundle-check: no bundle at {bundle}; run `make bundle` first", file=sys.stderr)
        return 1
    failures = []
    platforms = ["offscreen", "xcb"] if shutil.which("xvfb-run") else ["offscreen"]
    if len(platforms) == 1:
        print("bundle-check: no xvfb-run, so the real window (xcb) is not checked")
    for platform in platforms:
        problem = self_test(bundle, platform)
        if problem:
            failures.append(problem)
    problem = version_problem(bundle)
    if problem:
        failures.append(problem)
    size = size_mb(bundle)
    if size > args.max_mb:
        failures.append(f"{bundle} is {size} MB (du -sm), over the {args.max_mb} MB target")
    else:
        print(f"bundle-check: size {size} MB (du -sm), target {args.max_mb} MB")
    hub = hub_parts(bundle)
    if hub:
        failures.append(f"hub parts inside the bundle: {', '.join(hub[:10])}")
    else:
        print("bundle-check: nothing of the hub inside")
    for failure in failures:
        print(f"bundle-check FAILED: {failure}", file=sys.stderr)
    if not failures:
        print("bundle-check: OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
