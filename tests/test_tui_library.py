"""Pilot tests for the library screen: what a user sees and what the store ends up holding."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from test_tui_library_support import MemoryLibrary, big_library, sample_library

from parallax.config import Config
from parallax.model import Article
from tui.app import ParallaxApp
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.article_list import ArticleList, StoryHeader
from tui.widgets.reader import ReaderView

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_app(lib: Any | None = None, **kw: Any) -> ParallaxApp:
    return ParallaxApp(lib if lib is not None else sample_library(), refresh_interval=0, **kw)


def screen(app: ParallaxApp) -> LibraryScreen:
    return app.library_screen


def titles(app: ParallaxApp) -> list[str]:
    return [s.title for s in app.library_screen.query_one(ArticleList).articles()]


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_list_shows_articles_grouped_by_story() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = screen(app).query_one(ArticleList).rows
        header = rows[0]
        assert isinstance(header, StoryHeader)
        assert header.title == "Kerry visits Seoul"
        assert header.sources == ["xinmsn", "Korea Herald"]
        assert titles(app)[:2] == [
            "Kerry due in Seoul after rare North-South Korea talks",
            "Kerry arrives in Seoul for talks on N. Korea",
        ]
        text = str(screen(app).query_one("#header").render())
        assert "5 articles" in text and "4 unread" in text and "5 shown" in text


async def test_cursor_moves_and_enter_opens_and_marks_read() -> None:
    lib = sample_library()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lst = screen(app).query_one(ArticleList)
        assert lst.current is not None and lst.current.id == "afp0001"
        await pilot.press("j", "j")
        assert lst.current.id == "plain003"
        await pilot.press("k")
        assert lst.current.id == "yna0002"
        await pilot.press("end")
        assert lst.current.id == "star0004"
        await pilot.press("home")
        assert lst.current.id == "afp0001"
        await pilot.press("down", "enter")
        await pilot.pause()
        reader = screen(app).query_one(ReaderView)
        assert reader.article is not None and reader.article.id == "yna0002"
        assert "Kerry arrives in Seoul for talks on N. Korea" in reader.plain_lines()[0]
        assert lib.articles["yna0002"].read is True


async def test_triage_toggle_star_archive_and_undo() -> None:
    lib = sample_library()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert lib.articles["afp0001"].starred is True
        await pilot.press("r")
        assert lib.articles["afp0001"].read is True
        await pilot.press("u")
        assert lib.articles["afp0001"].read is False
        await pilot.press("u")
        assert lib.articles["afp0001"].starred is False
        await pilot.press("x")
        await pilot.pause()
        assert lib.articles["afp0001"].archived is True
        assert "Kerry due in Seoul after rare North-South Korea talks" not in titles(app)
        await pilot.press("u")
        await settle(pilot)
        assert lib.articles["afp0001"].archived is False
        assert "Kerry due in Seoul after rare North-South Korea talks" in titles(app)


async def test_bulk_selection_and_mark_all_read() -> None:
    lib = sample_library()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")  # select the two story articles
        assert screen(app).query_one(ArticleList).selected == {"afp0001", "yna0002"}
        await pilot.press("s")
        assert lib.articles["afp0001"].starred and lib.articles["yna0002"].starred
        assert not lib.articles["plain003"].starred
        await pilot.press("escape")
        assert not screen(app).query_one(ArticleList).selected
        await pilot.press("R")
        assert all(a.read for a in lib.articles.values())
        await pilot.press("u")
        assert not lib.articles["plain003"].read and lib.articles["star0004"].read


async def test_search_filter_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"rates")
        await pilot.press("enter")
        await settle(pilot)
        assert titles(app) == ["Markets calm as central bank holds rates"]
        bar = str(screen(app).query_one("#filter-active").render())
        assert "search:" in bar and "rates" in bar
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:economy", ["plain003"]),
        ("source:guardian", ["star0004"]),
        ("agency:yonhap", ["yna0002"]),
        ("is:starred", ["star0004"]),
        ("is:unread source:reuters", ["plain003"]),
        ("story:st-kerry", ["afp0001", "yna0002"]),
        ("source:herald", ["yna0002"]),  # a word of the name
        ("source:ian", []),  # not the middle of a word ("Guardian")
    ],
)
async def test_field_filters(query: str, expected: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *query, "enter")
        await settle(pilot)
        assert [s.id for s in screen(app).query_one(ArticleList).articles()] == expected


async def test_unread_only_key_and_archived_filter() -> None:
    lib = sample_library()
    lib.articles["plain003"].archived = True
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "plain003" not in [s.id for s in screen(app).query_one(ArticleList).articles()]
        await pilot.press("U")
        assert "star0004" not in [s.id for s in screen(app).query_one(ArticleList).articles()]
        await pilot.press("escape", "slash", *"is:archived", "enter")
        await settle(pilot)
        assert [s.id for s in screen(app).query_one(ArticleList).articles()] == ["plain003"]


async def test_entity_jumps_and_enter_filters_by_entity() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        reader = screen(app).query_one(ReaderView)
        await pilot.press("n")
        assert reader.article is not None and reader.article.analysis is not None
        first = reader.article.analysis.entities[reader.mark.index]  # type: ignore[union-attr]
        assert first.text == "John Kerry"
        await pilot.press("n")
        second = reader.article.analysis.entities[reader.mark.index]  # type: ignore[union-attr]
        assert second.text == "Seoul"
        await pilot.press("p", "p")  # wraps round to the last entity
        last = reader.article.analysis.entities[reader.mark.index]  # type: ignore[union-attr]
        assert last.text == "28,500"
        status = str(screen(app).query_one("#status").render())
        assert "figures" in status and "28,500" in status
        await pilot.press("right_square_bracket")
        assert reader.mark is not None and reader.mark.kind == "quote"
        assert "Min Kyung-wook" in str(screen(app).query_one("#status").render())
        await pilot.press("home", "n", "n")  # Seoul
        await pilot.press("enter")
        await settle(pilot)
        assert [s.id for s in screen(app).query_one(ArticleList).articles()] == [
            "afp0001",
            "yna0002",
        ]
        assert "Seoul" in str(screen(app).query_one("#filter-active").render())


async def test_entity_panel_lists_types_counts_and_notes() -> None:
    from parallax.model import Anchor

    lib = sample_library()
    lib.add_note(
        "afp0001", "check the troop figure", Anchor("28,500", "involving ", " troops", 0, 6)
    )
    lib.add_note("afp0001", "gone passage", Anchor("not in the body", "x", "y", 0, 15))
    app = make_app(lib)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = str(screen(app).query_one("#entity-text").render())
        assert "People (2)" in text and "Places (5)" in text and "2 Seoul" in text
        assert "Quotes (1)" in text and "Min Kyung-wook" in text
        assert "Notes (2)" in text and "[orphaned] gone passage" in text
        assert "check the troop figure" in text


async def test_sort_cycles_and_grouping_toggles() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("O")  # no grouping: newest first
        assert titles(app)[0].startswith("Kerry due")
        await pilot.press("o")  # by source
        sources = [s.source for s in screen(app).query_one(ArticleList).articles()]
        assert sources == sorted(sources, key=lambda s: (s or "").lower())
        await pilot.press("o")  # by title
        assert titles(app) == sorted(titles(app), key=str.lower)


async def test_help_screen_lists_keys_by_screen() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for needle in ("Library screen", "List pane", "Reading pane", "library.star", "Undo"):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_config_remaps_keys_by_binding_id() -> None:
    lib = sample_library()
    cfg = Config(keys={"library.star": "w", "list.down": "ctrl+n", "no.such": "z"})
    app = make_app(lib, config=cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        assert lib.articles["afp0001"].starred
        await pilot.press("s")  # no longer bound
        assert lib.articles["afp0001"].starred
        await pilot.press("ctrl+n")
        assert screen(app).query_one(ArticleList).current.id == "yna0002"  # type: ignore[union-attr]
        assert any("no.such" in w for w in app.config_warnings)
        await pilot.press("question_mark")
        assert "Ctrl+n" in str(app.screen.query_one("#help-text").render())


async def test_config_warns_when_a_remap_takes_another_bindings_key() -> None:
    lib = sample_library()
    # `s` is star's key: archiving with it would leave star unreachable.
    cfg = Config(keys={"library.archive": "s", "list.down": "j,down"})
    app = make_app(lib, config=cfg)
    conflicts = [w for w in app.config_warnings if "bound to both" in w]
    assert len(conflicts) == 1
    assert "library.archive" in conflicts[0] and "library.star" in conflicts[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("bound to both" in m for m in shown)


async def test_external_change_refreshes_the_list() -> None:
    lib = sample_library()
    app = ParallaxApp(lib, refresh_interval=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lib.add_articles(
            [
                Article(
                    id="new00006",
                    title="Breaking: imported elsewhere",
                    body="x",
                    raw="",
                    published="2015-01-01",
                )
            ]
        )
        lib.external_change = True
        for _ in range(40):
            await pilot.pause(0.05)
            if "Breaking: imported elsewhere" in titles(app):
                break
        assert titles(app)[0] == "Breaking: imported elsewhere"
        assert "6 articles" in str(screen(app).query_one("#header").render())


async def test_command_palette_offers_library_actions() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for name in (
            "Toggle star on the selection or current article",
            "Archive the selection or current article",
            "Undo the last triage action",
            "Mark every article in the current filter read",
            "Compare the current article with another of its story",
            "Help: keys",
        ):
            assert name in commands
        # the panes' actions too, each with its key
        assert any("sentence" in t.lower() for t in commands)
        down = next(c for t, c in commands.items() if "(list.down)" in (c.help or ""))
        assert "key: j" in (down.help or "")
        commands["Toggle star on the selection or current article"].callback()
        await settle(pilot)
        assert app.library.articles["afp0001"].starred  # type: ignore[attr-defined]
        down.callback()
        await settle(pilot)
        assert screen(app).query_one(ArticleList).current.id == "yna0002"  # type: ignore[union-attr]


SPACY_PROBE = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from test_tui_library_support import sample_library
from tui.app import ParallaxApp

async def main():
    app = ParallaxApp(sample_library(), refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("enter", "n", "n", "right_square_bracket", "escape", "j", "enter",
                    "c", "escape", "slash", "s", "e", "o", "u", "l", "enter"):
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("question_mark", "escape")
    print("SPACY" if any(m == "spacy" or m.startswith("spacy.") for m in sys.modules) else "CLEAN")

asyncio.run(main())
"""


