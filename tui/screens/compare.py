"""The compare screen: two articles of one story side by side, rows aligned by fact.

What it answers at a glance is "what did one source report that the other did not": shared
sentences are subdued (`=`), paraphrases are marked (`≈`, with the matcher's score, or the
share carried when the other side has only part of the sentence) and
sentences only one source carries stand out (`+`). The summary bar gives coverage in each
direction, entities only in A / only in B, how quotes compare (same, altered, one-sided),
figures that differ and "check" flags (possible conflicts, never verdicts). Below the rows
the details list each quote with its word-level difference, each figure and each check.

The comparison itself comes from `parallax.compare.compare_articles` and runs in a worker
thread, so a long pair never freezes the reader.

Keys:

| id                            | keys   | action                                   |
|-------------------------------|--------|------------------------------------------|
| compare.next_difference       | n      | next difference (only / paraphrase / check) |
| compare.previous_difference   | p      | previous difference                      |
| compare.swap                  | w      | swap sides (B becomes A)                 |
| compare.pick                  | o      | compare with another article (picker)    |
| compare.details               | s      | jump to quotes, figures and checks       |
| compare.back                  | Esc    | back to the library                      |

Arrows, PageUp/PageDown, Home/End scroll the rows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from parallax.compare import Comparison, compare_articles
from parallax.compare.types import EntityCoverage, FigureMention, SourceInfo
from parallax.model import Article, ParallaxError
from storage.protocol import ArticleFilter, LibraryProtocol
from tui.screens.picker import ArticlePicker, store_guard
from tui.widgets.compare_view import CompareRow, CompareRowView, build_rows
from tui.widgets.key_footer import KeyFooter

NARROW = 70
"""Below this many columns the two cells of a row stack instead of sitting side by side."""


def percent(ratio: float) -> str:
    return f"{round(ratio * 100):d}%"


def source_label(info: SourceInfo) -> str:
    label = info.source or "unknown source"
    if info.agency and info.agency != info.source:
        label += f" ({info.agency})"
    return label


def head_text(side: str, info: SourceInfo) -> Text:
    """A column header: side letter, source and title (title is literal article text)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{side} ", style="bold reverse")
    text.append(" " + source_label(info), style="bold")
    text.append("\n")
    text.append(info.title or "(untitled)", style="italic")
    return text


