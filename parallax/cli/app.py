"""Commands that open the reader: `parallax` (bare), `parallax demo`, `parallax config`.

`parallax demo` must be safe to run anywhere: it never touches the user's store. It opens a
temporary copy of a demo store built from the bundled seed captures. Building means
ingest + spaCy analysis, which takes seconds, so the built store is cached in the user
cache dir under a key of the Parallax version, the analyser version and the seeds' content;
later runs copy it and open instantly.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax import __version__
from parallax.config import cache_dir, config_path
from parallax.model import ParallaxError

if TYPE_CHECKING:
    from parallax.cli.context import Context

STORE_NAME = "library.json"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "demo" / "seeds"


class DemoBuildError(ParallaxError):
    """The bundled seeds could not be imported and analysed into the demo store."""


class NoTerminalError(ParallaxError):
    """The reader was started without a terminal (e.g. in a pipe)."""

    exit_code = 2


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="open the reader on a temporary copy of the bundled demo store",
        description="Open the reader on a temporary copy of the demo store (the bundled "
        "seed articles, analysed). Your own store is never touched.",
    )
    demo.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached demo store from the seeds"
    )
    demo.add_argument(
        "--print-path",
        action="store_true",
        help="build (if needed) and print the cached demo store's path instead of opening it",
    )
    demo.set_defaults(func=run_demo)

    config = subparsers.add_parser(
        "config",
        help="show where the config file is",
        description="Show the config file's location (PARALLAX_CONFIG overrides it).",
    )
    config.add_argument("--path", action="store_true", help="print only the config file's path")
    config.set_defaults(func=run_config)


# -- config -----------------------------------------------------------------------------


def run_config(args: argparse.Namespace, ctx: Context) -> int:
    path = config_path()
    if args.path:
        sys.stdout.write(f"{path}\n")
        return 0
    cfg = ctx.get_config()
    ctx.print(f"config file: {path}" + ("" if path.exists() else " (not created yet)"))
    ctx.print(f"store: {ctx.store_path}")
    ctx.print(f"theme: {cfg.theme or 'textual-dark (default)'}")
    if cfg.keys:
        ctx.print("keys:")
        for binding_id, keys in sorted(cfg.keys.items()):
            ctx.print(f"  {binding_id} = {keys}")
    return 0


# -- the reader -------------------------------------------------------------------------


def _require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NoTerminalError(
            "the reader needs a terminal (stdin and stdout are not one); "
            "for scripts use `parallax list` / `parallax show` (and `parallax demo "
            "--print-path` for the demo store's path)"
        )


def run_app(library: Any, ctx: Context) -> int:
    """Run the Textual reader on an open store."""
    from tui.app import ParallaxApp

    app = ParallaxApp(library, ctx.get_config())
    app.run()
    return 0


def open_reader(args: argparse.Namespace, ctx: Context) -> int:
    """`parallax` with no command: the reader on the configured store."""
    _require_terminal()
    return run_app(ctx.library(create=True), ctx)


# -- demo -------------------------------------------------------------------------------


def _seed_files() -> list[Path]:
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    if not seeds:
        raise ParallaxError(f"no demo seeds found in {SEEDS_DIR}; the installation is incomplete")
    return seeds


def demo_cache_key(seeds: list[Path]) -> str:
    """Version + analyser version + the code that builds it + seed content.

    Any change rebuilds the demo store, including an upgrade of the cleaning, grouping or
    storage code within one version (a stale demo would show yesterday's results).
    """
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent.parent
    for package in (root, root.parent / "storage"):
        for source in sorted(package.rglob("*.py")):
            if source.is_file():
                digest.update(source.read_bytes())
    try:
        from parallax.analysis import analyzer_version

        digest.update(analyzer_version().encode())
    except ImportError:
        digest.update(b"no-analysis")
    for seed in seeds:
        digest.update(seed.name.encode())
        digest.update(seed.read_bytes())
    return digest.hexdigest()[:16]


def build_demo_store(target_dir: Path, seeds: list[Path]) -> None:
    """Import and analyse the seeds into a new store in `target_dir`."""
    from parallax.cli.pipeline import import_paths
    from storage import Library

    target_dir.mkdir(parents=True, exist_ok=True)
    library = Library.open(target_dir / STORE_NAME, create=True)
    try:
        report = import_paths(library, [str(s) for s in seeds], analyze=True)
    finally:
        library.close()
    # Never cache a demo store that would show nothing or lack analysis.
    if not report.imported or report.failed or not report.analysed:
        problems = "; ".join(
            [f"{f.get('path', '?')}: {f.get('reason', '?')}" for f in report.failed]
            + report.warnings
        )
        raise DemoBuildError(
            f"could not build the demo store from {SEEDS_DIR}"
            + (f" ({problems})" if problems else "")
            + "; check the installation (and the spaCy model: `parallax analyze --help`)"
        )


def cached_demo_store(ctx: Context, *, rebuild: bool = False) -> Path:
    """The cached demo store's directory, built on first use (atomically)."""
    seeds = _seed_files()
    cached = cache_dir() / f"demo-{demo_cache_key(seeds)}"
    if rebuild and cached.exists():
        shutil.rmtree(cached)
    if (cached / STORE_NAME).exists():
        return cached
    ctx.warn("building the demo store from the bundled seeds (first run only)...")
    cached.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="demo-build-", dir=cached.parent))
    try:
        build_demo_store(building, seeds)
        try:
            os.replace(building, cached)
        except OSError:
            # Another `parallax demo` finished first: use its copy.
            if not (cached / STORE_NAME).exists():
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return cached


_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Terminated(SystemExit):
    """Raised from a SIGTERM/SIGHUP handler so `finally` blocks run (the default action
    kills the process on the spot, leaving the demo's temporary copy behind)."""


def _raise_exit(signum: int, _frame: object) -> None:
    raise _Terminated(128 + signum)


@contextlib.contextmanager
def _exit_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (terminal closed) into a normal exit for the duration."""
    previous: dict[int, Any] = {}
    for sig in _CLEANUP_SIGNALS:
        # Outside the main thread signals cannot be set: leave them alone.
        with contextlib.suppress(ValueError, OSError):
            previous[sig] = signal.signal(sig, _raise_exit)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, handler)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Open the reader on a throw-away copy of the demo store, removed however the
    session ends: quitting, an error, Ctrl-C, `kill` (SIGTERM) or a closed terminal
    (SIGHUP)."""
    if not args.print_path:
        _require_terminal()  # before building: a pipe gets its answer at once
    cached = cached_demo_store(ctx, rebuild=args.rebuild)
    if args.print_path:
        sys.stdout.write(f"{cached / STORE_NAME}\n")
        return 0
    from storage import Library

    with _exit_on_signals():
        workdir = Path(tempfile.mkdtemp(prefix="parallax-demo-"))
        try:
            copy = workdir / "demo"
            shutil.copytree(cached, copy)
            library = Library.open(copy / STORE_NAME, create=False)
            try:
                return run_app(library, ctx)
            finally:
                # A throw-away copy: failing to close it cleanly must not stop its removal.
                with contextlib.suppress(Exception):
                    library.close()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


__all__ = ["cached_demo_store", "open_reader", "register", "run_config", "run_demo"]