def test_reader_never_imports_spacy() -> None:
    """Opening, browsing, filtering and comparing never load spaCy (fresh interpreter,
    so other tests that do load it cannot hide an import)."""
    import subprocess
    from pathlib import Path

    tests_dir = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", SPACY_PROBE, tests_dir],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(tests_dir).parent),
    )
    assert out.stdout.strip().endswith("CLEAN"), out.stdout + out.stderr


async def test_big_list_moves_without_touching_the_store() -> None:
    lib: MemoryLibrary = big_library(20_000)
    app = make_app(lib)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lst = screen(app).query_one(ArticleList)
        assert len(lst.articles()) == 20_000
        calls = len(lib.calls)
        await pilot.press("pagedown", "pagedown", "j", "end")
        assert lst.current is not None and lst.current.id == lst.articles()[-1].id
        assert len(lib.calls) == calls  # moving never asks the store
        assert lst.scroll_offset.y > 19_000


async def test_hostile_title_is_shown_literally_and_does_not_quit() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"source:evil", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        lines = screen(app).query_one(ReaderView).plain_lines()
        assert lines[0].lstrip().startswith("[red]x[/] [@click=app.quit]q")
        assert any("[bold]not bold[/]" in line for line in lines)
        await pilot.click("#reader", offset=(12, 0))
        await pilot.pause()
        assert app.is_running


