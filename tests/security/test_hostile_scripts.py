"""Hostile script files (YAML), made by Hypothesis.

What an organizer depends on: any text gets either a published script or a clear error
(no traceback) that names the question, the field and the line to fix; a refused file
stores nothing, and an accepted one stores exactly the script in the file.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from sync.hub.script_file import ScriptDocument, ScriptError, parse_script
from sync.protocol import QuestionKind
from tests.security.hostile import assert_clear, db_state, examples, fuzz_settings
from tests.support.hub_process import REPO_ROOT, run_hub_cli

GOTV = (REPO_ROOT / "resources" / "scripts" / "gotv.yaml").read_text(encoding="utf-8")
KINDS = {kind.value for kind in QuestionKind}


def outcome(source: str) -> ScriptDocument | ScriptError:
    """parse_script's answer; any exception but ScriptError fails the test (a traceback)."""
    try:
        return parse_script(source)
    except ScriptError as error:
        assert_clear(str(error))
        return error


# ---------------------------------------------------------------- any text at all

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
any_text = st.one_of(
    st.text(max_size=400),
    yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.builds(lambda cut, junk: GOTV[:cut] + junk, st.integers(0, len(GOTV)), st.text()),
)


@examples(short=150, long=5000)
def test_any_text_is_a_script_or_a_clear_error(examples: int) -> None:
    @fuzz_settings(examples, short=examples == 150)
    @given(source=any_text)
    def run(source: str) -> None:
        tally[type(outcome(source)).__name__] += 1

    tally: Counter[str] = Counter()
    run()
    print(f"YAML, any text: {tally.total()} texts, {dict(tally)}")


# ---------------------------------------------------------------- the sample, broken


def question_blocks(source: str) -> list[tuple[int, int]]:
    """The first and last line (1-based) of each question in the file."""
    document = yaml.compose(source)
    assert isinstance(document, yaml.MappingNode)
    for key, value in document.value:
        if key.value == "questions":
            return [(q.start_mark.line + 1, q.end_mark.line + 1) for q in value.value]
    raise AssertionError("no questions")


def sample() -> dict[str, Any]:
    """The sample script as data. Its `value: yes` stays text for the hub (YAML 1.2 booleans)
    but is True for PyYAML's safe_load: quote those first."""
    quoted = GOTV.replace("value: yes,", "value: 'yes',").replace("value: no,", "value: 'no',")
    # The translations' options are keyed by value too.
    quoted = quoted.replace("{yes: ", "{'yes': ").replace(", no: ", ", 'no': ")
    data = yaml.safe_load(quoted)
    assert isinstance(outcome(dump(data)), ScriptDocument)  # unbroken, it is a good script
    return data


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def remove(question: dict[str, Any], field: str) -> None:
    del question[field]


MUTATIONS = {
    # name: (change to one question, the field the error must name)
    "no id": (lambda q, _: remove(q, "id"), "id"),
    "no text": (lambda q, _: remove(q, "text"), "text"),
    "no kind": (lambda q, _: remove(q, "kind"), "kind"),
    "unknown kind": (lambda q, junk: q.update(kind=f"k{junk}"), "kind"),
    "bad id": (lambda q, junk: q.update(id=f"Bad-{junk}id"), "id"),
    "unknown next": (lambda q, junk: q.update(next=f"nowhere{junk}"), "next"),
    "unknown field": (lambda q, junk: q.update({f"extra{junk}": 1}), "extra"),
    "text is a list": (lambda q, _: q.update(text=["a", "b"]), "text"),
    "options not a list": (lambda q, junk: q.update(options=f"o{junk}"), "options"),
}


@examples(short=60, long=2000)
def test_a_broken_script_names_the_question_field_and_line(examples: int) -> None:
    data = sample()
    count = len(data["questions"])

    @fuzz_settings(examples, short=examples == 60)
    @given(
        name=st.sampled_from(sorted(MUTATIONS)),
        index=st.integers(0, count - 1),
        junk=st.text("abcxyz_", max_size=6),
    )
    def run(name: str, index: int, junk: str) -> None:
        broken = copy.deepcopy(data)
        question = broken["questions"][index]
        mutate, field = MUTATIONS[name]
        mutate(question, junk)
        label = repr(question["id"]) if "id" in question else f"'#{index + 1}'"
        source = dump(broken)
        tally[name] += 1
        error = outcome(source)
        assert isinstance(error, ScriptError), f"{name} was accepted"
        assert f"question {label}" in str(error), str(error)
        assert error.field is not None and error.field.startswith(field), str(error)
        first, last = question_blocks(source)[index]
        assert error.line is not None and first <= error.line <= last, (str(error), first, last)

    tally: Counter[str] = Counter()
    run()
    print(f"YAML, broken sample: {tally.total()} scripts, {len(tally)} kinds of damage")


def test_a_duplicate_id_is_named_where_it_repeats() -> None:
    data = sample()
    data["questions"][3]["id"] = data["questions"][1]["id"]
    source = dump(data)
    error = outcome(source)
    assert isinstance(error, ScriptError)
    assert str(error).startswith(f"question {data['questions'][1]['id']!r}: field 'id': duplicate")
    first, last = question_blocks(source)[3]
    assert error.line is not None and first <= error.line <= last


# ---------------------------------------------------------------- the command line


def test_load_script_refuses_a_broken_file_and_stores_nothing(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    assert run_hub_cli(database_url, "create-campaign", "C", "--goal", "10").returncode == 0
    good = tmp_path / "good.yaml"
    good.write_text(GOTV, encoding="utf-8")
    assert run_hub_cli(database_url, "load-script", "1", str(good)).stdout == "1\n"
    before = db_state(engine)
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOTV.replace("kind: scale", "kind: slider"), encoding="utf-8")
    # A real process: what an organizer's terminal shows.
    done = run_hub_cli(database_url, "load-script", "1", str(broken), subprocess_=True)
    assert done.returncode == 2
    line = GOTV[: GOTV.index("kind: scale")].count("\n") + 1
    assert done.stderr.startswith(
        f"error: {broken}: question 'enthusiasm': field 'kind': unknown kind 'slider'"
    )
    assert done.stderr.endswith(f"(line {line}); nothing was stored\n"), done.stderr
    assert_clear(done.stderr)
    assert db_state(engine) == before
    # Version 1 is still exactly the script in the good file.
    [stored] = before["script_versions"]
    expected = parse_script(GOTV)
    assert (stored[2], stored[3]) == (1, expected.title)
