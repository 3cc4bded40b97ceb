"""Keep PySide6 from reading the source of every module imported after it.

PySide6 (6.11) looks, once per newly imported module, for `from __feature__ import ...` by
reading the module's whole source file (`inspect.getsource`). Building the core after the
window shows imports pydantic, requests and the protocol: with the scan, that took about
a third longer (py-spy, `make bench` cold start). No module outside the UI uses Qt (a test
checks the core), and this app selects no `__feature__`, so those modules are marked
"ignore" without reading them — what PySide6 concludes anyway when "PySide6" is not in the
source. UI modules, tests and anything unknown still get PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

# Packages that never import Qt: the core (tests/desktop/test_no_qt_in_core.py) and its
# libraries.
NO_QT_PACKAGES = frozenset(
    {
        "sync", "sqlalchemy", "pydantic", "pydantic_core", "annotated_types",
        "typing_inspection", "typing_extensions", "requests", "urllib3", "idna", "certifi",
        "charset_normalizer", "keyring", "jaraco", "platformdirs", "tzdata", "secretstorage",
        "jeepney", "more_itertools", "importlib_metadata", "zipp", "backports",
    }
)  # fmt: skip
NO_QT_MODULES = (
    "desktop.store", "desktop.sync", "desktop.services", "desktop.settings", "desktop.paths"
)  # fmt: skip


def uses_qt_unknown(name: str) -> bool:
    """False for modules known never to use Qt (the standard library too); True: let
    PySide6 check."""
    top = name.split(".", 1)[0]
    if top in NO_QT_PACKAGES or top in sys.stdlib_module_names:
        return False
    return not any(name == m or name.startswith(m + ".") for m in NO_QT_MODULES)


def skip_source_scan_of_non_qt_modules() -> bool:
    """Install the shortcut; False (and nothing changed) if this PySide6 has no such scan."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, "shortcut", False):
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        return uses_qt_unknown(name) and bool(original(module))

    shortcut: Callable[[ModuleType], bool] = mod_uses_pyside
    shortcut.shortcut = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", shortcut)  # noqa: B010 (a private name)
    return True
