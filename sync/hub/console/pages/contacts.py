"""Contacts: upload a CSV through the page, imported by the same function as
`phonebank-hub import-contacts`, with its report shown and its rejected rows downloadable.

Only the import's public entry point (`sync.hub.importing.import_contacts`) and its report
are used: how it reads files is its own business.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.campaign_pages import campaign_or_404, to_campaign
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import SECURITY_HEADERS, render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import contact_uploads
from sync.hub.crud import lists as lists_crud
from sync.hub.deps import HubRoute, IdPath, SessionDep, SettingsDep
from sync.hub.importing import ImportRefused, ImportReport, RejectedRow, import_contacts
from sync.hub.models import Campaign

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Contacts", "/console/contacts", 60, "contacts"))
MAX_UPLOAD = 500 * 1024 * 1024  # bigger voter files go through the command line
MAX_REJECTS_CSV = 20 * 1024 * 1024  # kept for download; the count is always complete
SHOWN_REJECTS = 200


@router.get("/console/contacts")
def contacts_home(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign: int | None = None
) -> Response:
    return to_campaign(request, session, "contacts", campaign)


def _contacts_page(
    request: Request,
    session: Session,
    campaign: Campaign,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert campaign.id is not None
    context = {
        "campaign": campaign,
        "campaigns": campaigns_crud.list_campaigns(session),
        "lists": lists_crud.list_summaries(session, campaign.id),
        "uploads": contact_uploads.uploads_of(session, campaign.id),
        "error": error,
        "form": form or {},
    }
    session.rollback()
    return render(request, "contacts.html", context, section="contacts", status_code=status_code)


@router.get("/console/contacts/{campaign_id}")
def contacts_page(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign_id: IdPath
) -> Response:
    return _contacts_page(request, session, campaign_or_404(session, campaign_id))


class _Rejects:
    """Rejected rows as the command line's rejects file: the original fields, line, reason."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.writer: Any = None
        self.truncated = False

    def __call__(self, row: RejectedRow, header: list[str]) -> None:
        if self.out.tell() > MAX_REJECTS_CSV:
            self.truncated = True
            return
        if self.writer is None:
            self.writer = csv.writer(self.out)
            self.writer.writerow([*header, "line", "reason"])
        width = len(header)
        values = row.values[:width] + [""] * (width - len(row.values))
        self.writer.writerow([*values, row.line, row.reason, *row.values[width:]])


def _summary(report: ImportReport, rejects: _Rejects) -> dict[str, Any]:
    """What the report page shows (plain data, kept with the upload)."""
    return {
        "rows": report.rows,
        "contacts": report.contacts,
        "households": report.households,
        "households_created": report.households_created,
        "lists": dict(sorted(report.lists.items())),
        "do_not_call": report.do_not_call,
        "rejected": report.rejected,
        # Richer reports name more (by reason, held back, warnings): shown when there.
        "reasons": dict(getattr(report, "reasons", {}) or {}),
        "held_back": dict(getattr(report, "held_back", {}) or {}),
        "warnings": list(getattr(report, "warnings", []) or []),
        "rejects": [{"line": r.line, "reason": r.reason} for r in report.rejects[:SHOWN_REJECTS]],
        "rejects_truncated": rejects.truncated,
    }


@router.post("/console/contacts/{campaign_id}/upload")
def upload_contacts(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    file: Annotated[UploadFile, File()],
    list_name: Annotated[str, Form(max_length=200)] = "",
    list_column: Annotated[str, Form(max_length=200)] = "",
    region: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    session.rollback()
    form = {"list_name": list_name, "list_column": list_column, "region": region}
    name = Path(file.filename or "contacts.csv").name.replace("\0", "")[:200] or "contacts.csv"
    if list_name.strip() and list_column.strip():
        return _contacts_page(
            request,
            session,
            campaign,
            error="Give either a list name or a list column, not both.",
            form=form,
            status_code=400,
        )
    rejects = _Rejects()
    with tempfile.TemporaryDirectory(prefix="phonebank-upload-") as folder:
        path = Path(folder) / name  # the list is named after the file, as on the command line
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1024 * 1024)
        if path.stat().st_size > MAX_UPLOAD:
            return _contacts_page(
                request,
                session,
                campaign,
                error=f"{name} is larger than {MAX_UPLOAD // 2**20} MB: import it with "
                "phonebank-hub import-contacts on the hub's machine.",
                form=form,
                status_code=413,
            )
        try:
            report = _import(
                request,
                campaign_id,
                path,
                list_name,
                list_column,
                region or settings.default_region,
                rejects,
            )
        except ImportRefused as exc:
            return _contacts_page(
                request,
                session,
                campaign,
                error=f"{name}: {exc}; nothing was imported.",
                form=form,
                status_code=400,
            )
        except SQLAlchemyError as exc:
            first = (str(exc).splitlines() or [""])[0][:200]
            return _contacts_page(
                request,
                session,
                campaign,
                error=f"{name}: the database refused the import ({first}); nothing was "
                "imported. If another import ran at the same time, try again.",
                form=form,
                status_code=409,
            )
    upload = contact_uploads.save_upload(
        session,
        campaign_id,
        name,
        who.id,
        _summary(report, rejects),
        report.rejected,
        rejects.out.getvalue(),
    )
    session.commit()
    return RedirectResponse(f"/console/contacts/uploads/{upload.id}", status_code=303)


def _import(
    request: Request,
    campaign_id: int,
    path: Path,
    list_name: str,
    list_column: str,
    region: str,
    rejects: _Rejects,
) -> ImportReport:
    """The command line's import: good rows in one transaction, kept only when any were."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        try:
            report = import_contacts(
                session,
                campaign_id,
                path,
                list_name=list_name.strip() or None,
                list_column=list_column.strip() or None,
                region=region,
                on_reject=rejects,
            )
            if report.contacts:
                session.commit()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
    return report


@router.get("/console/contacts/uploads/{upload_id}")
def upload_report(
    request: Request, session: SessionDep, who: ConsoleOrganizer, upload_id: IdPath
) -> Response:
    upload = contact_uploads.get_upload(session, upload_id)
    if upload is None:
        raise HTTPException(404, f"There is no upload with id {upload_id}.")
    campaign = campaign_or_404(session, upload.campaign_id)
    session.rollback()
    return render(
        request,
        "contacts_report.html",
        {"upload": upload, "campaign": campaign, "r": upload.report},
        section="contacts",
    )


@router.get("/console/contacts/uploads/{upload_id}/rejects.csv")
def upload_rejects(
    request: Request, session: SessionDep, who: ConsoleOrganizer, upload_id: IdPath
) -> Response:
    upload = contact_uploads.get_upload(session, upload_id)
    if upload is None or not upload.rejects_csv:
        raise HTTPException(404, f"Upload {upload_id} has no rejected rows.")
    session.rollback()
    stem = Path(upload.file_name).stem or "contacts"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)[:80]
    return Response(
        upload.rejects_csv,
        media_type="text/csv; charset=utf-8",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{safe}.rejects.csv"',
        },
    )
