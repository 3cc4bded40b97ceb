"""What a console page module declares: its router and, optionally, its navigation entry."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str  # where the link goes
    order: int  # left to right: Dashboard 10, Listening 20, Volunteers 30, Campaigns 40,
    # Scripts 50, Contacts 60, Exports 70 (Review 25, Do not call 65)
    section: str  # pages render with `section=` this to mark the entry as current


@dataclass(frozen=True)
class Page:
    router: APIRouter
    nav: NavItem | None = None
