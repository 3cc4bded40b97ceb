"""Console pages: each module defines `page = Page(router, NavItem(...))` (see registry.py)."""
