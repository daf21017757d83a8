"""`parallax compare`, `stories`, `story` and `similarity`: coverage comparison from the shell.

- `compare A B` prints a side-by-side report (rich on a terminal, plain text on a pipe),
  `--markdown` a Markdown report, `--json` the contract document; `compare --story ID`
  the story matrix.
- `stories` lists stories; `story show|merge|split|move|rename|assign` changes them
  (user choices are pinned so automatic grouping never undoes them; a title given with
  `rename` is kept, an automatic title follows the story's membership).
- `similarity` scores sentence pairs: two arguments, or JSON lines on stdin, streamed.

Every string that comes from an article goes through `Text` / `ctx.print` with markup off.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from parallax.cli.context import Context
from parallax.model import Article, ParallaxError, Story


class CompareUsageError(ParallaxError):
    """The compare command was given the wrong combination of arguments."""

    exit_code = 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    c = subparsers.add_parser(
        "compare",
        help="compare two articles, or every source of a story",
        description="Show what two articles share, paraphrase or carry alone: sentence "
        "alignment, entities, quotes, figures and passages to check. With --story, a "
        "matrix of every source in the story.",
    )
    c.add_argument("ids", nargs="*", metavar="ID", help="two article ids (or unique prefixes)")
    c.add_argument("--story", metavar="STORY", help="compare every article of a story")
    fmt = c.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the comparison as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print a Markdown report")
    c.set_defaults(func=cmd_compare)

    s = subparsers.add_parser(
        "stories",
        help="list stories (groups of articles about one event)",
        description="List stories with their articles.",
    )
    s.add_argument("--json", action="store_true", help="print a JSON array")
    s.set_defaults(func=cmd_stories)

    st = subparsers.add_parser(
        "story",
        help="show, merge, split or move stories (your choices stick)",
        description="Change how articles are grouped into stories. Stories you change are "
        "pinned: automatic grouping adds new articles to them but never regroups them.",
    )
    sub = st.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="list a story's articles")
    show.add_argument("story_id", metavar="STORY")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_story_show)
    merge = sub.add_parser("merge", help="merge stories into the first one given")
    merge.add_argument("story_ids", nargs="+", metavar="STORY")
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(func=cmd_story_merge)
    split = sub.add_parser("split", help="take articles out of a story into a new one")
    split.add_argument("story_id", metavar="STORY")
    split.add_argument("article_ids", nargs="+", metavar="ID")
    split.add_argument("--title", help="title of the new story")
    split.add_argument("--json", action="store_true")
    split.set_defaults(func=cmd_story_split)
    move = sub.add_parser("move", help="move articles to another (or a new) story")
    move.add_argument("article_ids", nargs="+", metavar="ID")
    dest = move.add_mutually_exclusive_group(required=True)
    dest.add_argument("--to", metavar="STORY", help="the story to move them to")
    dest.add_argument("--new", action="store_true", help="move them to a new story")
    move.add_argument("--title", help="title of the new story (with --new)")
    move.add_argument("--json", action="store_true")
    move.set_defaults(func=cmd_story_move)
    rename = sub.add_parser("rename", help="give a story your own title (kept from then on)")
    rename.add_argument("story_id", metavar="STORY")
    rename.add_argument("title", nargs="+", metavar="TITLE")
    rename.add_argument("--json", action="store_true")
    rename.set_defaults(func=cmd_story_rename)
    assign = sub.add_parser("assign", help="group articles that have no story yet")
    assign.add_argument("--json", action="store_true")
    assign.set_defaults(func=cmd_story_assign)

    sim = subparsers.add_parser(
        "similarity",
        help="score sentence pairs (arguments, or JSON lines on stdin)",
        description="Score how similar two sentences are (score 0-1, graded) and whether "
        "they state the same fact (same, the MSRP-calibrated decision). Give two sentences, "
        'or stream JSON lines {"a": ..., "b": ...} on stdin to get one {"score", "same"} '
        "line each (a malformed line gets an error object and the stream goes on).",
    )
    sim.add_argument("sentences", nargs="*", metavar="SENTENCE", help="two sentences")
    sim.add_argument("--json", action="store_true", help="JSON output")
    sim.set_defaults(func=cmd_similarity)


# --------------------------------------------------------------------------------------
# compare


def cmd_compare(args: argparse.Namespace, ctx: Context) -> int:
    if args.story:
        if args.ids:
            raise CompareUsageError("give either two article ids or --story, not both")
        return _compare_story(args, ctx)
    if len(args.ids) != 2:
        raise CompareUsageError(
            f"compare needs two article ids (got {len(args.ids)}); "
            "`parallax list` shows ids, or use --story ID"
        )
    from parallax.compare import compare_articles

    lib = ctx.library(create=False)
    a, b = lib.get(args.ids[0]), lib.get(args.ids[1])
    comparison = compare_articles(a, b)
    if args.json:
        ctx.emit_json(comparison.to_dict())
    elif args.markdown:
        ctx.print(markdown_report(comparison.to_dict()))
    else:
        from parallax.cli import compare_report

        data = comparison.to_dict()
        if ctx.is_terminal:
            for line in compare_report.rich_report(data, ctx.out.width):
                ctx.out.print(line, markup=False, highlight=False, soft_wrap=False)
        else:
            ctx.print(compare_report.plain_report(data))
    return 0


def _side_label(side: dict[str, Any]) -> str:
    who = side.get("source") or side.get("agency") or "unknown source"
    if side.get("agency") and side.get("agency") != side.get("source"):
        who += f" ({side['agency']})"
    return f"{side.get('title') or '(untitled)'} - {who} [{side.get('id')}]"


def _figure_text(f: dict[str, Any]) -> str:
    return f"{f['text']} ({f['kind']})"


def _summary_lines(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    ents = data["entities"]
    if not data.get("analysed", True):
        lines.append("(not analysed: names, quotes and figures estimated from the text)")
    lines.append("")
    lines.append("ENTITIES")
    for label, key in (("both", "both"), ("only A", "only_a"), ("only B", "only_b")):
        items = [f"{e['text']} ({e['count_a']}/{e['count_b']})" for e in ents[key]]
        lines.append(f"  {label}: {', '.join(items) if items else '-'}")
    lines.append("")
    lines.append("QUOTES")
    if not data["quotes"]:
        lines.append("  -")
    for q in data["quotes"]:
        if q["status"] in ("same", "altered"):
            tag = q["status"].upper()
            if q.get("fragment"):
                tag += f" ({q['fragment'].upper()} quotes part of it)"
            lines.append(f"  {tag}: A: \u201c{q['a']}\u201d ({q['speaker_a'] or '?'})")
            lines.append(
                f"  {' ' * len(q['status'])}  B: \u201c{q['b']}\u201d ({q['speaker_b'] or '?'})"
            )
            for d in q["diff"]:
                lines.append(f"      {d['op']}: {d['a']!r} -> {d['b']!r}")
            if q.get("speaker_differs"):
                lines.append("      speaker differs")
        else:
            side = "A" if q["status"] == "only_a" else "B"
            text = q["a"] if side == "A" else q["b"]
            speaker = q["speaker_a"] if side == "A" else q["speaker_b"]
            lines.append(f"  ONLY {side}: \u201c{text}\u201d ({speaker or '?'})")
    lines.append("")
    lines.append("FIGURES AND DATES")
    figs = data["figures"]
    lines.append(f"  only A: {', '.join(_figure_text(f) for f in figs['only_a']) or '-'}")
    lines.append(f"  only B: {', '.join(_figure_text(f) for f in figs['only_b']) or '-'}")
    for pair in figs["differ"]:
        lines.append(f"  differ: A {pair['a']['text']!r} vs B {pair['b']['text']!r}")
    lines.append("")
    lines.append("TO CHECK (possible disagreements, not verdicts)")
    if not data["conflicts"]:
        lines.append("  -")
    for c in data["conflicts"]:
        lines.append(f"  CHECK A[{c['a']}] / B[{c['b']}]: {c['reason']}")
        lines.append(f"    A: {c['text_a']}")
        lines.append(f"    B: {c['text_b']}")
    return lines


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_report(data: dict[str, Any]) -> str:
    """A Markdown report: a two-column alignment table and the diff sections."""
    cov = data["coverage"]
    out = [
        "# Coverage comparison",
        "",
        f"- **A**: {_md_escape(_side_label(data['a']))}",
        f"- **B**: {_md_escape(_side_label(data['b']))}",
        f"- Coverage: {cov['a_in_b']:.0%} of A is in B, {cov['b_in_a']:.0%} of B is in A",
        "",
        "## Sentences",
        "",
        "| A | | B |",
        "|---|:-:|---|",
    ]
    from parallax.cli.compare_report import MARKS, rows

    for kind, left, right in rows(data):
        lt = "<br>".join(f"{s['index']}. {_md_escape(s['text'])}" for s in left)
        rt = "<br>".join(f"{s['index']}. {_md_escape(s['text'])}" for s in right)
        mark = "" if kind in ("only_a", "only_b") else MARKS[kind]
        out.append(f"| {lt} | {mark or ' '} | {rt} |")
    out.append("")
    section = None
    for line in _summary_lines(data):
        if line.isupper() or line.startswith("TO CHECK"):
            section = line.title()
            out += [f"## {section}", ""]
        elif line.strip():
            out.append(f"- {_md_escape(line.strip())}")
        else:
            out.append("")
    return "\n".join(out)


def _story_articles(ctx: Context, story_id: str) -> tuple[Story, list[Article]]:
    from parallax.compare.stories import _find

    lib = ctx.library(create=False)
    story = _find(list(lib.stories()), story_id)
    return story, [lib.get(aid) for aid in story.article_ids]


def _compare_story(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.matrix import story_matrix

    story, articles = _story_articles(ctx, args.story)
    matrix = story_matrix(articles)
    data = matrix.to_dict()
    if args.json:
        ctx.emit_json({"story": story.to_dict(), **data})
        return 0
    if args.markdown:
        ctx.print(matrix_markdown(story, data))
    else:
        from parallax.cli.compare_report import pipe_width

        width = ctx.out.width if ctx.is_terminal else pipe_width()
        ctx.print("\n".join(matrix_report(story, data, width)))
    return 0


def matrix_markdown(story: Story, data: dict[str, Any]) -> str:
    """The story matrix as Markdown tables, one per kind of row."""
    n = len(data["sources"])
    out = [f"# Story {story.id}: {_md_escape(story.title)}", ""]
    for k, src in enumerate(data["sources"]):
        out.append(f"{k + 1}. {_md_escape(_side_label(src))}")
    for name in ("facts", "entities", "quotes", "figures"):
        out += ["", f"## {name.title()}", ""]
        out.append("| | " + " | ".join(str(k + 1) for k in range(n)) + " |")
        out.append("|---|" + "|".join(":-:" for _ in range(n)) + "|")
        for r in data[name]:
            cells = " | ".join("x" if k in r["sources"] else "" for k in range(n))
            extra = " (altered)" if r.get("status") == "altered" else ""
            out.append(f"| {_md_escape(r['text'])}{extra} | {cells} |")
    return "\n".join(out)


def matrix_report(story: Story, data: dict[str, Any], width: int = 100) -> list[str]:
    """The story matrix as text: one column per source, x where a source has the row,
    then what each outlet alone reported. Lines fit in `width` cells."""
    from rich.cells import cell_len

    from parallax.cli.compare_report import wrap
    from parallax.ingest.sanitize import terminal_safe

    def fit(text: str, room: int) -> str:
        text = terminal_safe(text)
        if cell_len(text) <= room:
            return text
        while text and cell_len(text) > room - 1:
            text = text[:-1]
        return text + "\u2026"

    n = len(data["sources"])
    lines = [*wrap(f"Story {story.id}: {terminal_safe(story.title)}", width), ""]
    for k, (src, only) in enumerate(zip(data["sources"], data["only"], strict=True)):
        lines += wrap(
            f"[{k + 1}] {terminal_safe(_side_label(src))} - only here: {only['facts']} facts, "
            f"{only['entities']} entities, {only['quotes']} quotes, {only['figures']} figures",
            width,
        )
    head = " ".join(f"{k + 1:>2}" for k in range(n))
    for name in ("facts", "entities", "quotes", "figures"):
        rows = data[name]
        lines += ["", f"{name.upper()}  {head}"]
        for r in rows:
            cells = " ".join(" x" if k in r["sources"] else " ." for k in range(n))
            extra = " (altered)" if r.get("status") == "altered" else ""
            prefix = f"{' ' * len(name)}  {cells}  "
            room = max(10, width - cell_len(prefix) - cell_len(extra))
            lines.append(f"{prefix}{fit(r['text'], room)}{extra}")
    lines += ["", "REPORTED BY ONE OUTLET ONLY"]
    for k, src in enumerate(data["sources"]):
        facts = [r["text"] for r in data["facts"] if r["sources"] == [k]]
        lines += wrap(f"[{k + 1}] {terminal_safe(src.get('source') or src['id'])}:", width)
        lines += [
            line
            for text in facts or ["-"]
            for line in (
                "  " + x if m == 0 else "    " + x
                for m, x in enumerate(wrap(terminal_safe(text), max(10, width - 4)))
            )
        ]
    return lines


# --------------------------------------------------------------------------------------
# stories


def _story_dict(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.article_ids),
        "pinned": story.pinned,
    }


def cmd_stories(args: argparse.Namespace, ctx: Context) -> int:
    stories: list[Story] = list(ctx.library().stories())
    if args.json:
        ctx.emit_json([_story_dict(s) for s in stories])
        return 0
    if not stories:
        ctx.print(
            "no stories yet (stories are made on import; `parallax story assign` groups "
            "articles imported without them)"
        )
        return 0
    for s in stories:
        pin = " (pinned)" if s.pinned else ""
        ctx.print(f"{s.id}  {len(s.article_ids):3d} articles  {s.title}{pin}")
    return 0


def cmd_story_show(args: argparse.Namespace, ctx: Context) -> int:
    story, articles = _story_articles(ctx, args.story_id)
    if args.json:
        ctx.emit_json({**_story_dict(story), "summaries": [a.summary() for a in articles]})
        return 0
    ctx.print(f"{story.id}  {story.title}{' (pinned)' if story.pinned else ''}")
    for a in articles:
        ctx.print(f"  {a.id}  {a.published or '?':10.10}  {a.source or '?'}  {a.title}")
    return 0


def _edit_and_report(
    ctx: Context, change: Callable[[list[Story]], Story], verb: str, as_json: bool
) -> int:
    """Apply a user's story change under the store's lock, so a concurrent import's
    regrouping (or another session's edit) is never lost, then report the result."""
    done: list[Story] = []

    def edit(stories: list[Story]) -> list[Story]:
        done.append(change(stories))
        return stories

    ctx.library(create=False).edit_stories(edit)
    story = done[-1]
    if as_json:
        ctx.emit_json(_story_dict(story))
    else:
        ctx.print(
            f"{verb} story {story.id}: {story.title} ({len(story.article_ids)} articles, pinned)"
        )
    return 0


def _resolve_articles(ctx: Context, ids: list[str]) -> list[str]:
    lib = ctx.library(create=False)
    return [lib.resolve_id(i) for i in ids]


def _titles(ctx: Context) -> dict[str, str]:
    """Article id -> title, so story titles can follow their membership."""
    return {a.id: a.title or "" for a in ctx.library(create=False).iter_articles()}


def cmd_story_merge(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.stories import merge_stories

    titles = _titles(ctx)
    return _edit_and_report(
        ctx,
        lambda stories: merge_stories(stories, args.story_ids, titles),
        "merged into",
        args.json,
    )


def cmd_story_split(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.stories import split_story

    ids = _resolve_articles(ctx, args.article_ids)
    titles = _titles(ctx)
    return _edit_and_report(
        ctx,
        lambda stories: split_story(stories, args.story_id, ids, title=args.title, titles=titles),
        "split off",
        args.json,
    )


def cmd_story_move(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.stories import move_articles

    ids = _resolve_articles(ctx, args.article_ids)
    titles = _titles(ctx)
    return _edit_and_report(
        ctx,
        lambda stories: move_articles(
            stories,
            ids,
            None if args.new else args.to,
            title=args.title if args.new else None,
            titles=titles,
        ),
        "moved to",
        args.json,
    )


def cmd_story_rename(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.stories import rename_story

    title = " ".join(args.title)
    return _edit_and_report(
        ctx, lambda stories: rename_story(stories, args.story_id, title), "renamed", args.json
    )


def cmd_story_assign(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare.stories import update_stories

    lib = ctx.library(create=False)
    existing: list[Story] = list(lib.stories())
    before = {a for s in existing for a in s.article_ids}
    ids = [a.id for a in lib.iter_articles() if a.id not in before]
    update_stories(lib, ids)
    stories: list[Story] = list(lib.stories())
    if args.json:
        ctx.emit_json({"assigned": len(ids), "stories": [_story_dict(s) for s in stories]})
    else:
        ctx.print(f"grouped {len(ids)} article(s); {len(stories)} stories")
    return 0


# --------------------------------------------------------------------------------------
# similarity


def cmd_similarity(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.compare import similarity

    if args.sentences:
        if len(args.sentences) != 2:
            raise CompareUsageError(
                f"similarity needs two sentences (got {len(args.sentences)}), or JSON lines on stdin"
            )
        score, same = similarity(*args.sentences)
        if args.json:
            ctx.emit_json_line({"score": score, "same": same})
        else:
            ctx.print(f"score {score:.3f}  {'same fact' if same else 'different'}")
        return 0
    if sys.stdin.isatty():
        raise CompareUsageError(
            'give two sentences, or pipe JSON lines {"a": ..., "b": ...} to stdin'
        )
    failed = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            failed += 1
            ctx.emit_json_line({"error": f"line {number}: not JSON ({exc.msg})", "line": number})
            continue
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("a"), str)
            or not isinstance(record.get("b"), str)
        ):
            failed += 1
            ctx.emit_json_line(
                {"error": f'line {number}: expected {{"a": text, "b": text}}', "line": number}
            )
            continue
        score, same = similarity(record["a"], record["b"])
        ctx.emit_json_line({"score": score, "same": same})
    return 1 if failed else 0
