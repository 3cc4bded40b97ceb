"""Scripts in several languages: a translation covers every question and option, errors name
the language, question, field and line, and the hub hands the translations to laptops."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.script_file import ScriptError, load_script_file, parse_script
from sync.protocol import Script
from tests.hub.conftest import Account

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "gotv.yaml"

BASE = (
    "title: T\n"  # 1
    "intro: Hi {first_name}\n"  # 2
    "questions:\n"  # 3
    "  - id: support\n"  # 4
    "    text: With us?\n"  # 5
    "    kind: choice\n"  # 6
    "    options:\n"  # 7
    "      - {value: yes, label: Yes}\n"  # 8
    "      - {value: no, label: No}\n"  # 9
    "  - id: plan\n"  # 10
    "    kind: yesno\n"  # 11
    "    text: A plan?\n"  # 12
    "  - id: score\n"  # 13
    "    kind: scale\n"  # 14
    "    text: How likely?\n"  # 15
    "closing: Bye\n"  # 16
    "translations:\n"  # 17
    "  es:\n"  # 18
)

GOOD_ES = (
    "    intro: Hola {first_name}\n"  # 19
    "    closing: Adiós\n"  # 20
    "    questions:\n"  # 21
    "      support:\n"  # 22
    "        text: ¿Con nosotros?\n"  # 23
    "        options: {yes: Sí, no: 'No'}\n"  # 24
    "      plan:\n"  # 25
    "        text: ¿Un plan?\n"  # 26
    "        options: {yes: Sí, no: 'No'}\n"  # 27
    "      score: ¿Qué tan probable?\n"  # 28
)


def test_a_complete_translation_is_kept_with_the_answers_codes() -> None:
    doc = parse_script(BASE + GOOD_ES)
    assert doc.language == "en"
    es = doc.translations["es"]
    assert es.intro == "Hola {first_name}" and es.closing == "Adiós"
    assert es.questions["support"].options == {"yes": "Sí", "no": "No"}
    assert es.questions["score"].text == "¿Qué tan probable?"


@pytest.mark.parametrize(
    ("es", "message", "line"),
    [
        pytest.param(
            GOOD_ES.replace("      score: ¿Qué tan probable?\n", ""),
            "question 'score': field 'translations.es.questions.score': is missing: a "
            "translation covers every question",
            21,
            id="missing-question",
        ),
        pytest.param(
            GOOD_ES.replace(
                "options: {yes: Sí, no: 'No'}\n      plan", "options: {yes: Sí}\n      plan"
            ),
            "question 'support': field 'translations.es.questions.support.options.no': is missing",
            24,
            id="missing-option",
        ),
        pytest.param(
            GOOD_ES.replace(
                "        text: ¿Un plan?\n        options: {yes: Sí, no: 'No'}\n",
                "        text: ¿Un plan?\n",
            ),
            "question 'plan': field 'translations.es.questions.plan.options': is missing: a "
            "mapping of each option's value to its label",
            25,
            id="yesno-labels-missing",
        ),
        pytest.param(
            GOOD_ES.replace(
                "{yes: Sí, no: 'No'}\n      plan", "{yes: Sí, no: 'No', maybe: Quizás}\n      plan"
            ),
            "question 'support': field 'translations.es.questions.support.options.maybe': the "
            "question has no option 'maybe' (its values: yes, no)",
            24,
            id="unknown-option",
        ),
        pytest.param(
            GOOD_ES + "      extra: ¿Otra?\n",
            "field 'translations.es.questions.extra': the script has no question 'extra'",
            29,
            id="unknown-question",
        ),
        pytest.param(
            GOOD_ES.replace("    closing: Adiós\n", ""),
            "field 'translations.es.closing': is missing",
            18,
            id="missing-closing",
        ),
        pytest.param(
            GOOD_ES.replace("Hola {first_name}", "Hola {nombre}"),
            "field 'translations.es.intro': unknown placeholder {nombre}",
            19,
            id="unknown-placeholder",
        ),
        pytest.param(
            GOOD_ES.replace(
                "      score: ¿Qué tan probable?\n", "      score: {text: X, options: {1: Uno}}\n"
            ),
            "question 'score': field 'translations.es.questions.score.options': a scale "
            "question has no options to translate",
            28,
            id="scale-options",
        ),
        pytest.param(
            GOOD_ES.replace("    intro:", "    intor:"),
            "field 'translations.es.intor': is not a known field",
            19,
            id="unknown-field",
        ),
    ],
)
def test_an_incomplete_translation_is_refused_naming_where(
    es: str, message: str, line: int
) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(BASE + es)
    assert str(caught.value).startswith(message), str(caught.value)
    assert caught.value.line == line, str(caught.value)


def test_language_codes_are_checked() -> None:
    with pytest.raises(ScriptError, match=r"'Spanish' is not a language code.*line 18"):
        parse_script(BASE.replace("  es:\n", "  Spanish:\n") + GOOD_ES)
    with pytest.raises(ScriptError, match=r"field 'translations.en': the script itself is in 'en'"):
        parse_script(BASE.replace("  es:\n", "  en:\n") + GOOD_ES)
    doc = parse_script("language: es\n" + BASE.replace("  es:\n", "  en:\n") + GOOD_ES)
    assert doc.language == "es" and list(doc.translations) == ["en"]


def test_switching_language_changes_words_and_keeps_codes_and_branches() -> None:
    doc = load_script_file(SAMPLE)
    script = Script(id=1, campaign_id=1, version=1, **doc.model_dump(exclude={"warnings"}))
    assert script.languages() == ["en", "es"]
    es = script.in_language("es")
    support = es.question("support")
    assert support is not None and support.text.startswith("¿Podemos contar")
    assert [(o.value, o.label) for o in support.choices()] == [
        ("yes", "Sí"),
        ("undecided", "Indeciso/a"),
        ("no", "No"),
    ]
    plan = es.question("plan")
    assert plan is not None and [o.label for o in plan.choices()] == ["Sí", "No"]
    assert es.next_question_id("support", "yes") == script.next_question_id("support", "yes")
    assert es.intro.startswith("Hola") and es.language == "es"
    assert script.in_language("fr") is script  # no such translation: the script's own words


def test_translations_reach_the_laptop_through_the_api(
    engine: Engine, client: TestClient, organizer: Account
) -> None:
    with session_scope(engine) as session:
        campaign = campaigns_crud.create_campaign(session, "C", 100)
        version = scripts_crud.publish_script(session, campaign.id, load_script_file(SAMPLE))  # type: ignore[arg-type]
        script_id = version.id
    response = client.get(f"/api/v1/scripts/{script_id}", headers=organizer.headers)
    assert response.status_code == 200
    script = Script.model_validate(response.json())
    assert script.language == "en"
    assert script.translations["es"].questions["help"].options["ride"] == "Transporte a las urnas"
