"""Check the interface translations against the sources: `python packaging/check_translations.py`.

Runs pyside6-lupdate over desktop/ into a temporary file (the committed .ts files are left
alone) and says, per language file in resources/translations, every string the sources have
and the file misses, every translation left unfinished or empty, every plural with the wrong
number of forms or that the sources no longer mark as one (lupdate would drop its forms),
every translation that drops a placeholder (%1, %n) or the Alt-key `&`, and every entry the
sources no longer have. Exit status 1 when there is anything to say.

`--update` first updates the .ts files from the sources (what `make translations` runs):
`update()` is the one place that says how lupdate is called.
tests/desktop/ui/test_translations.py runs both.
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
# The languages shipped, with their number of plural forms in Qt's rules (both: one, other).
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
    beside = Path(sys.executable).with_name("pyside6-lupdate")  # this environment's own
    return str(beside) if beside.exists() else shutil.which("pyside6-lupdate") or str(beside)


def update(ts_dir: Path = TS_DIR, files: list[Path] | None = None) -> None:
    """Bring phonebank_<language>.ts in `ts_dir` up to date with the sources, for every
    language of PLURAL_FORMS (a new one starts its file); English, the source language, keeps
    only plural forms. Translations already made are kept."""
    common = ["-silent", "-no-obsolete", "-locations", "none", "-source-language", "en"]
    paths = [str(f) for f in (files if files is not None else sources())]
    for language in sorted(PLURAL_FORMS):
        ts = ts_dir / f"phonebank_{language}.ts"
        extra = ["-pluralonly"] if language == SOURCE_LANGUAGE else []
        subprocess.run(
            [lupdate(), *common, "-target-language", language, *extra, *paths, "-ts", str(ts)],
            check=True,
        )


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
            if expected[key].numerus != have[key].numerus:
                found.append(f"{ts.name}: {numerus_problem(key, expected[key].numerus)}")
                continue
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


def numerus_problem(key: Key, plural_in_sources: bool) -> str:
    where = f"{key[1]!r} (context {key[0]})"
    if plural_in_sources:
        return f"{where} is a plural in the sources but not in the file: run make translations"
    # lupdate keeps only a plural it reads as one: QT_TRANSLATE_NOOP, or translate() with a
    # name or an expression for the count, are not (desktop/ui/messages.py says which is).
    return f"{where} is a plural in the file but lupdate does not read it as one in the sources"


def mnemonics(text: str) -> int:
    return text.replace("&&", "").count("&")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--update"]:
        argv = argv[1:]
        update(Path(argv[0]) if argv else TS_DIR)
    ts_dir = Path(argv[0]) if argv else TS_DIR
    found = problems(ts_dir)
    for line in found:
        print(line)
    if not found:
        print(f"translations in {ts_dir}: complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
