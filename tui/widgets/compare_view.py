"""The compare screen's building blocks: aligned rows and their rendering.

`build_rows` turns a `Comparison` (from `parallax.compare`) into rows a reader can scan
top to bottom: each row holds what side A says and what side B says about the same fact,
so the eye never has to hunt for a counterpart. Sentences only one source carries get a
row of their own (the other side left blank) rather than being zipped beside an unrelated
sentence, which would suggest a correspondence that the engine did not find.

Everything article-derived is rendered as `rich.text.Text` (never markup), so a sentence
like `[red]x[/]` shows literally. Each status also has a mark (`=`, `≈`, `+`) so the
columns stay readable with NO_COLOR or on a monochrome terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from parallax.compare.types import AlignedSentence, Comparison, Conflict

MARKS = {"same": "=", "paraphrase": "≈", "only": "+"}
"""Status marks shown before each sentence (also the legend on the screen)."""

STYLES = {"same": "dim", "paraphrase": "italic", "only": "bold"}


@dataclass(slots=True)
class CompareRow:
    """One visual row: the sentences of A and of B that carry the same fact.

    Attributes:
        a, b: the sentences on each side (empty when the side says nothing here).
        a_note, b_note: a pointer shown instead of text when the counterpart is already
            shown in an earlier row (one sentence can cover several on the other side).
        checks: possible conflicts between these sentences ("check" flags, never verdicts).
    """

    a: list[AlignedSentence] = field(default_factory=list)
    b: list[AlignedSentence] = field(default_factory=list)
    a_note: str | None = None
    b_note: str | None = None
    checks: list[Conflict] = field(default_factory=list)

    @property
    def is_difference(self) -> bool:
        """Whether `n`/`p` stop here: anything but identical wording on both sides."""
        if self.checks:
            return True
        sentences = [*self.a, *self.b]
        return not sentences or any(s.status != "same" for s in sentences)

    @property
    def kind(self) -> str:
        """A CSS-friendly summary: "same", "paraphrase", "only" or "check"."""
        if self.checks:
            return "check"
        statuses = {s.status for s in [*self.a, *self.b]}
        if "only" in statuses:
            return "only"
        if statuses <= {"same"}:
            return "same"
        return "paraphrase"


def build_rows(comparison: Comparison) -> list[CompareRow]:
    """Align the two sides into rows, following A's order and slotting B in around it.

    Between two matched rows, what only A says and what only B says sit side by side, as
    in a side-by-side diff (each cell is marked `+`, so nothing suggests they match); that
    keeps both columns dense at 80 columns. B sentences that only B carries stay before
    the next A sentence whose counterpart comes after them, so each side reads in its own
    order wherever the alignment is monotonic; crossings (B reordering A's facts) keep A's
    order and point back to the earlier row instead of repeating text.
    """
    sa, sb = comparison.sentences_a, comparison.sentences_b
    rows: list[CompareRow] = []
    emitted_b: set[int] = set()
    row_of_b: dict[int, int] = {}
    row_of_a: dict[int, int] = {}
    pending_a: list[AlignedSentence] = []

    def flush(before: int, current_a: int) -> None:
        """Zip the pending A-only run with B's unplaced sentences before index `before`."""
        b_only: list[AlignedSentence] = []
        for j in range(before):
            if j in emitted_b or any(m > current_a for m in sb[j].matches):
                continue  # placed already, or pairs with a later A sentence
            emitted_b.add(j)
            b_only.append(sb[j])
        for k in range(max(len(pending_a), len(b_only))):
            row = CompareRow()
            if k < len(pending_a):
                row.a = [pending_a[k]]
                row_of_a[pending_a[k].index] = len(rows)
            if k < len(b_only):
                row.b = [b_only[k]]
                row_of_b[b_only[k].index] = len(rows)
            rows.append(row)
        pending_a.clear()

    for i, sent in enumerate(sa):
        targets = sorted(m for m in sent.matches if 0 <= m < len(sb))
        if sent.status == "only" or not targets:
            pending_a.append(sent)
            continue
        fresh = [m for m in targets if m not in emitted_b]
        flush(fresh[0] if fresh else 0, i)
        row_of_a[i] = len(rows)
        if fresh:
            for m in fresh:
                emitted_b.add(m)
                row_of_b[m] = len(rows)
            rows.append(CompareRow(a=[sent], b=[sb[m] for m in fresh]))
        else:
            shown = ", ".join(f"B{m + 1}" for m in targets)
            rows.append(CompareRow(a=[sent], b_note=f"{MARKS[sent.status]} {shown} (above)"))
    flush(len(sb), len(sa))

    for conflict in comparison.conflicts:
        index = row_of_a.get(conflict.a, row_of_b.get(conflict.b))
        if index is not None:
            rows[index].checks.append(conflict)
    return rows


def sentence_text(sentences: Sequence[AlignedSentence], side: str, note: str | None) -> Text:
    """One cell: each sentence with its mark, number and status style; text is literal."""
    text = Text(no_wrap=False, overflow="fold")
    if not sentences:
        if note:
            text.append(note, style="dim italic")
        return text
    for k, sent in enumerate(sentences):
        if k:
            text.append("\n")
        mark = MARKS.get(sent.status, "?")
        style = STYLES.get(sent.status, "")
        text.append(
            f"{mark} {side}{sent.index + 1} ", style="bold" if sent.status == "only" else "dim"
        )
        text.append(sent.text, style=style)
        if sent.status == "paraphrase" and sent.partial:
            # A clause-level link: the other side carries only part of this sentence. The
            # sentence-level score would read as "barely related"; the share is the news.
            text.append(f"  (part: {sent.covered:.0%} carried)", style="dim")
        elif sent.status == "paraphrase":
            text.append(f"  (match {sent.score:.2f})", style="dim")
    return text


class CompareRowView(Vertical):
    """A row widget: A's cell and B's cell side by side (stacked on narrow screens),
    then any "check" flags across the full width."""

    DEFAULT_CSS = """
    CompareRowView {
        height: auto;
    }
    """

    class Selected(Message):
        """The row was clicked: the screen makes it the current row."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, row: CompareRow, index: int) -> None:
        super().__init__(classes=f"compare-row -{row.kind}")
        self.row = row
        self.index = index

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Selected(self.index))

    def compose(self) -> ComposeResult:
        row = self.row
        a_cls = "cell cell-a " + ("-empty" if not row.a else f"-{row.a[0].status}")
        b_cls = "cell cell-b " + ("-empty" if not row.b else f"-{row.b[0].status}")
        with Horizontal(classes="cells"):
            yield Static(sentence_text(row.a, "A", row.a_note), classes=a_cls)
            yield Static(sentence_text(row.b, "B", row.b_note), classes=b_cls)
        for check in row.checks:
            flag = Text(f"⚠ check A{check.a + 1} ↔ B{check.b + 1}: ", style="bold")
            flag.append(check.reason)
            yield Static(flag, classes="check")


__all__ = ["MARKS", "CompareRow", "CompareRowView", "build_rows", "sentence_text"]
