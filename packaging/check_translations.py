"""Check the interface translations against the sources: `python packaging/check_translations.py`.

Runs pyside6-lupdate over desktop/ into a temporary file (the committed .ts files are left
alone) and says, per language file in resources/translations, every string the sources have
and the file misses, every translation left unfinished or empty, every plural with the wrong
number of forms, every translation that drops a placeholder (%1, %n) or the Alt-key `&`, and
every entry the sources no longer have. Exit status 1 when there is anything to say.
`make translations` runs it after updating the files; tests/desktop/ui/test_translations.py too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations"
SOURCE_LANGUAGE = "en"
# Plural forms per language in Qt's rules (both: one, other).
PLURAL_FORMS = {"en": 2, "es": 2}
PLACEHOLDER = re.compile(r"%L?n|%\d")


@dataclass(frozen=True)
class Entry:
    numerus: bool
    finished: bool
    forms: tuple[str, ...]  # the translation, or its plural forms


Key = tuple[str, str]  # (context, source text)


def sources(root: Path = ROOT) -> list[Path]:
    return sorted((root / "desktop").rglob("*.py"))


def lupdate() -> str:
    found = shutil.which("pyside6-lupdate") or str(
        Path(sys.executable).with_name("pyside6-lupdate")
    )
    return found


def read_catalog(ts: Path) -> dict[Key, Entry]:
    root = ET.parse(ts).getroot()
    catalog: dict[Key, Entry] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            numerus = message.get("numerus") == "yes"
            if translation is None:
                forms: tuple[str, ...] = ()
            elif numerus:
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            catalog[(name, message.findtext("source") or "")] = Entry(
                numerus, kind not in ("unfinished", "vanished", "obsolete"), forms
            )
    return catalog


def extract(files: list[Path]) -> dict[Key, Entry]:
    """What the sources ask to translate, by lupdate itself (the same parser `make
    translations` uses)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sources_es.ts"
        subprocess.run(
            [lupdate(), "-silent", "-locations", "none", *map(str, files), "-ts", str(out)],
            check=True,
        )
        return read_catalog(out)


def problems(ts_dir: Path = TS_DIR, files: list[Path] | None = None) -> list[str]:
    wanted = extract(files if files is not None else sources())
    found: list[str] = []
    ts_files = sorted(ts_dir.glob("phonebank_*.ts"))
    if not ts_files:
        return [f"no phonebank_<language>.ts file in {ts_dir}"]
    for ts in ts_files:
        language = ts.stem.split("_", 1)[1]
        # English is the source: its file carries only the plural forms.
        expected = {
            key: entry
            for key, entry in wanted.items()
            if language != SOURCE_LANGUAGE or entry.numerus
        }
        have = read_catalog(ts)
        for key in expected.keys() - have.keys():
            found.append(f"{ts.name}: missing {key[1]!r} (context {key[0]}): run make translations")
        for key in have.keys() - expected.keys():
            found.append(f"{ts.name}: {key[1]!r} (context {key[0]}) is no longer in the sources")
        for key in expected.keys() & have.keys():
            found.extend(
                f"{ts.name}: {issue}" for issue in entry_problems(key, have[key], language)
            )
    return found


def entry_problems(key: Key, entry: Entry, language: str) -> list[str]:
    context, source = key
    where = f"{source!r} (context {context})"
    if not entry.finished or not all(entry.forms) or not entry.forms:
        return [f"unfinished translation of {where}"]
    issues = []
    if entry.numerus and len(entry.forms) != PLURAL_FORMS.get(language, len(entry.forms)):
        issues.append(f"{where} has {len(entry.forms)} plural forms, not {PLURAL_FORMS[language]}")
    for form in entry.forms:
        if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(source)):
            issues.append(f"{where}: the translation {form!r} changes the placeholders")
        if mnemonics(form) != mnemonics(source):
            issues.append(f"{where}: the translation {form!r} changes the Alt-key (&)")
    return issues


def mnemonics(text: str) -> int:
    return text.replace("&&", "").count("&")


def main(argv: list[str]) -> int:
    ts_dir = Path(argv[0]) if argv else TS_DIR
    found = problems(ts_dir)
    for line in found:
        print(line)
    if not found:
        print(f"translations in {ts_dir}: complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
