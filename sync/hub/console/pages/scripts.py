"""Scripts: upload a YAML file, see `load-script`'s own messages, preview the script as a
volunteer's call screen shows it (every branch walkable, server-side), then publish.

Nothing reaches volunteers before Publish: an upload is a draft (`crud/script_drafts.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.campaign_pages import campaign_or_404, to_campaign
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import script_drafts
from sync.hub.crud import scripts as scripts_crud
from sync.hub.deps import HubRoute, IdPath, SessionDep
from sync.hub.models import Campaign, ScriptDraft
from sync.hub.script_file import MAX_FILE_BYTES, ScriptDocument, ScriptError, script_text
from sync.protocol import Question, QuestionKind, Script

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Scripts", "/console/scripts", 50, "scripts"))
SAMPLE = {"first_name": "Maria", "last_name": "Santos"}  # the contact the preview calls
KIND_NAMES = {
    QuestionKind.choice: "one answer",
    QuestionKind.multi: "any number of answers",
    QuestionKind.scale: "a number",
    QuestionKind.yesno: "yes or no",
    QuestionKind.text: "free text",
}


@router.get("/console/scripts")
def scripts_home(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign: int | None = None
) -> Response:
    return to_campaign(request, session, "scripts", campaign)


def _scripts_page(
    request: Request,
    session: Session,
    campaign: Campaign,
    *,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> Response:
    assert campaign.id is not None
    context = {
        "campaign": campaign,
        "campaigns": campaigns_crud.list_campaigns(session),
        "published": scripts_crud.latest_script(session, campaign.id),
        "drafts": [
            {"draft": d, "title": _title(d)} for d in script_drafts.drafts_of(session, campaign.id)
        ],
        "error": error,
        "notice": notice,
        "max_kb": MAX_FILE_BYTES // 1000,
    }
    session.rollback()
    return render(request, "scripts.html", context, section="scripts", status_code=status_code)


def _title(draft: ScriptDraft) -> str:
    try:
        return script_drafts.draft_document(draft).title
    except ScriptError:  # valid when stored; the rules may have grown since
        return "(no longer valid)"


@router.get("/console/scripts/{campaign_id}")
def scripts_page(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    published: int | None = None,
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    notice = (
        f"Published as version {published}: volunteers get it at their next sync."
        if published
        else ""
    )
    return _scripts_page(request, session, campaign, notice=notice)


@router.post("/console/scripts/{campaign_id}/upload")
def upload_script(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    file: Annotated[UploadFile, File()],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    name = (file.filename or "script.yaml").replace("\0", "")[:200]
    data = file.file.read(MAX_FILE_BYTES + 1)
    try:
        if not data.strip():
            raise ScriptError("the file is empty")
        draft, _ = script_drafts.save_draft(
            session, campaign_id, script_text(data), file_name=name, created_by=who.id
        )
        session.commit()
    except ScriptError as exc:
        session.rollback()
        # The very message `phonebank-hub load-script` prints for this file.
        return _scripts_page(
            request, session, campaign, error=f"{name}: {exc}; nothing was stored", status_code=400
        )
    return RedirectResponse(f"/console/scripts/drafts/{draft.id}", status_code=303)


@dataclass(frozen=True)
class Step:
    question: Question
    number: int
    answer: Any  # as the app records it: str, list[str]
    shown: str  # the answer as the volunteer saw it (labels)


def _as_script(doc: ScriptDocument, campaign_id: int) -> Script:
    return Script(
        id=0,
        campaign_id=campaign_id,
        version=0,
        title=doc.title,
        intro=doc.intro,
        closing=doc.closing,
        questions=doc.questions,
        language=doc.language,
        translations=doc.translations,
    )


def _walk(script: Script, raw_steps: list[str]) -> tuple[list[Step], Question | None]:
    """Follow the answers given so far (`qid=value`) from the first question: the steps
    taken and the question asked now (None: the script is finished). An answer that does
    not fit where the walk is (an edited address) ends the walk there."""
    steps: list[Step] = []
    current = script.first_question_id()
    for raw in raw_steps:
        qid, _, value = raw.partition("=")
        question = script.question(current) if current else None
        if question is None or qid != question.id:
            break
        answer: Any = value
        labels = {o.value: o.label for o in question.choices()}
        if question.kind == QuestionKind.multi:
            answer = [v for v in value.split("|") if v in labels]
            shown = ", ".join(labels[v] for v in answer) or "(nothing chosen)"
        elif question.kind == QuestionKind.text:
            shown = value or "(left empty)"
        elif value in labels:
            shown = labels[value]
        else:
            break
        steps.append(Step(question, len(steps) + 1, answer, shown))
        current = script.next_question_id(question.id, answer)
    question = script.question(current) if current else None
    return steps, question


def _fill(text: str, volunteer_name: str) -> str:
    values = {**SAMPLE, "volunteer_name": volunteer_name}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _routes(script: Script) -> list[dict[str, Any]]:
    """Every question and where each of its answers leads: the whole branching at a glance."""
    out = []
    for question in script.questions:
        goes = []
        if question.kind in (QuestionKind.choice, QuestionKind.yesno):
            for option in question.choices():
                goes.append((option.label, script.next_question_id(question.id, option.value)))
        else:
            goes.append(("any answer", script.next_question_id(question.id, None)))
        out.append({"question": question, "goes": goes, "kind": KIND_NAMES[question.kind]})
    return out


def _preview(
    request: Request,
    who: ConsoleOrganizer,
    script: Script,
    base: str,
    steps: list[str],
    extra: dict[str, Any],
    lang: str | None = None,
) -> Response:
    """The call screen's walk through `script`, in one of its languages (`lang`; its own
    when it has no such translation): the same questions, answers' codes and branches."""
    language = lang if lang in script.languages() else script.language
    languages = [
        {"code": code, "own": code == script.language, "current": code == language}
        for code in script.languages()
    ]
    script = script.in_language(language)
    taken, question = _walk(script, steps)
    kept = [f"{s.question.id}={'|'.join(s.answer) if isinstance(s.answer, list) else s.answer}"
            for s in taken]  # fmt: skip
    context = {
        "script": script,
        "intro": _fill(script.intro, who.name or "the volunteer"),
        "closing": _fill(script.closing, who.name or "the volunteer"),
        "steps": taken,
        "kept": kept,
        "question": question,
        "number": len(taken) + 1,
        "kind_name": KIND_NAMES.get(question.kind, "") if question else "",
        "base": base,
        "routes": _routes(script),
        "sample": SAMPLE,
        "language": language,
        "languages": languages,
        **extra,
    }
    return render(request, "script_preview.html", context, section="scripts")


