"""The .qm files the app loads, built from the committed .ts sources when `make` has not (a
bare `pytest` run): the English plural forms ("1 result", "3 results") live in one."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.ui.translations import CHECKOUT_QM

TS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
LRELEASE = Path(sys.executable).with_name("pyside6-lrelease")


def build_qm(out_dir: Path = CHECKOUT_QM) -> Path:
    """Compile every .ts that is newer than its .qm, as `make qm` does. Atomic (two test
    workers may do it at once)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for ts in sorted(TS_DIR.glob("*.ts")):
        qm = out_dir / f"{ts.stem}.qm"
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        fd, tmp = tempfile.mkstemp(suffix=".qm", dir=out_dir)
        os.close(fd)
        subprocess.run([str(LRELEASE), "-silent", str(ts), "-qm", tmp], check=True)
        os.replace(tmp, qm)
    return out_dir
