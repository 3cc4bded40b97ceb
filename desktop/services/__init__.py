"""Use cases the desktop UI calls (no Qt): see `desktop.services.core.PhonebankCore`."""
