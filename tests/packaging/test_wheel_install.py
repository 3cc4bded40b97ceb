"""`phonebank demo` from an installed package (issue 4): a wheel built from this tree and
installed into a new environment, with no checkout in reach, seeds its demo hub from the
resources the wheel carries and opens the app signed in as the demo volunteer; the wheel
carries the interface translations it compiled (issue 15)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from desktop.demo import DEMO_EMAIL
from tests.e2e.seed import query
from tests.e2e.test_demo import wait_for
from tests.support import memory_keyring
from tests.support.hub_process import REPO_ROOT

TIMEOUT = 180


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new environment holding only the wheel; its dependencies are borrowed from ours
    through a path line (a .pth file's path is not a site folder, so our editable install's
    own finder there is not loaded)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO_ROOT), "-w", work],
        check=True,
        timeout=TIMEOUT,
        cwd=work,
    )
    (wheel,) = work.glob("phonebank-*.whl")
    env = work / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    # --ignore-installed: else pip would first uninstall our own (editable) install.
    install = ["install", "-q", "--no-deps", "--ignore-installed", "--prefix", str(env)]
    subprocess.run(
        [sys.executable, "-m", "pip", *install, str(wheel)],
        check=True,
        timeout=TIMEOUT,
    )
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env)}))
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env


def environment_in(cwd: Path) -> dict[str, str]:
    """Our environment less PHONEBANK_* settings, with the in-memory keyring from a folder
    of its own (the tests package itself is not importable there)."""
    keyring_dir = cwd / "keyring"
    keyring_dir.mkdir(exist_ok=True)
    shutil.copy(memory_keyring.__file__, keyring_dir / "memory_keyring.py")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("PHONEBANK_")
    }
    environment.update(
        PYTHONPATH=str(keyring_dir),
        PYTHON_KEYRING_BACKEND="memory_keyring.MemoryKeyring",
        QT_QPA_PLATFORM="offscreen",
    )
    return environment


def test_the_wheel_carries_the_resources_and_imports_nothing_from_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    probe = subprocess.run(
        [
            installed / "bin" / "python",
            "-c",
            "import desktop, sync.hub, sync.resources as r; "
            "print(desktop.__file__); print(sync.hub.__file__); print(r.resources_dir())",
        ],
        cwd=tmp_path,  # not the checkout: nothing may be imported from it
        env=environment_in(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert probe.returncode == 0, probe.stderr
    desktop_file, hub_file, resources = map(Path, probe.stdout.split())
    for path in (desktop_file, hub_file, resources):
        assert installed in path.parents and REPO_ROOT not in path.parents
    assert (resources / "style" / "app.qss").is_file()
    assert (resources / "scripts" / "gotv.yaml").is_file()
    assert (resources / "demo" / "first_names.txt").is_file()
    # ...and our own environment still has the checkout installed, as before the test.
    assert importlib.metadata.distribution("phonebank").locate_file("").exists()


def test_the_wheel_carries_the_consoles_templates_and_static_files(
    installed: Path, tmp_path: Path
) -> None:
    probe = subprocess.run(
        [
            installed / "bin" / "python",
            "-c",
            "from importlib.resources import files; "
            "from sync.hub.console.render import environment; "
            "static = files('sync.hub.console') / 'static'; "
            "print(sorted(p.name for p in static.iterdir())); "
            "page = environment.get_template('error.html').render(status_code=404, title='Gone'); "
            "print('<h1>Gone</h1>' in page and 'console.css' in page)",
        ],
        cwd=tmp_path,
        env=environment_in(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert probe.returncode == 0, probe.stderr
    static, rendered = probe.stdout.splitlines()
    assert static == "['console.css', 'console.js', 'phonebank.svg']"
    assert rendered == "True"  # the templates load from the installed package


def test_the_installed_wheel_speaks_spanish(installed: Path, tmp_path: Path) -> None:
    # The wheel carries the .qm files it built (none are committed, and the checkout's
    # build/translations is out of reach): the interface and the messages in Spanish.
    probe = subprocess.run(
        [
            installed / "bin" / "python",
            "-c",
            "from PySide6.QtCore import QCoreApplication; "
            "from desktop.ui.translations import install_language, qm_folders; "
            "from desktop.ui.messages import message_text; "
            "from sync.messages import Code, Message; "
            "app = QCoreApplication([]); "
            "print(len(install_language(app, 'es'))); "
            "print(QCoreApplication.translate('SignInScreen', 'Sign in')); "
            "print(message_text(Message(Code.NAMES_RESERVED, {'n': 5}))); "
            "print(*[f for f in qm_folders() if (f / 'phonebank_es.qm').is_file()])",
        ],
        cwd=tmp_path,
        env=environment_in(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert probe.returncode == 0, probe.stderr
    installed_count, sign_in, reserved, folder = probe.stdout.splitlines()
    assert int(installed_count) >= 1
    assert (sign_in, reserved) == ("Iniciar sesión", "5 nombres reservados para ti.")
    assert installed in Path(folder).parents and REPO_ROOT not in Path(folder).parents


def test_phonebank_demo_from_the_installed_wheel_opens_signed_in(
    installed: Path, tmp_path: Path
) -> None:
    data = tmp_path / "demo"
    app = subprocess.Popen(
        [installed / "bin" / "python", "-m", "desktop", "demo", "--data-dir", data],
        cwd=tmp_path,
        env=environment_in(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # A sign-in writes the settings: the demo volunteer is signed in to the demo hub.
        signed_in = lambda: settings(data).get("email") == DEMO_EMAIL  # noqa: E731
        wait_for(lambda: signed_in() or app.poll() is not None, "the demo sign-in")
        assert signed_in(), f"the app ended first: {app.communicate()[1]}"
        contacts = query(f"sqlite:///{data / 'hub.db'}", "SELECT count(*) FROM contacts")
        assert contacts == [(2000,)]  # seeded from the names the wheel carries
        app.send_signal(signal.SIGTERM)  # ends the event loop like closing the window
        _out, err = app.communicate(timeout=TIMEOUT)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert "Traceback" not in err
    assert "Finished server process" in (data / "hub.log").read_text()  # the hub stopped


def settings(data: Path) -> dict[str, object]:
    try:
        return dict(json.loads((data / "config" / "settings.json").read_text()))
    except (OSError, ValueError):
        return {}
