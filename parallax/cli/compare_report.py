"""The side-by-side report of `parallax compare A B`, for terminals and pipes.

Both faces read the `Comparison.to_dict()` document (the `--json` contract), so the
report shows exactly what scripts see. The layout is the same on a terminal and on a
pipe: a summary (coverage both ways, counts), then the two articles in two columns fitted
to the width with a status marker between them, then entities, quotes, figures and the
passages to check. On a terminal it is coloured (rich `Text`, markup off); on a pipe it
is plain text. Every string from an article goes through `terminal_safe` first, so no
escape sequence or markup from an article ever reaches the terminal.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from parallax.ingest.sanitize import terminal_safe

MARKS = {"same": "=", "paraphrase": "~", "partial": "(~)", "only_a": "A", "only_b": "B"}
LEGEND = "marks: = same wording, ~ same fact, (~) part of it, A / B only in that source"
STYLES = {
    "same": "green",
    "paraphrase": "yellow",
    "partial": "yellow",
    "only_a": "cyan",
    "only_b": "magenta",
}
KIND_NAMES = {
    "date": "dates",
    "time": "times",
    "money": "amounts",
    "percent": "percentages",
    "quantity": "quantities",
    "cardinal": "numbers",
    "ordinal": "ordinals",
}
MIN_COLUMN = 20
DEFAULT_WIDTH = 100


def pipe_width() -> int:
    """Width for a pipe: `$COLUMNS` when set (a script can ask for any width), else 100."""
    try:
        return max(2 * MIN_COLUMN + 7, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return DEFAULT_WIDTH


def side_label(side: dict[str, Any]) -> str:
    """ "Title - Source (Agency) [id]", safe for the terminal."""
    who = side.get("source") or side.get("agency") or "unknown source"
    if side.get("agency") and side.get("agency") != side.get("source"):
        who += f" ({side['agency']})"
    return terminal_safe(f"{side.get('title') or '(untitled)'} - {who} [{side.get('id')}]")


def _link_kinds(data: dict[str, Any]) -> dict[tuple[int, int], str]:
    return {(lk["a"], lk["b"]): lk["kind"] for lk in data.get("links", [])}


def sentence_kind(data: dict[str, Any], side: str, s: dict[str, Any]) -> str:
    """ "same", "paraphrase", "partial" (every link clause-level) or "only_a"/"only_b"."""
    if s["status"] == "only" or not s["matches"]:
        return "only_a" if side == "a" else "only_b"
    if s["status"] == "same":
        return "same"
    kinds = _link_kinds(data)
    pairs = [(s["index"], j) if side == "a" else (j, s["index"]) for j in s["matches"]]
    if pairs and all(kinds.get(p) == "partial" for p in pairs):
        return "partial"
    return "paraphrase"


Row = tuple[str, list[dict[str, Any]], list[dict[str, Any]]]


def rows(data: dict[str, Any]) -> list[Row]:
    """Both sides in reading order: (kind, A sentences, B sentences) rows.

    A's sentences lead; B's unmatched sentences are placed before the first A sentence
    that matches a later B sentence, so each side reads in its own order. A B sentence
    linked to several A sentences appears beside each (the report says "see above").
    """
    sa, sb = data["sentences"]["a"], data["sentences"]["b"]
    out: list[Row] = []
    next_b = 0
    placed: set[int] = set()
    for s in sa:
        if s["matches"]:
            first = min(s["matches"])
            while next_b < first:
                if not sb[next_b]["matches"] and next_b not in placed:
                    out.append(("only_b", [], [sb[next_b]]))
                    placed.add(next_b)
                next_b += 1
            matched = [sb[j] for j in s["matches"] if 0 <= j < len(sb)]
            out.append((sentence_kind(data, "a", s), [s], matched))
        else:
            out.append(("only_a", [s], []))
    for j, s in enumerate(sb):
        if j not in placed and not s["matches"]:
            out.append(("only_b", [], [s]))
    return out


def counts(data: dict[str, Any], side: str) -> Counter[str]:
    return Counter(sentence_kind(data, side, s) for s in data["sentences"][side])


def summary(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The few lines a reader looks at first."""
    cov = data["coverage"]
    ents, figs, quotes = data["entities"], data["figures"], data["quotes"]
    q = Counter(x["status"] for x in quotes)

    def sentences(side: str) -> str:
        c = counts(data, side)
        only = c["only_a"] + c["only_b"]
        total = len(data["sentences"][side])
        return (
            f"{side.upper()}: {total} ({c['same']} same, {c['paraphrase']} same fact, "
            f"{c['partial']} in part, {only} only)"
        )

    lines = [
        ("coverage:", f"{cov['a_in_b']:.0%} of A is in B, {cov['b_in_a']:.0%} of B is in A"),
        ("sentences:", sentences("a")),
        ("", sentences("b")),
        (
            "entities:",
            f"{len(ents['both'])} in both, {len(ents['only_a'])} only in A, "
            f"{len(ents['only_b'])} only in B",
        ),
        (
            "quotes:",
            f"{q['same']} same, {q['altered']} altered, {q['only_a']} only in A, "
            f"{q['only_b']} only in B",
        ),
        (
            "figures:",
            f"{len(figs['both'])} in both, {len(figs['only_a'])} only in A, "
            f"{len(figs['only_b'])} only in B, {len(figs['differ'])} differ",
        ),
        ("to check:", f"{len(data['conflicts'])} possible disagreement(s)"),
    ]
    if not data.get("analysed", True):
        lines.append(("note:", "not analysed: names, quotes and figures estimated from the text"))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Wrap by terminal cells (wide characters count double), breaking over-long words."""
    out: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:  # a URL or a run of CJK: cut it
            cut = 1
            while cut < len(word) and cell_len(word[: cut + 1]) <= width:
                cut += 1
            if line:
                out.append(line)
                line = ""
            out.append(word[:cut])
            word = word[cut:]
        if not word:
            continue
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
        else:
            out.append(line)
            line = word
    if line or not out:
        out.append(line)
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def _cell(sentences: list[dict[str, Any]], shown: set[int] | None, width: int) -> list[str]:
    lines: list[str] = []
    for s in sentences:
        text = terminal_safe(s["text"])
        if shown is not None and s["index"] in shown:
            text = "(the same sentence as above)"
        lines += wrap(f"{s['index']} {text}", width)
        if shown is not None:
            shown.add(s["index"])
    return lines


def _details(data: dict[str, Any], width: int) -> list[tuple[str, str]]:
    """Entities, quotes, figures and checks as (line, style) pairs, wrapped to `width`."""
    out: list[tuple[str, str]] = []

    def section(title: str) -> None:
        out.append(("", ""))
        out.append((title, "bold"))

    def item(text: str, style: str = "", indent: int = 2) -> None:
        for k, line in enumerate(wrap(text, max(MIN_COLUMN, width - indent - 2))):
            out.append((" " * (indent if k == 0 else indent + 2) + line, style))

    ents = data["entities"]
    section("ENTITIES (mentions in A/B)")
    for label, key, style in (
        ("both", "both", ""),
        ("only A", "only_a", "cyan"),
        ("only B", "only_b", "magenta"),
    ):
        items = [f"{terminal_safe(e['text'])} ({e['count_a']}/{e['count_b']})" for e in ents[key]]
        item(f"{label}: {', '.join(items) if items else '-'}", style)

    section("QUOTES")
    if not data["quotes"]:
        item("-")
    for q in data["quotes"]:
        sa = terminal_safe(q["speaker_a"] or "?")
        sb = terminal_safe(q["speaker_b"] or "?")
        if q["status"] in ("same", "altered"):
            tag = q["status"].upper()
            if q.get("fragment"):
                tag += f" ({q['fragment'].upper()} quotes part of it)"
            style = "green" if q["status"] == "same" else "yellow"
            item(f"{tag}", style)
            item(f"A: \u201c{terminal_safe(q['a'])}\u201d - {sa}", indent=4)
            item(f"B: \u201c{terminal_safe(q['b'])}\u201d - {sb}", indent=4)
            for d in q.get("diff", []):
                item(
                    f"{d['op']}: \u201c{terminal_safe(d['a'])}\u201d -> "
                    f"\u201c{terminal_safe(d['b'])}\u201d",
                    "yellow",
                    indent=6,
                )
            if q.get("speaker_differs"):
                item("speaker differs", "bold red", indent=6)
        else:
            side = "A" if q["status"] == "only_a" else "B"
            text = q["a"] if side == "A" else q["b"]
            who = sa if side == "A" else sb
            item(
                f"ONLY {side}: \u201c{terminal_safe(text)}\u201d - {who}",
                STYLES["only_a" if side == "A" else "only_b"],
            )

    figs = data["figures"]
    section("FIGURES AND DATES")

    def grouped(items: list[dict[str, Any]]) -> str:
        """Figures grouped by kind and unit: "dates: 2007, Tuesday; amounts (USD): ..."."""
        groups: dict[str, list[str]] = {}
        for f in items:
            name = KIND_NAMES.get(f["kind"], f["kind"])
            if f.get("unit"):
                name += f" ({terminal_safe(str(f['unit']))})"
            groups.setdefault(name, []).append(terminal_safe(f["text"]))
        return "; ".join(f"{k}: {', '.join(v)}" for k, v in groups.items()) or "-"

    item(f"both: {grouped(figs['both'])}")
    item(f"only A: {grouped(figs['only_a'])}", "cyan")
    item(f"only B: {grouped(figs['only_b'])}", "magenta")
    for pair in figs["differ"]:
        item(
            f"differ: A \u201c{terminal_safe(pair['a']['text'])}\u201d vs "
            f"B \u201c{terminal_safe(pair['b']['text'])}\u201d",
            "yellow",
        )

    section("TO CHECK (possible disagreements, not verdicts)")
    if not data["conflicts"]:
        item("-")
    for c in data["conflicts"]:
        item(f"CHECK A{c['a']} / B{c['b']}: {terminal_safe(c['reason'])}", "bold red")
        item(f"A: {terminal_safe(c['text_a'])}", indent=4)
        item(f"B: {terminal_safe(c['text_b'])}", indent=4)
    return out


def report_lines(data: dict[str, Any], width: int) -> list[tuple[str, str]]:
    """The whole report as (line, style) pairs; each line fits in `width` cells."""
    width = max(2 * MIN_COLUMN + 7, width)
    col = (width - 7) // 2
    out: list[tuple[str, str]] = []
    out += [(x, "bold cyan") for x in wrap(f"A: {side_label(data['a'])}", width)]
    out += [(x, "bold magenta") for x in wrap(f"B: {side_label(data['b'])}", width)]
    out.append(("", ""))
    for label, text in summary(data):
        for k, x in enumerate(wrap(text, width - 11)):
            out.append((f"{label if k == 0 else '':<11}{x}", ""))
    out.append(("", ""))
    out += [(x, "dim") for x in wrap(LEGEND, width)]
    rule = ("-" * col + "-+---+-" + "-" * col, "dim")
    out.append((f"{_pad('A', col)} |   | B", "bold"))
    out.append(rule)
    shown_b: set[int] = set()
    for n, (kind, left, right) in enumerate(rows(data)):
        if n:
            out.append((f"{_pad('', col)} |   |", "dim"))
        lt = _cell(left, None, col)
        rt = _cell(right, shown_b, col)
        mark = MARKS[kind]
        style = STYLES[kind]
        for k in range(max(len(lt), len(rt))):
            lft = lt[k] if k < len(lt) else ""
            rgt = rt[k] if k < len(rt) else ""
            m = mark if k == 0 else ""
            out.append((f"{_pad(lft, col)} |{m:^3}| {rgt}".rstrip(), style))
    out.append(rule)
    out += _details(data, width)
    return out


def plain_report(data: dict[str, Any], width: int | None = None) -> str:
    """The report as plain text (for pipes): no colour, no escape sequences."""
    return "\n".join(line for line, _ in report_lines(data, width or pipe_width()))


def rich_report(data: dict[str, Any], width: int) -> list[Text]:
    """The report as styled `Text` lines for a terminal (no markup is ever parsed)."""
    return [
        Text(line, style=style, no_wrap=True, overflow="crop")
        for line, style in report_lines(data, width)
    ]
