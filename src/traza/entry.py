"""The ``traza`` console command: the CLI, with a bad ``TRAZA_`` variable told in one line
(exit 2) rather than as a traceback; commands read settings as they import."""

from __future__ import annotations

import sys

from traza.cli_common import EXIT_UNUSABLE
from traza.core.settings import BadSettings


def main() -> None:
    try:
        from traza.cli import app

        app()
    except BadSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE) from None
