"""Console error pages: HTML, friendly, never a traceback (the log has it)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.hub.console.auth import CsrfRefused, NotSignedIn, OrganizersOnly, who_if_signed_in
from sync.hub.console.render import render

log = logging.getLogger("phonebank.hub")
CONSOLE_PREFIX = "/console"

MESSAGES = {
    404: "There is no such page. It may have been removed, or the address is mistyped.",
    405: "This page cannot be used that way.",
    500: "Something went wrong on the hub. Nothing you saved is lost; please try again. "
    "If it keeps happening, the hub's log says what went wrong.",
}


def is_console(request: Request) -> bool:
    path = request.url.path
    return path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


def error_page(request: Request, status_code: int, message: str = "", title: str = "") -> Response:
    phrase = HTTPStatus(status_code).phrase if status_code in HTTPStatus._value2member_map_ else ""
    return render(
        request,
        "error.html",
        {
            "status_code": status_code,
            "title": title or phrase or "Error",
            "message": message or MESSAGES.get(status_code, phrase),
        },
        status_code=status_code,
    )


async def not_signed_in(request: Request, exc: Exception) -> Response:
    target = "/console/login"
    if request.method == "GET" and request.url.path != target:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?next=" + quote(path, safe="")
    return RedirectResponse(target, status_code=303)


async def organizers_only(request: Request, exc: Exception) -> Response:
    return error_page(
        request,
        403,
        "The console is for organizers. Volunteers make their calls in the Phonebank app; "
        "if you should be an organizer, ask one to change your role.",
        title="Organizers only",
    )


async def csrf_refused(request: Request, exc: Exception) -> Response:
    return error_page(
        request,
        403,
        "This form did not come from a page of this console, or it has expired. Go back, "
        "reload the page and try again.",
        title="Form refused",
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not is_console(request):
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 500 else ""
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = ""
    if exc.status_code == 404:  # no route ran: say who is signed in for the page's links
        request.state.console_user = await who_if_signed_in(request)
    return error_page(request, exc.status_code, detail)


def invalid_console_request(request: Request, exc: RequestValidationError) -> Response:
    """A console address with a bad id (404) or a form missing a field (400)."""
    errors = exc.errors()
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return error_page(request, 404)
    fields = sorted({str(error.get("loc", ("", "?"))[-1]) for error in errors})
    return error_page(
        request, 400, f"The form was not filled in completely: check {', '.join(fields)}."
    )


def server_error(request: Request) -> Response:
    return error_page(request, 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(OrganizersOnly, organizers_only)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(StarletteHTTPException, http_error)
