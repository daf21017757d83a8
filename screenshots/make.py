"""Regenerate the reader's SVG screenshots at fixed sizes: `uv run python screenshots/make.py`.

Each screen is driven with Textual's Pilot (`App.run_test`) and saved with
`app.save_screenshot`, so the images are exactly what a terminal of that size shows. The
data is the demo store (the bundled seeds, analysed) plus one hostile article, opened as a
temporary copy; when the store or the analyser is unavailable it falls back to the
hand-built articles the tests use. Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from parallax.model import Article  # noqa: E402

HOSTILE = Article(
    id="hostile0001",
    title="[red]x[/] [@click=app.quit]q \x1b]0;pwned\x07",
    body="Markup [bold]stays literal[/], [@click=app.quit]click[/] and [link=file:///etc]links[/link].\n\n"
    "An escape \x1b[31mred\x1b[0m and a [javascript link](javascript:alert(1)) do nothing.",
    raw="",
    source="[link=http://evil]src[/link]",
    published="2014-02-11",
)


def open_library(workdir: Path) -> Any:
    """The demo store (copy) plus a hostile article; else the tests' in-memory sample."""
    try:
        from parallax.cli.app import STORE_NAME, cached_demo_store
        from parallax.cli.context import Context
        from storage import Library  # type: ignore[attr-defined]

        cached = cached_demo_store(Context(store_arg=None))
        shutil.copytree(cached, workdir / "demo")
        library = Library.open(workdir / "demo" / STORE_NAME, create=False)
        library.add_articles([HOSTILE])
        return library
    except Exception as exc:
        print(f"demo store unavailable ({type(exc).__name__}: {exc}); using sample articles")
        from test_tui_library_support import sample_library

        return sample_library()


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


Steps = Callable[[Any], Awaitable[None]]


async def shot(
    library_factory: Callable[[], Any], name: str, size: tuple[int, int], steps: Steps
) -> Path:
    from tui.app import ParallaxApp

    app = ParallaxApp(library_factory(), refresh_interval=0)
    path = OUT / f"{name}-{size[0]}x{size[1]}.svg"
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(filename=path.name, path=str(OUT))
    print(f"wrote {path.relative_to(ROOT)}")
    return path


async def keys(pilot: Any, *presses: str) -> None:
    for key in presses:
        await pilot.press(key)
        await settle(pilot)


async def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    with tempfile.TemporaryDirectory(prefix="parallax-shots-") as tmp:
        counter = iter(range(1000))

        def factory() -> Any:
            return open_library(Path(tmp) / f"s{next(counter)}")

        async def reading(p: Any) -> None:
            await keys(p, "enter", "n", "n")

        async def light(p: Any) -> None:
            p.app.theme = "textual-light"
            await keys(p, "enter", "n", "n")

        async def entities(p: Any) -> None:
            await keys(p, "enter", "right_square_bracket")

        async def filtered(p: Any) -> None:
            await keys(p, "slash", *"seoul", "enter")

        async def help_screen(p: Any) -> None:
            await keys(p, "question_mark")

        async def hostile(p: Any) -> None:
            await keys(p, "slash", *"source:evil", "enter", "enter")

        async def picker(p: Any) -> None:
            await keys(p, "T")

        async def compare(p: Any) -> None:
            await keys(p, "c")

        async def tags(p: Any) -> None:
            await keys(p, "t")

        async def note(p: Any) -> None:
            await keys(p, "enter", "full_stop", "a")

        async def notes(p: Any) -> None:
            names = {" ": "space", "*": "asterisk"}
            text = [names.get(c, c) for c in "Check the **date** against *Yonhap*"]
            await keys(p, "enter", "full_stop", "a", *text, "ctrl+s", "escape", "N")

        await shot(factory, "library", (80, 24), reading)
        await shot(factory, "library", (120, 40), reading)
        await shot(factory, "light", (120, 40), light)
        await shot(factory, "entities", (160, 45), entities)
        await shot(factory, "filter", (120, 40), filtered)
        await shot(factory, "help", (100, 40), help_screen)
        await shot(factory, "hostile", (100, 30), hostile)
        await shot(factory, "picker", (100, 30), picker)
        for name, steps, module in (
            ("compare", compare, "tui.screens.compare"),
            ("tags", tags, "tui.screens.tags"),
            ("note", note, "tui.screens.note"),
            ("notes", notes, "tui.screens.notes"),
        ):
            try:
                __import__(module)
            except ImportError:
                print(f"skipped {name}: {module} is not available")
                continue
            await shot(factory, name, (120, 40), steps)


if __name__ == "__main__":
    asyncio.run(main())
