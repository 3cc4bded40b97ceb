"""Rendering console pages: the templates, the navigation and the security headers."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from sync.hub.console.auth import CSRF_FIELD, ConsoleUser
from sync.hub.console.registry import NavItem

TZ_COOKIE = "phonebank_console_tz"  # the browser's time zone (console.js), for times shown
STATIC_PREFIX = "/console/static/"
# Everything comes from the hub itself; nothing may be framed or loaded from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@pass_context
def _csrf_input(context: Any) -> Markup:
    who: ConsoleUser | None = context.get("console_user")
    token = context.get("login_csrf") or (who.csrf_token if who else "")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def _static(name: str) -> str:
    return STATIC_PREFIX + name


def _number(value: int | float | None) -> str:
    return "–" if value is None else f"{value:,}"


def _percent(part: int, whole: int) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f}%"


@pass_context
def _local_time(context: Any, value: datetime | None, fmt: str = "%b %-d, %H:%M") -> Markup:
    """A time in the organizer's zone, in a <time> element carrying the exact UTC instant."""
    if value is None:
        return Markup("–")
    zone: tzinfo = context.get("zone") or UTC
    local = value.astimezone(zone)
    return Markup('<time datetime="{}">{}</time>').format(
        value.astimezone(UTC).isoformat(timespec="seconds"), local.strftime(fmt)
    )


def _highlight(text: str, term: str | None) -> Markup:
    """`text`, escaped, with every case-insensitive occurrence of `term` in <mark>."""
    if not term:
        return escape(text)
    lower, needle = text.lower(), term.lower()
    out, start = [], 0
    while (at := lower.find(needle, start)) >= 0:
        out.append(escape(text[start:at]))
        out.append(Markup("<mark>{}</mark>").format(text[at : at + len(term)]))
        start = at + len(term)
    out.append(escape(text[start:]))
    return Markup("").join(out)


environment = Environment(
    loader=PackageLoader("sync.hub.console", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(csrf_input=_csrf_input, static=_static)
environment.filters.update(
    number=_number, percent=_percent, local_time=_local_time, highlight=_highlight
)
templates = Jinja2Templates(env=environment)


def zone_of(request: Request) -> tzinfo:
    name = request.cookies.get(TZ_COOKIE, "")
    if name and len(name) < 64:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def nav_items(request: Request) -> list[NavItem]:
    return list(getattr(request.app.state, "console_nav", []))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    section: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A console page: `template` with the signed-in user, navigation and CSRF token."""
    full = {
        "console_user": getattr(request.state, "console_user", None),
        "nav": nav_items(request),
        "section": section,
        "zone": zone_of(request),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    response.headers.update({**SECURITY_HEADERS, **(headers or {})})
    return response
