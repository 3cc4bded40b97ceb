"""Script files: validation names question, field and line; versions are immutable."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.models import ScriptVersion
from sync.hub.script_file import ScriptError, load_script_file, parse_script
from sync.protocol import END, QuestionKind
from tests.support.hub_process import run_hub_cli

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "gotv.yaml"

HEAD = "title: T\nintro: Hi {first_name}\nquestions:\n"


def script(questions: str) -> str:
    return HEAD + questions


BAD_SCRIPTS = [
    pytest.param(
        script(
            "  - id: support\n    text: Q\n    kind: choice\n    options:\n"
            "      - {value: yes, label: Yes, next: nowhere}\n"
        ),
        "question 'support': field 'options[1].next': unknown question 'nowhere'",
        8,
        id="unknown-option-next",
    ),
    pytest.param(
        script("  - id: a\n    text: Q\n    kind: text\n    next: b\n"),
        "question 'a': field 'next': unknown question 'b'",
        7,
        id="unknown-question-next",
    ),
    pytest.param(
        script("  - id: a\n    text: Q\n    kind: text\n  - id: a\n    text: R\n    kind: yesno\n"),
        "question 'a': field 'id': duplicate id",
        7,
        id="duplicate-id",
    ),
    pytest.param(
        script("  - id: Bad-Id\n    text: Q\n    kind: text\n"),
        "question 'Bad-Id': field 'id': must use only a-z, 0-9 and _",
        4,
        id="bad-id",
    ),
    pytest.param(
        script("  - id: pick\n    text: Q\n    kind: choice\n"),
        "question 'pick': field 'options': a choice question needs at least one option",
        4,
        id="choice-without-options",
    ),
    pytest.param(
        script("  - id: many\n    text: Q\n    kind: multi\n    options: []\n"),
        "question 'many': field 'options': a multi question needs at least one option",
        4,
        id="multi-without-options",
    ),
    pytest.param(
        script("  - id: rate\n    text: Q\n    kind: scale\n    scale_min: 5\n    scale_max: 1\n"),
        "question 'rate': field 'scale_max': must be greater than scale_min",
        8,
        id="scale-bounds",
    ),
    pytest.param(
        script(
            "  - id: a\n    text: Q\n    kind: yesno\n    options:\n"
            "      - {value: yes, next: b}\n      - {value: no, next: end}\n"
            "  - id: b\n    text: R\n    kind: text\n    next: a\n"
        ),
        "question 'b': field 'next': the script loops: a -> b -> a",
        10,
        id="loop",
    ),
    pytest.param(
        script("  - id: a\n    text: Q\n    kind: essay\n"),
        "question 'a': field 'kind': unknown kind 'essay'",
        6,
        id="unknown-kind",
    ),
    pytest.param(
        script("  - id: a\n    text: Q\n    kind: text\n    nxt: end\n"),
        "question 'a': field 'nxt': is not a known field",
        7,
        id="unknown-field",
    ),
    pytest.param(
        script("  - id: a\n    kind: text\n"),
        "question 'a': field 'text': is missing",
        4,
        id="missing-text",
    ),
    pytest.param(
        "intro: Hi\nquestions:\n  - {id: a, text: Q, kind: text}\n",
        "field 'title': is missing",
        None,
        id="missing-title",
    ),
    pytest.param("title: T\nintro: Hi\n", "field 'questions': is missing", None, id="no-questions"),
    pytest.param(
        "title: T\nintro: Hi\nquestions: []\n", "field 'questions': is empty", 3, id="empty-list"
    ),
    pytest.param("title: T\nintro: [unclosed\nquestions: []\n", "not valid YAML", 3, id="bad-yaml"),
    pytest.param("just a sentence\n", "a script file is a mapping", 1, id="not-a-mapping"),
    pytest.param("", "a script file is a mapping", 1, id="empty-file"),
    pytest.param(
        script("  - id: a\n    text: Q\n    kind: text\n    text: R\n"),
        "duplicate key 'text'",
        7,
        id="duplicate-key",
    ),
    pytest.param(
        "a: &x [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &y [*x, *x, *x, *x, *x, *x, *x, *x]\n"
        "c: &z [*y, *y, *y, *y, *y, *y, *y, *y]\nd: [*z, *z, *z, *z, *z, *z, *z, *z]\n",
        "anchors and aliases",
        1,
        id="alias-bomb",
    ),
    pytest.param("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply", None, id="deep"),
    pytest.param(
        "title: T\nintro: Hi {frist_name}\nquestions:\n  - {id: a, text: Q, kind: text}\n",
        "field 'intro': unknown placeholder {frist_name}",
        2,
        id="unknown-placeholder",
    ),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_SCRIPTS)
def test_bad_scripts_are_refused_naming_question_and_field(
    text: str, message: str, line: int | None
) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(text)
    assert message in str(caught.value)
    assert caught.value.line == line


def test_sample_script_parses_with_every_kind_and_its_branches() -> None:
    doc = load_script_file(SAMPLE)
    assert doc.title == "Get out the vote — March 4"
    assert {q.kind for q in doc.questions} == set(QuestionKind)
    support = doc.questions[0]
    # `value: yes` is the text "yes" (YAML 1.1 booleans are off), with its label and branch.
    assert [(o.value, o.label, o.next) for o in support.options] == [
        ("yes", "Yes", "plan"),
        ("undecided", "Undecided", "issue"),
        ("no", "No", END),
    ]


def test_unreachable_questions_are_a_warning_not_an_error(tmp_path: Path) -> None:
    text = script(
        "  - id: a\n    text: Q\n    kind: text\n    next: c\n"
        "  - id: b\n    text: R\n    kind: text\n"
        "  - id: c\n    text: S\n    kind: text\n"
    )
    doc = parse_script(text)
    assert doc.warnings == ["question 'b' can never be reached: no answer or `next` leads to it"]
    assert load_script_file(SAMPLE).warnings == []
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    campaign_id = run_hub_cli(url, "create-campaign", "C", "--goal", "5").stdout.strip()
    source = tmp_path / "s.yaml"
    source.write_text(text)
    loaded = run_hub_cli(url, "load-script", campaign_id, str(source))
    assert (loaded.returncode, loaded.stdout) == (0, "1\n")
    assert loaded.stderr == f"warning: {source}: question 'b' can never be reached: " + (
        "no answer or `next` leads to it\n"
    )


def test_unused_default_next_cannot_make_a_loop() -> None:
    # Every option branches, so the question's own `next` is never taken: no loop.
    doc = parse_script(
        script(
            "  - id: a\n    text: Q\n    kind: choice\n    next: b\n    options:\n"
            "      - {value: x, label: X, next: end}\n"
            "  - id: b\n    text: R\n    kind: text\n    next: a\n"
        )
    )
    assert [q.id for q in doc.questions] == ["a", "b"]


def test_versions_increment_and_old_ones_stay_as_published(engine: Engine) -> None:
    doc = load_script_file(SAMPLE)
    with session_scope(engine) as session:
        campaign = campaigns_crud.create_campaign(session, "C", 100)
        first = scripts_crud.publish_script(session, campaign.id, doc)  # type: ignore[arg-type]
    changed = doc.model_copy(update={"title": "Second take"})
    with session_scope(engine) as session:
        second = scripts_crud.publish_script(session, campaign.id, changed)  # type: ignore[arg-type]
    assert (first.version, second.version) == (1, 2)
    with Session(engine) as session:
        assert scripts_crud.latest_script(session, campaign.id).id == second.id  # type: ignore[arg-type,union-attr]
        old = scripts_crud.get_script_version(session, first.id)  # type: ignore[arg-type]
        assert old is not None and old.title == doc.title
        public = scripts_crud.script_public(old)
    assert public.version == 1 and public.questions == doc.questions
    assert public.next_question_id("support", "yes") == "plan"


def test_concurrent_publishes_get_distinct_versions(engine: Engine) -> None:
    doc = load_script_file(SAMPLE)
    with session_scope(engine) as session:
        campaign_id = campaigns_crud.create_campaign(session, "C", 100).id
    assert campaign_id is not None
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def publish() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(3):
                with session_scope(engine) as session:
                    scripts_crud.publish_script(session, campaign_id, doc)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with Session(engine) as session:
        versions = session.exec(select(ScriptVersion.version)).all()
    assert sorted(versions) == list(range(1, 13))


def test_load_script_cli_prints_version_or_a_clear_error(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    created = run_hub_cli(database_url, "create-campaign", "GOTV", "--goal", "1000")
    assert created.returncode == 0, created.stderr
    campaign_id = created.stdout.strip()
    loaded = run_hub_cli(database_url, "load-script", campaign_id, str(SAMPLE))
    assert (loaded.returncode, loaded.stdout) == (0, "1\n")

    bad = tmp_path / "bad.yaml"
    bad.write_text(script("  - id: a\n    text: Q\n    kind: text\n    next: zzz\n"))
    refused = run_hub_cli(database_url, "load-script", campaign_id, str(bad))
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"error: {bad}: question 'a': field 'next': unknown question 'zzz'"
    )
    assert "Traceback" not in refused.stderr
    missing = run_hub_cli(database_url, "load-script", campaign_id, str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    unknown = run_hub_cli(database_url, "load-script", "999", str(SAMPLE))
    assert unknown.returncode == 2 and "no campaign with id 999" in unknown.stderr
    with Session(engine) as session:
        assert session.exec(select(ScriptVersion.version)).all() == [1]