async def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.no_color
        svg = app.export_screenshot()
        # Monochrome: every fill in the screenshot is a shade of grey.
        import re

        chrome = {"ff5f57", "febc2e", "28c840"}  # the window buttons drawn around the terminal
        fills = set(re.findall(r'fill="#([0-9a-f]{6})"', svg)) - chrome
        channels = [[int(f[i : i + 2], 16) for i in (0, 2, 4)] for f in fills]
        assert fills and all(max(c) - min(c) <= 8 for c in channels), fills


async def test_theme_from_config() -> None:
    app = make_app(config=Config(theme="nord"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
    bad = make_app(config=Config(theme="no-such-theme"))
    async with bad.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("no-such-theme" in w for w in bad.config_warnings)


async def test_typing_in_the_filter_does_not_trigger_keys() -> None:
    lib = sample_library()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "q", "question_mark", "s", "x")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LibraryScreen)
        assert not lib.articles["afp0001"].starred and not lib.articles["afp0001"].archived
        await pilot.press("escape")  # cancels the input, keeps the filter
        assert len(titles(app)) == 5


async def test_unread_count_in_header_follows_triage_and_undo() -> None:
    lib = sample_library()
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def header_unread() -> int:
            text = str(screen(app).query_one("#header").render())
            return int(text.split(" unread")[0].split("\u00b7")[-1])

        def real_unread() -> int:
            return sum(1 for a in lib.articles.values() if not a.read and not a.archived)

        for keys in (
            ["enter"],
            ["escape", "j", "r"],
            ["x"],
            ["u"],
            ["u"],
            ["R"],
            ["u"],
            ["j", "x", "r"],
        ):
            await pilot.press(*keys)
            await settle(pilot)
            assert header_unread() == real_unread(), keys


