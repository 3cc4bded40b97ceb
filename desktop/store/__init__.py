"""The laptop's SQLite store (no Qt): engine + pragmas, versioned schema, queries."""

from desktop.store.db import (
    CorruptStoreError,
    Store,
    StoreError,
    WrongThreadError,
    quarantine_corrupt_file,
)

__all__ = [
    "CorruptStoreError",
    "Store",
    "StoreError",
    "WrongThreadError",
    "quarantine_corrupt_file",
]
