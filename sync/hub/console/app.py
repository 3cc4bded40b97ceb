"""Mounting the console on the hub's app: its pages, static files and error pages."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from sync.hub.console import errors, pages
from sync.hub.console.registry import NavItem, Page
from sync.hub.deps import HubRoute


def discover_pages() -> list[Page]:
    """Every `page` declared by a module of sync/hub/console/pages/, in module-name order."""
    found = []
    for module_info in sorted(pkgutil.iter_modules(pages.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pages.__name__}.{module_info.name}")
        page = getattr(module, "page", None)
        if isinstance(page, Page):
            found.append(page)
    return found


def mount(app: FastAPI) -> None:
    """Serve the console under /console (and send / there)."""
    nav: list[NavItem] = []
    for page in discover_pages():
        app.include_router(page.router, include_in_schema=False)
        if page.nav is not None:
            nav.append(page.nav)
    app.state.console_nav = sorted(nav, key=lambda item: item.order)
    app.mount(
        "/console/static",
        StaticFiles(packages=[("sync.hub.console", "static")]),
        name="console-static",
    )

    root = APIRouter(route_class=HubRoute)

    @root.get("/", include_in_schema=False)
    async def to_console() -> RedirectResponse:
        return RedirectResponse("/console", status_code=303)

    app.include_router(root)

    errors.install(app)