async def test_mouse_click_marks_an_entity_and_double_click_filters() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        reader = screen(app).query_one(ReaderView)
        row = next(i for i, line in enumerate(reader.plain_lines()) if "John Kerry" in line)
        col = reader.plain_lines()[row].index("John Kerry") + 2
        await pilot.click(reader, offset=(col + 1, row))  # +1: the pane's left padding
        assert reader.mark is not None and reader.mark.kind == "entity"
        await pilot.click(reader, offset=(col + 1, row), times=2)
        await settle(pilot)
        assert "John Kerry" in str(screen(app).query_one("#filter-active").render())


async def test_quotes_are_marked_in_the_gutter_and_speakers_kept_out_of_the_text() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        lines = screen(app).query_one(ReaderView).plain_lines()
        quoted = next(i for i, line in enumerate(lines) if "We've become" in line)
        assert lines[quoted].startswith("\u275d ")  # the quote mark sits in the gutter
        speaker = next(i for i in range(quoted, len(lines)) if "\u275e" in lines[i])
        assert all(line[:2] in ("\u2502 ", "  ") for line in lines[quoted + 1 : speaker])
        paragraph = " ".join(line[2:].strip() for line in lines[quoted:speaker])
        assert paragraph.endswith('intentions," said Min Kyung-wook.')  # text untouched
        # who said it, on its own line under the paragraph, not inside the sentence
        assert lines[speaker].strip() == "\u275e Min Kyung-wook"
        plain = [line for line in lines if "Thursday" in line]
        assert plain and plain[0].startswith("  US Secretary")


async def test_real_store_triage_and_annotation_persist(tmp_path: Any) -> None:
    """Against `storage.Library` (TinyDB on disk) with the real note editor."""
    from storage import Library

    path = tmp_path / "library.json"
    library = Library.open(path, create=True)
    library.add_articles(list(sample_library().articles.values()))
    app = ParallaxApp(library, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 5
        first = screen(app).query_one(ArticleList).current
        assert first is not None
        await pilot.press("s", "enter", "full_stop", "a")
        await settle(pilot)
        await pilot.press(*"checked", "ctrl+s")
        await settle(pilot)
    library.close()
    reopened = Library.open(path, create=False)
    article = reopened.get(first.id)
    assert article.starred and article.read
    notes = reopened.notes(first.id)
    assert [n.text for n in notes] == ["checked"]
    assert notes[0].anchor is not None
    assert article.body[notes[0].anchor.start : notes[0].anchor.end] == notes[0].anchor.quote
    reopened.close()


async def test_real_store_change_by_another_writer_shows_up(tmp_path: Any) -> None:
    from storage import Library

    path = tmp_path / "library.json"
    library = Library.open(path, create=True)
    library.add_articles([sample_library().articles["plain003"]])
    app = ParallaxApp(library, refresh_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        other = Library.open(path, create=False)  # as `parallax import` in another terminal
        other.add_articles(
            [
                Article(
                    id="ext0000001",
                    title="Imported elsewhere",
                    body="x",
                    raw="",
                    published="2020-01-01",
                )
            ]
        )
        other.close()
        for _ in range(60):
            await pilot.pause(0.05)
            if "Imported elsewhere" in titles(app):
                break
        assert titles(app)[0] == "Imported elsewhere"
    library.close()


async def test_notes_screen_enter_opens_the_article_at_its_passage() -> None:
    from parallax.anchors import make_anchor as anchor_for

    lib = sample_library()
    body = lib.articles["yna0002"].body
    lib.add_note("yna0002", "troop number differs", anchor_for(body, "28,500"))
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert not isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        reader = screen(app).query_one(ReaderView)
        assert reader.article is not None and reader.article.id == "yna0002"
        assert reader.mark is not None and reader.rendered is not None
        assert reader.rendered.text.plain[reader.mark.start : reader.mark.end] == "28,500"


async def test_story_filter_shows_the_story_title_and_typed_query_is_visible() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # the cursor's article is in st-kerry
        await settle(pilot)
        active = str(screen(app).query_one("#filter-active").render())
        assert "story:Kerry visits Seoul" in active and "st-kerry" not in active
        assert titles(app) and all("Kerry" in t or "Seoul" in t for t in titles(app))
        await pilot.press("escape", "slash", *"kerry")
        await pilot.pause()
        field = screen(app).query_one("#filter-input")
        assert field.region.height == 1 and field.styles.border_top[0] in ("", "none")
        assert "kerry" in str(field.render_line(0).text)  # what one types shows in the bar
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).focused is screen(app).query_one(ArticleList)


async def test_entity_panel_is_focusable_and_enter_filters_by_its_entity() -> None:
    from tui.widgets.entity_panel import EntityPanel

    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:  # wide: the panel shows by default
        await settle(pilot)
        await pilot.press("enter")  # open the first article; focus in the reader
        await settle(pilot)
        panel = screen(app).query_one(EntityPanel)
        assert panel.rows, "the panel lists the article's entities"
        await pilot.press("tab")
        assert screen(app).focused is panel
        await pilot.press("j")
        _, key, name = panel.rows[1]
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).filter.entity == key
        assert name in str(screen(app).query_one("#filter-active").render())
        assert screen(app).focused is screen(app).query_one(ArticleList)


