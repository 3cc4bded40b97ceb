"""Script languages on the laptop: the translations arrive with the script, each result says
which language was read (and, for a language barrier, which was heard), drafts keep it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore, ResultDraft, UserError
from desktop.services.views import CallDraft
from desktop.store import catalog
from desktop.store import results as results_store
from desktop.store.sql import Connection
from sync.messages import Code, Message
from sync.protocol import QuestionTranslation, ScriptTranslation
from tests.sync_client.local_data import script, seed

SPANISH = ScriptTranslation(
    intro="Hola {first_name}, soy {volunteer_name}",
    questions={
        "support": QuestionTranslation(
            text="¿Contamos con usted?", options={"yes": "Sí", "no": "No"}
        ),
        "issues": QuestionTranslation(text="¿Temas?"),
        "comment": QuestionTranslation(text="¿Algo más?"),
    },
    closing="¡Gracias {first_name}!",
)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[PhonebankCore]:
    core = PhonebankCore(tmp_path / "data")
    seed(core.store)

    def keep_the_spanish_version(conn: Connection) -> None:
        # The same version, as a hub with its Spanish text sends it.
        conn.execute("DELETE FROM scripts")
        catalog.save_script(conn, script().model_copy(update={"translations": {"es": SPANISH}}))

    core.store.run_write(keep_the_spanish_version)
    yield core
    core.close()


def sent(core: PhonebankCore) -> dict[str, tuple[str | None, str | None]]:
    with core.store.read() as conn:
        wire = [r.to_wire() for r in results_store.pending_batch(conn, 10)]
    return {w.disposition: (w.language, w.heard_language) for w in wire}


def test_results_say_the_language_read_and_the_language_heard(core: PhonebankCore) -> None:
    first, second, third = (c.id for c in core.my_list().rows[:3])  # type: ignore[union-attr]
    view = core.call_view(first)
    assert view.script is not None and view.script.languages() == ["en", "es"]
    assert view.intros["es"].startswith("Hola First00, soy")
    core.record_result(ResultDraft(first, "contacted", {"support": "yes"}, language="es"))
    core.record_result(ResultDraft(second, "refused"))  # the script's own language
    # Heard Vietnamese: kept for a language barrier only.
    core.record_result(ResultDraft(third, "language_barrier", heard_language="vi"))
    assert sent(core) == {
        "contacted": ("es", None),
        "refused": ("en", None),
        "language_barrier": ("en", "vi"),
    }


def test_a_language_the_script_lacks_or_a_bad_code_is_refused_in_plain_words(
    core: PhonebankCore,
) -> None:
    first = core.my_list().rows[0].id  # type: ignore[union-attr]
    with pytest.raises(UserError, match="The script has no 'fr' translation") as missing:
        core.record_result(ResultDraft(first, "contacted", language="fr"))
    assert missing.value.msg == Message(Code.SCRIPT_LANGUAGE_MISSING, {"language": "fr"})
    with pytest.raises(UserError, match="'Spanish' is not a language code") as bad:
        core.record_result(ResultDraft(first, "language_barrier", heard_language="Spanish"))
    assert bad.value.msg == Message(Code.LANGUAGE_CODE_INVALID, {"language": "Spanish"})
    assert sent(core) == {}
    # Heard on another outcome: not a language barrier, so nothing to follow up.
    core.record_result(ResultDraft(first, "no_answer", heard_language="es"))
    assert sent(core) == {"no_answer": ("en", None)}


def test_a_draft_keeps_the_language_being_read(core: PhonebankCore) -> None:
    first = core.my_list().rows[0].id  # type: ignore[union-attr]
    core.save_draft(CallDraft(first, answers={"support": "no"}, language="es", heard_language="vi"))
    draft = core.saved_draft()
    assert draft is not None and (draft.language, draft.heard_language) == ("es", "vi")