def _steps(step: list[str], q: str | None, v: list[str]) -> list[str]:
    steps = [s[:2000] for s in step[:200]]
    if q:  # a text or multiple-choice answer, typed or ticked
        steps.append(f"{q}={'|'.join(v)[:2000]}")
    return steps


@router.get("/console/scripts/drafts/{draft_id}")
def preview_draft(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    draft_id: IdPath,
    step: Annotated[list[str], Query()] = [],  # noqa: B006  (FastAPI copies defaults)
    q: str | None = None,
    v: Annotated[list[str], Query()] = [],  # noqa: B006
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    draft = script_drafts.get_draft(session, draft_id)
    if draft is None:
        raise HTTPException(404, f"There is no script draft with id {draft_id}.")
    campaign = campaign_or_404(session, draft.campaign_id)
    latest = scripts_crud.latest_script(session, draft.campaign_id)
    session.rollback()
    doc = script_drafts.draft_document(draft)
    return _preview(
        request,
        who,
        _as_script(doc, draft.campaign_id),
        f"/console/scripts/drafts/{draft_id}",
        _steps(step, q, v),
        {
            "campaign": campaign,
            "draft": draft,
            "warnings": doc.warnings,
            "next_version": (latest.version if latest else 0) + 1,
        },
        lang,
    )


@router.get("/console/scripts/{campaign_id}/versions/{version}")
def preview_version(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    version: IdPath,
    step: Annotated[list[str], Query()] = [],  # noqa: B006
    q: str | None = None,
    v: Annotated[list[str], Query()] = [],  # noqa: B006
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    found = scripts_crud.script_by_version(session, campaign_id, version)
    session.rollback()
    if found is None:
        raise HTTPException(404, f"{campaign.name} has no script version {version}.")
    return _preview(
        request,
        who,
        scripts_crud.script_public(found),
        f"/console/scripts/{campaign_id}/versions/{version}",
        _steps(step, q, v),
        {"campaign": campaign, "draft": None, "version": found, "warnings": []},
        lang,
    )


@router.post("/console/scripts/drafts/{draft_id}/publish")
def publish(
    request: Request, session: SessionDep, who: ConsoleOrganizer, draft_id: IdPath
) -> Response:
    draft = script_drafts.get_draft(session, draft_id)
    if draft is None:
        raise HTTPException(404, f"There is no script draft with id {draft_id}.")
    try:
        version = script_drafts.publish_draft(session, draft)
        session.commit()
    except (script_drafts.DraftError, ScriptError) as exc:
        session.rollback()
        raise HTTPException(409, f"This draft cannot be published: {exc}.") from None
    return RedirectResponse(
        f"/console/scripts/{draft.campaign_id}?published={version.version}", status_code=303
    )