async def test_light_theme_switches_to_readable_highlight_colours() -> None:
    from tui import render

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        dark_people = render.ENTITY_STYLES["people"].color
        app.theme = "textual-light"
        await settle(pilot)
        light_people = render.ENTITY_STYLES["people"].color
        assert light_people != dark_people
        # the open article was re-rendered with the light palette
        reader = screen(app).query_one(ReaderView)
        assert reader.rendered is not None
        mark = reader.rendered.entities[0]
        styles = [s.style for s in reader.rendered.text.spans if s.start <= mark.start < s.end]
        light_colours = {v.color for v in render.ENTITY_STYLES.values()}
        assert any(getattr(st, "color", None) in light_colours for st in styles)
        assert render.QUOTE_STYLE.color is not None
        assert render.QUOTE_STYLE.color.triplet is not None
        assert sum(render.QUOTE_STYLE.color.triplet) < 3 * 128  # dark ink on a light page
        app.theme = "textual-dark"
        await settle(pilot)
        assert render.ENTITY_STYLES["people"].color == dark_people


def test_filter_values_are_counted_and_merged_across_case() -> None:
    from tui.screens.filters import facets

    lib = sample_library()
    lib.articles["plain003"].tags = ["Korea", "economy"]
    found = facets(lib.list())
    tags = [(f.value, f.count, f.unread) for f in found if f.field == "tag"]
    assert tags[0] == ("korea", 2, 2)  # "korea" and "Korea" are one value, most used first
    assert ("economy", 1, 1) in tags
    assert [f.field for f in found] == sorted(
        (f.field for f in found), key=("tag", "source", "agency").index
    )
    assert {f.value for f in found if f.field == "agency"} == {"AFP", "Yonhap"}


async def test_filter_picker_lists_values_and_filters_the_list() -> None:
    from tui.screens.filters import FilterPicker

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, FilterPicker)
        lines = [str(o.prompt) for o in picker.query_one("#filters-list").options]  # type: ignore[attr-defined]
        assert any("[link=http://evil]src[/link]" in line for line in lines)  # literal
        assert any(line.split()[:2] == ["tag", "korea"] for line in lines)
        await pilot.press(*"yonh")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen(app)
        assert titles(app) == ["Kerry arrives in Seoul for talks on N. Korea"]
        assert "agency:Yonhap" in str(screen(app).query_one("#filter-active").render())
        await pilot.press("T", *"econ", "enter")  # a second value narrows further
        await settle(pilot)
        assert titles(app) == []
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5


async def test_selected_rows_still_show_unread() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = screen(app).query_one(ArticleList)
        row = article_list.cursor - round(article_list.scroll_offset.y)
        assert article_list.current is not None and not article_list.current.read
        before = article_list.render_line(row).text
        assert before.startswith("\u25cf")
        await pilot.press("space")
        await pilot.pause()
        line = article_list.render_line(row).text
        assert line.startswith("\u2713\u25cf")  # check mark and the unread dot
        other = article_list.render_line(row + 1).text  # not selected: blank check column
        assert other.startswith(" ")


async def test_footer_keeps_its_keys_across_focus_changes_without_rebuilding() -> None:
    """Enter (focus to the reading pane) and Escape must not rebuild the footer: it shows
    the same keys, and rebuilding them cost ~100 ms a key press."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = list(screen(app).query(FooterKey))
        labels = [k.description for k in keys]
        assert "Search" in labels and "Compare" in labels
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen(app).query_one(ReaderView)
        await pilot.press("escape")
        await settle(pilot)
        assert list(screen(app).query(FooterKey)) == keys  # the same widgets, not rebuilt
        await pilot.press("question_mark")
        await settle(pilot)
        help_labels = [k.description for k in app.screen.query(FooterKey)]
        assert help_labels and help_labels != labels  # another screen shows its own keys
