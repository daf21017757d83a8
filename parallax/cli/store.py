"""`parallax doctor`: check the store, and repair it with `--repair` (keeping backups)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.text import Text

if TYPE_CHECKING:
    from parallax.cli.context import Context

_STYLE = {"ok": "green", "warning": "yellow", "error": "bold red"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "doctor",
        help="check the store and repair what can be repaired safely",
        description="Check the store's files (snapshot, journal, content, search index, "
        "permissions). --repair fixes what it safely can and keeps a backup of anything "
        "it changes in the store's .backups folder.",
    )
    p.add_argument("--repair", action="store_true", help="repair what can be repaired safely")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    from storage.doctor import check
    from storage.errors import StoreError

    try:
        report = check(ctx.store_path, repair=args.repair)
    except (StoreError, OSError) as exc:
        # Exit 1 like any other problem found (not a crash): the store is left as it was
        # by the step that failed, and the message says which file.
        detail = str(exc) if isinstance(exc, StoreError) else f"{exc.filename}: {exc.strerror}"
        ctx.error(f"doctor could not finish: {detail}")
        return 1
    if args.json:
        ctx.emit_json(report.to_dict())
    else:
        ctx.print(Text(f"store: {report.path}", style="bold"))
        for f in report.findings:
            mark = "repaired" if f.repaired else f.level
            ctx.print(
                Text(f"{mark:>8}  ", style=_STYLE.get(f.level, ""))
                + Text(f"{f.check}: {f.message}")
            )
        ctx.print(Text("store is healthy" if report.ok else "problems found", style="bold"))
    return 0 if report.ok else 1
