"""What every use case needs: the store, the account session, the sync engine, a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from desktop.services.session import Session
from desktop.store import Store
from desktop.sync.engine import SyncEngine


@dataclass(frozen=True)
class Context:
    store: Store
    session: Session
    engine: SyncEngine
    clock: Callable[[], datetime]
