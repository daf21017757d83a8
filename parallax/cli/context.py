"""What every CLI command gets: the store, the config and safe output.

Output rules (the CLI contract):
- `--json` prints exactly one JSON document on stdout (or one per line for streaming
  commands); nothing else goes to stdout.
- Human output uses rich on a terminal and plain text on a pipe.
- Every string from an article, tag or note passes through `terminal_safe` (escape
  sequences made visible) and is printed with markup off.
- Errors and warnings go to stderr, prefixed with "parallax: ".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from parallax.config import Config, load_config, store_path
from parallax.ingest.sanitize import terminal_safe
from parallax.model import ParallaxError

if TYPE_CHECKING:
    from storage import Library


@dataclass
class Context:
    """Per-invocation state shared by all commands."""

    store_arg: str | None
    config: Config | None = None
    _library: Library | None = field(default=None, repr=False)
    out: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    err: Console = field(
        default_factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True)
    )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(store_arg=getattr(args, "store", None))

    # -- configuration and store -------------------------------------------------------

    def get_config(self) -> Config:
        if self.config is None:
            self.config = load_config()
        return self.config

    @property
    def store_path(self) -> Path:
        return store_path(self.store_arg, self.get_config() if not self.store_arg else None)

    def library(self, *, create: bool = False) -> Library:
        """Open the store once per invocation (lazily: `--help` never touches it).

        Only commands that add articles (`import`, the reader) pass `create=True`: a
        read-only command (`list`, `show`, `export`...) pointed at a mistyped `--store`
        must say so, not leave an empty store behind that hides the typo next time.
        The path is checked here first, so a folder or an unwritable location gets a
        message about the path rather than a low-level storage error.
        """
        if self._library is None:
            from storage import Library

            path = self.store_path
            check_store_path(path, create=create)
            self._library = Library.open(path, create=create)
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None

    # -- output -------------------------------------------------------------------------

    @property
    def is_terminal(self) -> bool:
        return self.out.is_terminal

    def emit_json(self, data: Any) -> None:
        """Write one JSON document to stdout (ensure_ascii keeps control chars escaped)."""
        sys.stdout.write(dumps_json(data, indent=2))
        sys.stdout.write("\n")
        sys.stdout.flush()

    def emit_json_line(self, data: Any) -> None:
        sys.stdout.write(dumps_json(data) + "\n")
        sys.stdout.flush()

    def print(self, *parts: str | Text, style: str | None = None) -> None:
        """Print untrusted text safely: escapes made visible, no markup, no highlighting."""
        safe = [p if isinstance(p, Text) else Text(terminal_safe(p)) for p in parts]
        self.out.print(*safe, style=style, markup=False, highlight=False)

    def error(self, message: str) -> None:
        self.err.print(
            Text("parallax: ", style="bold red") + Text(terminal_safe(message)),
            markup=False,
            highlight=False,
        )

    def warn(self, message: str) -> None:
        self.err.print(
            Text("parallax: ", style="yellow") + Text(terminal_safe(message)),
            markup=False,
            highlight=False,
        )


class StorePathError(ParallaxError):
    """`--store` (or PARALLAX_STORE / the config) names a path that cannot be a store."""

    exit_code = 3


def check_store_path(path: Path, *, create: bool) -> None:
    """Refuse a store path that cannot work, with a message saying what to do.

    Raises:
        StorePathError: the path is a folder; there is no store there and this command
            only reads; or it would have to be created in a folder that is not writable.
    """
    shown = terminal_safe(str(path))
    if path.is_dir():
        raise StorePathError(
            f"store path {shown} is a folder; give a file path such as "
            f"{terminal_safe(str(path / 'library.json'))} (with --store or PARALLAX_STORE)"
        )
    if path.exists():
        return
    if not create:
        raise StorePathError(
            f"no store at {shown} yet (nothing was created); import articles first with "
            f"`parallax --store {shlex.quote(shown)} import FILE...`, or check --store / "
            "PARALLAX_STORE for a typo"
        )
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise StorePathError(
            f"cannot create the store at {shown}: {terminal_safe(str(ancestor))} is a file, "
            "not a folder; choose another --store"
        )
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise StorePathError(
            f"cannot create the store at {shown}: folder {terminal_safe(str(ancestor))} is "
            "not writable; choose another --store or fix the folder's permissions"
        )


_UNSAFE_IN_JSON = re.compile("[\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def dumps_json(data: Any, indent: int | None = None) -> str:
    """JSON that is safe on a terminal: C0 are escaped by json itself; C1 (8-bit CSI/OSC)
    and bidi controls, which json leaves raw with ensure_ascii=False, are escaped here too.
    Those characters can only occur inside JSON strings, so `\\uXXXX` keeps it valid."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
