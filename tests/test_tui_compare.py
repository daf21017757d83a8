"""Pilot tests for the compare screen and the article picker, on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_compare_support import HOSTILE_TITLE, Host, make_library, settle

from parallax.compare import compare_articles
from tui.screens.compare import CompareScreen
from tui.screens.picker import ArticlePicker
from tui.widgets.compare_view import CompareRowView, build_rows

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_rows_keep_each_side_in_order_and_pair_matches(tmp_path: Path) -> None:
    _, (a, b, *_) = make_library(tmp_path)
    comparison = compare_articles(a, b)
    rows = build_rows(comparison)
    a_order = [s.index for r in rows for s in r.a]
    b_seen = [s.index for r in rows for s in r.b]
    assert a_order == list(range(len(comparison.sentences_a)))
    assert sorted(b_seen) == list(range(len(comparison.sentences_b)))
    for row in rows:
        for s in row.a:
            if s.status != "only":
                # A matched sentence shares its row with its counterpart
                assert set(s.matches) & {x.index for x in row.b} or row.b_note
    assert any(r.checks for r in rows), "the seed pair's outcome conflict is flagged"


async def test_compare_shows_both_sides_and_summary(tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id, b.id))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None
        assert screen.comparison.a.id == a.id and screen.comparison.b.id == b.id
        summary = str(screen.query_one("#compare-summary").render())
        assert "A in B" in summary and "B in A" in summary and "only in A" in summary
        rows = list(screen.query(CompareRowView))
        assert len(rows) == len(screen.rows) > 10
        checks = [str(w.render()) for w in screen.query(".check")]
        assert checks and all(c.startswith("⚠ check A") for c in checks)
        details = str(screen.query_one("#compare-details").render())
        assert "Quotes" in details and "Figures" in details
        # Yonhap quotes two words of AFP's sentence: a fragment of the same quote.
        quotes = details.split("Entities")[0]
        assert "same" in quotes and "noun into a verb" in quotes and "altered" not in quotes


async def test_next_previous_difference_and_swap(tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id, b.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        diffs = screen.differences
        assert len(diffs) > 2
        await pilot.press("n")
        assert screen.current == diffs[0]
        summary = str(screen.query_one("#compare-summary").render())
        assert summary.startswith(f"diff 1/{len(diffs)}")
        await pilot.press("n", "n")
        assert screen.current == diffs[2]
        await pilot.press("p")
        assert screen.current == diffs[1]
        current = [v for v in screen.query(CompareRowView) if v.has_class("-current")]
        assert [v.index for v in current] == [diffs[1]]
        await pilot.press("w")
        await settle(pilot)
        assert screen.comparison is not None
        assert screen.comparison.a.id == b.id and screen.comparison.b.id == a.id
        assert screen.current is None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_single_story_mate_is_used_without_asking(tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None and screen.comparison.b.id == b.id


async def test_picker_when_several_story_mates(tmp_path: Path) -> None:
    lib, (a, b, third, hostile) = make_library(tmp_path, third=True, hostile=True)
    app = Host(lambda: CompareScreen(lib, a.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        # story-mates first, then any other article (the hostile one is not in the story)
        assert {s.id for s in picker.shown[:2]} == {b.id, third.id}
        assert [s.id for s in picker.shown[2:]] == [hostile.id]
        await pilot.press(*"lands")
        assert [s.id for s in picker.shown] == [third.id]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None and screen.comparison.b.id == third.id
        # `o` picks any article, even outside the story, and shows its title literally
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ArticlePicker)
        await pilot.press(*"evil", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.comparison is not None
        assert app.screen.comparison.b.title == HOSTILE_TITLE
        head = str(app.screen.query_one("#head-b").render())
        assert HOSTILE_TITLE in head


async def test_picker_escape_without_comparison_leaves(tmp_path: Path) -> None:
    lib, (a, *_) = make_library(tmp_path, third=True)
    app = Host(lambda: CompareScreen(lib, a.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArticlePicker)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (ArticlePicker, CompareScreen))


async def test_narrow_terminal_stacks_columns(tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id, b.id))
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        row = app.screen.query(CompareRowView).first()
        cell_a, cell_b = row.query(".cell")
        assert cell_b.region.y > cell_a.region.y


async def test_clicking_a_row_makes_it_current(tmp_path: Path) -> None:
    lib, (a, b, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id, b.id))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        second = list(screen.query(CompareRowView))[1]
        await pilot.click(second)
        await pilot.pause()
        assert screen.current == 1 and second.has_class("-current")
        await pilot.press("n")
        assert screen.current == next(i for i in screen.differences if i > 1)


async def test_picker_caps_rows_and_filters_large_stores(tmp_path: Path) -> None:
    from parallax.model import Article, content_id
    from tui.screens.picker import LIMIT

    lib, (a, *_) = make_library(tmp_path)
    extra = [
        Article(
            id=content_id(f"filler {i}"),
            title=f"Filler story number {i}",
            body=f"filler {i}",
            raw=f"filler {i}",
            source="Bulk",
        )
        for i in range(LIMIT + 50)
    ]
    lib.add_articles(extra)
    app = Host(lambda: ArticlePicker(lib, a.id, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert len(picker.shown) == LIMIT
        assert "type to narrow" in str(picker.query_one("#picker-status").render())
        await pilot.press(*"number 17")
        assert {s.title for s in picker.shown} == {
            f"Filler story number {i}" for i in range(LIMIT + 50) if "17" in str(i)
        }
        await pilot.press(*"2")
        assert [s.title for s in picker.shown] == ["Filler story number 172"]
        chosen = picker.shown[0].id
        await pilot.press("enter")
        await settle(pilot)
    assert app.results == [chosen]


def test_shared_sentences_are_not_differences() -> None:
    from parallax.model import Article, content_id

    shared = [
        "The finance ministers of the group met in Brussels on Monday to discuss the budget.",
        "They agreed to cut agricultural subsidies by ten percent over three years.",
    ]

    def article(extra: str) -> Article:
        body = "\n\n".join([*shared, extra])
        return Article(id=content_id(body), title="t", body=body, raw=body)

    a = article("Farmers protested outside the building throughout the afternoon.")
    b = article("The central bank governor declined to comment on interest rates.")
    rows = build_rows(compare_articles(a, b))
    kinds = [r.kind for r in rows]
    assert kinds[:2] == ["same", "same"]
    assert not rows[0].is_difference and not rows[1].is_difference
    assert kinds[2:] == ["only"] and rows[2].a and rows[2].b


async def test_missing_article_is_reported_not_raised(tmp_path: Path) -> None:
    lib, (a, *_) = make_library(tmp_path)
    app = Host(lambda: CompareScreen(lib, a.id, "ffffffffffff"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is None
        assert "ffffffffffff" in str(screen.query_one("#compare-summary").render())


def test_partial_link_shows_the_share_carried_not_a_low_score() -> None:
    """A clause-level match has a low sentence score by nature: shown as a bare "(0.09)"
    next to a paraphrase mark it would read as "barely related"."""
    from parallax.compare.types import AlignedSentence
    from tui.widgets.compare_view import sentence_text

    part = AlignedSentence(0, "Talks failed, Seoul said.", "paraphrase", [3], 0.09, partial=True)
    part.covered = 0.49
    full = AlignedSentence(1, "Kerry flew to Seoul.", "paraphrase", [0], 0.82)
    only = AlignedSentence(2, "Bae is held.", "only", [], 0.05, covered=0.0)
    text = sentence_text([part, full, only], "A", None).plain.splitlines()
    assert text[0].endswith("(part: 49% carried)") and "0.09" not in text[0]
    assert text[1].endswith("(match 0.82)")
    assert text[2] == "+ A3 Bae is held."
