from __future__ import annotations

import argparse

from sync.hub.core.config import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError
