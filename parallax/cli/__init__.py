"""The `parallax` command: a scriptable face for everything the reader can do.

Each command group lives in its own module with a `register(subparsers)` function; this
module builds the parser, runs the chosen command with a `Context`, and turns every error
into a clear message (never a traceback; set `PARALLAX_DEBUG=1` to see one).

Exit codes: 0 success, 1 something failed (e.g. a file in an import batch), 2 usage error,
3 store problem (corrupt, locked, newer schema).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from parallax import __version__
from parallax.cli.context import Context
from parallax.model import ParallaxError

# Command modules, in the order their commands appear in `--help`.
COMMAND_MODULES = (
    "parallax.cli.articles",
    "parallax.cli.analysis",
    "parallax.cli.compare",
    "parallax.cli.store",
    "parallax.cli.app",
)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors that name the command and exit 2 without a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="parallax",
        description="Read, tag, annotate and compare news coverage in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"parallax {__version__}")
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="the store file (default: $PARALLAX_STORE, the config's `store`, "
        "or library.json in the user data dir)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `parallax` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args)
    func = getattr(args, "func", None)
    if func is None:
        # `parallax` alone opens the reader on the store.
        func = getattr(args, "default_func", None) or _default_command()
    try:
        code = func(args, ctx)
    except ParallaxError as exc:
        ctx.error(str(exc))
        code = exc.exit_code
    except KeyboardInterrupt:
        ctx.error("interrupted")
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (`parallax list | head`): not an error.
        _silence_stdout()
        code = 0
    except Exception as exc:  # the last line of defence against tracebacks
        if os.environ.get("PARALLAX_DEBUG"):
            raise
        ctx.error(
            f"internal error: {type(exc).__name__}: {exc}. "
            "This is a bug; rerun with PARALLAX_DEBUG=1 for details and report it."
        )
        code = 70
    finally:
        ctx.close()
    return int(code or 0)


def _default_command() -> Callable[[argparse.Namespace, Context], int]:
    """The reader, imported lazily so plain commands never load Textual."""
    from parallax.cli.app import open_reader

    return open_reader


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def run() -> None:
    sys.exit(main())
