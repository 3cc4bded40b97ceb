"""The organizer console: server-rendered pages under /console for organizers.

How a page is added (docs/hub.md, "Console: how a page is added"): a module in
`sync/hub/console/pages/` that defines `page = Page(router, NavItem(...))`; `mount()` finds
it, includes its router and shows its navigation entry.
"""

from sync.hub.console.app import mount

__all__ = ["mount"]