def entity_line(label: str, entities: list[EntityCoverage], side: str) -> Text:
    """ "only in A (3): China 4, Asia 1" — counts are that side's mentions."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{label} ({len(entities)}): ", style="bold")
    if not entities:
        text.append("none", style="dim")
    for k, entity in enumerate(entities):
        if k:
            text.append(", ", style="dim")
        text.append(entity.text)
        count = entity.count_a if side == "a" else entity.count_b
        text.append(f" {count}", style="dim")
    return text


def summary_text(comparison: Comparison, position: tuple[int, int] | None = None) -> Text:
    """The three-line summary bar (coverage, quotes, figures, checks; entity lists).

    `position` is (current difference, number of differences), shown first when set.
    """
    quotes = comparison.quotes
    same = sum(1 for q in quotes if q.status == "same")
    altered = sum(1 for q in quotes if q.status == "altered")
    one_sided = sum(1 for q in quotes if q.status in ("only_a", "only_b"))
    differ = len(comparison.figures.differ)
    checks = len(comparison.conflicts)
    line = Text(no_wrap=True, overflow="ellipsis")
    if position is not None:
        line.append(f"diff {position[0]}/{position[1]}", style="bold reverse")
        line.append("  ")
    line.append("A in B ", style="bold")
    line.append(percent(comparison.a_in_b))
    line.append(" · ", style="dim")
    line.append("B in A ", style="bold")
    line.append(percent(comparison.b_in_a))
    line.append("  quotes ", style="bold")
    line.append(f"{same} same · {altered} altered · {one_sided} one-sided")
    line.append("  figures ", style="bold")
    line.append(f"{differ} differ")
    line.append("  ")
    line.append(f"⚠ {checks} check", style="bold" if checks else "dim")
    line.append("   = same  ≈ paraphrase  + one source only", style="dim")
    if not comparison.analysed:
        line.append("   (not analysed: entities estimated from the text)", style="dim")
    out = Text("\n").join(
        [
            line,
            entity_line("only in A", comparison.entities_only_a, "a"),
            entity_line("only in B", comparison.entities_only_b, "b"),
        ]
    )
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


def _figure(f: FigureMention) -> str:
    return f.text + (f" [{f.unit}]" if f.unit else "")


def details_text(comparison: Comparison) -> Text:
    """Quotes (with word differences), figures and checks, in full."""
    out = Text()

    def heading(title: str) -> None:
        if out:
            out.append("\n\n")
        out.append(title, style="bold underline")

    heading("Quotes")
    if not comparison.quotes:
        out.append("\n  none found", style="dim")
    labels = {"same": "same", "altered": "altered", "only_a": "only in A", "only_b": "only in B"}
    for q in comparison.quotes:
        out.append(f"\n  {labels.get(q.status, q.status)}", style="bold")
        speaker = q.speaker_a or q.speaker_b
        if speaker:
            out.append(" — ")
            out.append(speaker)
        if q.speaker_differs:
            out.append(" (speaker differs: ", style="bold")
            out.append(q.speaker_a or "?")
            out.append(" / ")
            out.append(q.speaker_b or "?")
            out.append(")", style="bold")
        if q.a is not None:
            out.append("\n    A “", style="dim")
            out.append(q.a)
            out.append("”", style="dim")
        if q.b is not None and q.status != "same":
            out.append("\n    B “", style="dim")
            out.append(q.b)
            out.append("”", style="dim")
        for d in q.diff:
            out.append("\n      ")
            if d.a:
                out.append("− ", style="bold red")
                out.append(d.a, style="strike")
            if d.a and d.b:
                out.append("  ")
            if d.b:
                out.append("+ ", style="bold green")
                out.append(d.b, style="underline")

    heading("Entities")
    for label, entities, side in (
        ("only in A", comparison.entities_only_a, "a"),
        ("only in B", comparison.entities_only_b, "b"),
    ):
        out.append(f"\n  {label} ({len(entities)}): ", style="bold")
        out.append(
            ", ".join(f"{e.text} {e.count_a if side == 'a' else e.count_b}" for e in entities)
            or "none"
        )
    both = comparison.entities_both
    out.append(f"\n  in both ({len(both)}): ", style="bold")
    out.append(", ".join(f"{e.text} {e.count_a}/{e.count_b}" for e in both) or "none")

    figures = comparison.figures
    heading("Figures")
    if not (figures.differ or figures.only_a or figures.only_b):
        out.append("\n  no differing or one-sided figures", style="dim")
    for fa, fb in figures.differ:
        out.append("\n  differ  ", style="bold")
        out.append(f"A {_figure(fa)}")
        out.append("  vs  ", style="dim")
        out.append(f"B {_figure(fb)}")
    for label, items in (("only in A", figures.only_a), ("only in B", figures.only_b)):
        if items:
            out.append(f"\n  {label}  ", style="bold")
            out.append(", ".join(_figure(f) for f in items))

    heading("Check (possible conflicts — not verdicts)")
    if not comparison.conflicts:
        out.append("\n  nothing flagged", style="dim")
    for c in comparison.conflicts:
        out.append(f"\n  ⚠ A{c.a + 1} ↔ B{c.b + 1}: ", style="bold")
        out.append(c.reason)
        out.append("\n    A ", style="dim")
        out.append(c.text_a)
        out.append("\n    B ", style="dim")
        out.append(c.text_b)
    return out


class CompareScreen(Screen[None]):
    """Compare `article_id` (side A) with `other_id` (side B), or ask which article."""

    CSS_PATH = "compare.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_difference", "Next diff", id="compare.next_difference"),
        Binding("p", "previous_difference", "Prev diff", id="compare.previous_difference"),
        Binding("w", "swap", "Swap", id="compare.swap"),
        Binding("o", "pick", "Other article", id="compare.pick"),
        Binding("s", "details", "Details", show=False, id="compare.details"),
        Binding("escape", "back", "Back", id="compare.back"),
    ]

    ACTION_HELP: ClassVar[dict[str, str]] = {
        "next_difference": "Next difference: a one-source sentence, a paraphrase or a check",
        "previous_difference": "Previous difference",
        "swap": "Swap the two sides",
        "pick": "Compare with another article (picker; story-mates first)",
        "details": "Jump to the quotes, figures and checks below the rows",
        "back": "Back to the library",
    }

    def __init__(
        self, library: LibraryProtocol, article_id: str, other_id: str | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.other_id = other_id
        self.comparison: Comparison | None = None
        self.rows: list[CompareRow] = []
        self.current: int | None = None
        """Index into `rows` of the highlighted difference."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-heads"):
            yield Static(Text("A", style="bold reverse"), id="head-a", classes="head")
            yield Static(Text("B", style="bold reverse"), id="head-b", classes="head")
        yield Static(Text("Comparing…", style="dim"), id="compare-summary")
        yield VerticalScroll(id="compare-rows", can_focus=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#compare-rows").focus()
        self._load(self.article_id, self.other_id)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="compare")
    def _load(self, article_id: str, other_id: str | None) -> None:
        """Fetch both articles and compare them, off the UI thread."""
        try:
            with store_guard(self.app):
                a = self.library.get(article_id)
                story = a.story
                if other_id is None and story:
                    mates = [
                        s.id
                        for s in self.library.list(ArticleFilter(story=story, all_=True))
                        if s.id != a.id
                    ]
                    if len(mates) == 1:
                        other_id = mates[0]
                b: Article | None = self.library.get(other_id) if other_id else None
        except ParallaxError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if b is None:
            self.app.call_from_thread(self._ask_other, a.id, story)
            return
        try:
            comparison = compare_articles(a, b)
        except Exception as exc:  # a comparison bug must not take the reader down
            self.app.call_from_thread(self._failed, f"comparison failed: {exc}")
            return
        # mypy cannot infer call_from_thread's return type for a coroutine function.
        self.app.call_from_thread(self._show, a.id, b.id, comparison)  # type: ignore[arg-type]

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)
        if self.comparison is None:
            self.query_one("#compare-summary", Static).update(Text(message, style="red"))

    def _ask_other(self, article_id: str, story: str | None) -> None:
        def chosen(other: str | None) -> None:
            if other:
                self._load(article_id, other)
            elif self.comparison is None and self.is_current:
                self.dismiss()

        self.app.push_screen(ArticlePicker(self.library, article_id, story), chosen)

    async def _show(self, article_id: str, other_id: str, comparison: Comparison) -> None:
        self.article_id, self.other_id = article_id, other_id
        self.comparison = comparison
        self.rows = build_rows(comparison)
        self.current = None
        self.query_one("#head-a", Static).update(head_text("A", comparison.a))
        self.query_one("#head-b", Static).update(head_text("B", comparison.b))
        self.query_one("#compare-summary", Static).update(summary_text(comparison))
        scroll = self.query_one("#compare-rows", VerticalScroll)
        await scroll.remove_children()
        widgets: list[Static | CompareRowView] = [
            CompareRowView(row, i) for i, row in enumerate(self.rows)
        ]
        widgets.append(Static(details_text(comparison), id="compare-details"))
        await scroll.mount_all(widgets)
        scroll.scroll_home(animate=False)

    # -- actions ------------------------------------------------------------------------

    @property
    def differences(self) -> list[int]:
        """Row indexes `n`/`p` visit, top to bottom."""
        return [i for i, row in enumerate(self.rows) if row.is_difference]

    def action_next_difference(self) -> None:
        self.move_difference(1)

    def action_previous_difference(self) -> None:
        self.move_difference(-1)

    def move_difference(self, direction: int) -> None:
        """Highlight the next (1) or previous (-1) difference, wrapping around."""
        diffs = self.differences
        if not diffs:
            self.notify("No differences: the two articles say the same.", markup=False)
            return
        if self.current is None:
            target = diffs[0] if direction > 0 else diffs[-1]
        elif direction > 0:
            target = next((i for i in diffs if i > self.current), diffs[0])
        else:
            target = next((i for i in reversed(diffs) if i < self.current), diffs[-1])
        self._highlight(target)

    @on(CompareRowView.Selected)
    def _row_clicked(self, event: CompareRowView.Selected) -> None:
        self._highlight(event.index, scroll=False)

    def _highlight(self, index: int, *, scroll: bool = True) -> None:
        views = list(self.query(CompareRowView))
        for view in views:
            view.set_class(view.index == index, "-current")
        self.current = index
        diffs = self.differences
        if self.comparison is not None and index in diffs:
            position = (diffs.index(index) + 1, len(diffs))
            self.query_one("#compare-summary", Static).update(
                summary_text(self.comparison, position)
            )
        if scroll and 0 <= index < len(views):
            self.query_one("#compare-rows", VerticalScroll).scroll_to_widget(
                views[index], animate=False, top=True
            )

    def action_swap(self) -> None:
        if self.comparison is None or self.other_id is None:
            return
        self._load(self.other_id, self.article_id)

    def action_pick(self) -> None:
        story: str | None = None
        try:
            with store_guard(self.app):
                story = self.library.summary(self.article_id).story
        except ParallaxError:
            story = None

        def chosen(other: str | None) -> None:
            if other:
                self._load(self.article_id, other)

        self.app.push_screen(ArticlePicker(self.library, self.article_id, story), chosen)

    def action_details(self) -> None:
        details = self.query("#compare-details")
        if details:
            self.query_one("#compare-rows", VerticalScroll).scroll_to_widget(
                details.first(), animate=False, top=True
            )

    def action_back(self) -> None:
        self.dismiss()


__all__ = ["CompareScreen", "details_text", "summary_text"]
