"""Article commands: import, list, show, tag, read, star, archive, note, notes, export.

Examples::

    parallax import ~/news/ feed.xml -          # files, folders (recursive), stdin
    parallax list --unread --source "The Korea Herald"
    parallax show 3f2a --json
    parallax tag 3f2a 9b1c +korea +diplomacy -todo
    parallax note 3f2a "Only AFP has this" --quote "no immediate comment from North Korea"
    parallax export --tag korea -o korea/

Every string that comes from an article, a tag or a note is printed through
`ctx.print`/`Text` with markup off and `terminal_safe` applied, so hostile titles or
bodies can never reach the terminal as escape sequences or rich markup.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.table import Table
from rich.text import Text

from parallax.anchors import locate, make_anchor
from parallax.ingest.sanitize import sanitize_text, terminal_safe
from parallax.model import Article, Flag, Note, ParallaxError

if TYPE_CHECKING:
    from parallax.cli.context import Context
    from storage import ArticleSummary, Library

PROGRESS_MIN_FILES = 3
"""Imports of fewer files finish too fast for a progress bar to help."""


class UsageError(ParallaxError):
    """The command line is well-formed for argparse but makes no sense (exit 2)."""

    exit_code = 2


def _notes(lib: Library, article_id: str | None = None) -> list[Note]:
    """`lib.notes`, typed for mypy (which reads `list[...]` inside `Library` as its
    `list` method)."""
    return cast("list[Note]", lib.notes(article_id))


def _safe(text: str | None) -> Text:
    """Untrusted text as a rich `Text`: escapes made visible, never parsed as markup."""
    return Text(terminal_safe(text or ""))


# -- registration ---------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    """Add the article commands to the `parallax` parser."""
    p = subparsers.add_parser(
        "import",
        help="import article files, folders or a feed into the store",
        description="Import articles: plain-text web captures (.txt), Markdown with front "
        "matter (.md), HTML, JSON/JSONL records, RSS/Atom feeds. Folders are read "
        "recursively; `-` reads standard input. Re-importing the same content is a no-op "
        "(reported as skipped); a near-duplicate is imported and names its twin. Exit "
        "status 1 if any file failed (the rest are still imported).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    p.add_argument(
        "--no-analyze",
        action="store_true",
        help="store without entity/quote analysis (run `parallax reanalyze` later)",
    )
    p.add_argument(
        "--max-size",
        metavar="SIZE",
        type=_size_arg,
        help="refuse files bigger than this (e.g. 50MB; default $PARALLAX_MAX_BYTES or 20MB)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser(
        "list",
        help="list articles",
        description="List articles, newest first. Archived articles are hidden unless "
        "--archived or --all is given.",
    )
    p.add_argument("--source", help="only this publication")
    p.add_argument("--agency", help="only this wire agency (AFP, Yonhap, ...)")
    p.add_argument("--tag", help="only articles with this tag")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--archived", action="store_true", help="only archived articles")
    p.add_argument("--all", action="store_true", help="include archived articles")
    p.add_argument("--story", metavar="ID", help="only this story (id or unique prefix)")
    p.add_argument("--entity", metavar="KEY", help="only articles mentioning this entity key")
    p.add_argument("--search", metavar="Q", help="words that must all appear in title or body")
    p.add_argument("--since", metavar="DATE", help="published on or after (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="published on or before (YYYY-MM-DD)")
    p.add_argument("--sort", choices=["date", "source", "title"], default="date")
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(func=cmd_list)

    p = subparsers.add_parser(
        "show",
        help="show one article",
        description="Show one article: header, clean body and notes. --raw shows the text "
        "exactly as imported, with control characters made visible.",
    )
    p.add_argument("id", metavar="ID", help="article id or unique prefix")
    p.add_argument("--raw", action="store_true", help="show the original text as imported")
    p.add_argument(
        "--removed",
        action="store_true",
        help="list what cleaning removed (bylines, date lines, widgets, promo...) and why",
    )
    p.add_argument("--json", action="store_true", help="print the article as JSON")
    p.set_defaults(func=cmd_show)

    p = subparsers.add_parser(
        "tag",
        help="add (+tag) or remove (-tag) tags on articles",
        description="Add and remove tags: `parallax tag ID [ID...] +korea -todo`. With no "
        "changes, prints the articles' tags. Tags are single words (no spaces or commas).",
    )
    # REMAINDER so that `-todo` is taken as a tag change, not an unknown option.
    p.add_argument("items", nargs=argparse.REMAINDER, metavar="ID... +TAG|-TAG")
    p.add_argument("--json", action="store_true", help="print the resulting tags as JSON")
    p.set_defaults(func=cmd_tag)

    for name, flag, off, help_ in (
        ("read", "read", "--unread", "mark articles read (--unread: unread)"),
        ("star", "starred", "--off", "star articles (--off: unstar)"),
        ("archive", "archived", "--off", "archive articles, hiding them from lists (--off: undo)"),
    ):
        p = subparsers.add_parser(name, help=help_, description=help_[0].upper() + help_[1:] + ".")
        p.add_argument("ids", nargs="+", metavar="ID", help="article ids or unique prefixes")
        p.add_argument(off, dest="off", action="store_true", help="undo it")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.set_defaults(func=cmd_flag, flag=flag)

    p = subparsers.add_parser(
        "note",
        help="add, edit or delete a note",
        description="Add a note to an article: `parallax note ID TEXT [--quote PASSAGE]`, "
        "anchored to an exact passage with --quote. `parallax note --edit NOTE_ID TEXT` "
        "replaces a note's text, `parallax note --delete NOTE_ID` removes it. TEXT may be "
        "`-` to read it from standard input.",
    )
    p.add_argument("args", nargs="*", metavar="ID TEXT", help="article id and note text")
    p.add_argument("--quote", metavar="PASSAGE", help="the exact passage the note is about")
    p.add_argument(
        "--occurrence",
        type=int,
        metavar="N",
        help="which occurrence of the passage (1 = first) when it appears several times",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--edit", metavar="NOTE_ID", help="replace the text of this note")
    mode.add_argument("--delete", metavar="NOTE_ID", help="delete this note")
    p.add_argument("--json", action="store_true", help="print the note as JSON")
    p.set_defaults(func=cmd_note)

    p = subparsers.add_parser(
        "notes",
        help="list notes (all, or one article's)",
        description="List notes with the passages they are anchored to. A note whose "
        "passage can no longer be found is shown as orphaned, never moved to a guess.",
    )
    p.add_argument("id", metavar="ID", nargs="?", help="only this article's notes")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(func=cmd_notes)

    p = subparsers.add_parser(
        "export",
        help="export articles with their tags and notes (Markdown or JSON)",
        description="Export articles with their tags and notes as Markdown (YAML front "
        "matter, for Obsidian and the like) or JSON. `-o FILE` writes one file; `-o DIR/` "
        "(or an existing folder) writes one file per article.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="only these articles (ids or prefixes)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument("--tag", help="only articles with this tag")
    p.add_argument("--source", help="only this publication")
    p.add_argument("--agency", help="only this wire agency")
    p.add_argument("--story", metavar="ID", help="only this story (id or unique prefix)")
    p.add_argument("--search", metavar="Q", help="words that must all appear in title or body")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=cmd_export)


# -- import -----------------------------------------------------------------------------


def _size_arg(text: str) -> int:
    """argparse type for --max-size: a usage error (exit 2) names the bad value."""
    from parallax.ingest.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Import files, folders or stdin; exit 1 if any input failed."""
    from parallax.cli.pipeline import count_inputs, import_paths

    lib = ctx.library(create=True)
    stdin = sys.stdin.buffer if "-" in args.paths else None
    analyze = not args.no_analyze
    total = count_inputs(args.paths) if ctx.err.is_terminal else 0
    if total >= PROGRESS_MIN_FILES:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[name]}", markup=False),
            console=ctx.err,
            transient=True,
        ) as bar:
            task = bar.add_task("import", total=total, name="")

            def progress(done: int, total_: int | None, path: str) -> None:
                bar.update(task, completed=done, name=terminal_safe(Path(path).name)[:40])

            report = import_paths(
                lib,
                args.paths,
                analyze=analyze,
                progress=progress,
                stdin=stdin,
                max_bytes=args.max_size,
            )
    else:
        report = import_paths(
            lib, args.paths, analyze=analyze, stdin=stdin, max_bytes=args.max_size
        )

    for warning in report.warnings:
        ctx.warn(warning)
    if args.json:
        ctx.emit_json(report.to_dict())
        return 1 if report.failed else 0
    for item in report.imported:
        line = Text("imported ", style="green") + Text(f"{item['id']}  ") + _safe(item["title"])
        if item.get("duplicate_of"):
            line += Text(f"  (near-duplicate of {item['duplicate_of']})", style="yellow")
        ctx.print(line)
    for item in report.skipped:
        ctx.print(Text("skipped  ", style="dim") + _safe(_named(item["path"], item["reason"])))
    for item in report.failed:
        ctx.error(f"failed: {_named(item['path'], item['error'])}")
    summary = (
        f"{len(report.imported)} imported, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed"
    )
    if report.imported and not report.analysed:
        summary += " (stored without analysis)"
    ctx.print(Text(summary, style="bold red" if report.failed else "bold"))
    return 1 if report.failed else 0


def _named(path: str, message: str) -> str:
    """`path: message`, unless ingest's message names the file already."""
    message = str(message)
    return message if message.startswith(f"{path}:") else f"{path}: {message}"


# -- list -----------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_arg(value: str | None, option: str) -> str | None:
    """Validate a --since/--until date: the store compares ISO prefixes, so a date in
    another shape would silently filter out everything."""
    if value is None:
        return None
    value = value.strip()
    ok = bool(_DATE.match(value))
    if ok and len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise UsageError(f"{option} {value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)")
    return value


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """List articles matching the filters, as a table, plain lines or JSON."""
    from storage import ArticleFilter

    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    lib = ctx.library()
    story = lib.story(args.story).id if args.story else None
    flt = ArticleFilter(
        source=args.source,
        agency=args.agency,
        tag=args.tag,
        read=False if args.unread else None,
        starred=True if args.starred else None,
        archived=True if args.archived else None,
        all_=args.all,
        story=story,
        entity=args.entity,
        search=args.search,
        date_from=_date_arg(args.since, "--since"),
        date_to=_date_arg(args.until, "--until"),
    )
    rows = lib.list(flt, sort=args.sort, reverse=args.sort == "date")
    if args.limit is not None:
        rows = rows[: args.limit]
    if args.json:
        ctx.emit_json([_list_json(r) for r in rows])
        return 0
    if not rows:
        ctx.warn("no articles match")
        return 0
    if ctx.is_terminal:
        ctx.out.print(_table(rows))
    else:
        for r in rows:
            ctx.print(_plain_row(r))
    return 0


def _list_json(r: ArticleSummary) -> dict[str, Any]:
    data = r.to_dict()
    if r.duplicate_of:
        data["duplicate_of"] = r.duplicate_of
    return data


def _marks(r: ArticleSummary) -> str:
    return ("•" if not r.read else " ") + ("★" if r.starred else " ")


def _source_label(source: str | None, agency: str | None) -> str:
    src = source or ""
    if agency and agency != source:
        src = f"{src} ({agency})" if src else agency
    return src


def _plain_row(r: ArticleSummary) -> str:
    """One tab-separated line per article, for grep/cut (ctx.print makes it safe)."""
    tags = " ".join(f"#{t}" for t in r.tags)
    fields = [_marks(r), r.id, (r.published or "")[:10], _source_label(r.source, r.agency)]
    return "\t".join([*fields, r.title, tags]).rstrip()


def _table(rows: list[ArticleSummary]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("tags", max_width=24, overflow="ellipsis")
    for r in rows:
        table.add_row(
            Text(_marks(r), style="bold yellow"),
            Text(r.id, style="cyan"),
            Text((r.published or "")[:10]),
            _safe(_source_label(r.source, r.agency)),
            Text(terminal_safe(r.title), style="" if r.read else "bold"),
            Text(terminal_safe(" ".join(f"#{t}" for t in r.tags)), style="magenta"),
        )
    return table


# -- show -----------------------------------------------------------------------------------


def article_json(article: Article, notes: Sequence[Note]) -> dict[str, Any]:
    """The `show --json` object: the article plus analysis lists and notes.

    Analysis is flattened so scripts need not know whether an article was analysed:
    `entities`/`quotes`/`figures` are empty lists and `analysed` is false when not.
    `stale` is true when `parallax reanalyze` would redo it (made by another analyser
    version, or never made), as `reanalyze --check` counts.
    """
    from parallax.analysis import is_stale  # cheap: never imports spaCy

    data = article.to_dict()
    analysis = data.pop("analysis", None)
    data["analysed"] = analysis is not None
    data["analysis_version"] = analysis["version"] if analysis else None
    data["stale"] = is_stale(article.analysis)
    for key in ("entities", "quotes", "figures", "sentences"):
        data[key] = analysis[key] if analysis else []
    data["notes"] = [note_json(n, article.body) for n in notes]
    return data


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Show one article (header, body, notes), its raw text, or its JSON."""
    lib = ctx.library()
    article = lib.get(args.id)
    notes = _notes(lib, article.id)
    if args.json:
        ctx.emit_json(article_json(article, notes))
        return 0
    if args.raw:
        # terminal_safe keeps every character but shows controls as visible escapes.
        ctx.print(article.raw)
        return 0
    if args.removed:
        if not article.removed:
            ctx.warn("cleaning removed nothing from this article")
        width = max((len(r.reason) for r in article.removed), default=0)
        for item in article.removed:
            where = f"@{item.offset}" if item.offset >= 0 else ""
            ctx.print(
                Text(f"{item.reason:<{width}}  ", style="yellow")
                + Text(f"{where:>7}  ", style="dim")
                + _safe(" ".join(item.text.split()))
            )
        return 0
    ctx.print(Text(terminal_safe(article.title), style="bold"))
    meta = " · ".join(
        x for x in (article.source, article.agency, article.author, article.published) if x
    )
    ctx.print(Text(terminal_safe(f"{article.id}  {meta}"), style="dim"))
    if article.url:
        ctx.print(Text(terminal_safe(article.url), style="dim"))
    flags = [name for name in ("read", "starred", "archived") if getattr(article, name)]
    extra = [*flags]
    if article.duplicate_of:
        extra.append(f"near-duplicate of {article.duplicate_of}")
    if article.story:
        extra.append(f"story {article.story}")
    if article.removed:
        extra.append(f"cleaning removed {len(article.removed)} passage(s): see --removed")
    if extra:
        ctx.print(Text(terminal_safe(" · ".join(extra)), style="dim"))
    if article.tags:
        ctx.print(Text(terminal_safe(" ".join(f"#{t}" for t in article.tags)), style="magenta"))
    ctx.print("")
    ctx.print(_body_text(article, notes, mark_notes=ctx.is_terminal))
    if notes:
        ctx.print("")
        ctx.print(Text(f"notes ({len(notes)})", style="bold"))
        for note in notes:
            _print_note(ctx, note, article.body)
    return 0


_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|~#+\-.!()=&{}])")
"""A Markdown backslash escape (ingest escapes article text so it renders as it reads);
`show` prints the text a reader would see, so the backslashes go."""


def _body_text(article: Article, notes: Sequence[Note], *, mark_notes: bool) -> Text:
    """The body as a reader sees it, as safe `Text`: Markdown escapes resolved, photo
    captions introduced by "Photo caption: " (dim, italic) and, on a terminal, the
    passages notes are anchored to in reverse video.

    Note spans index the stored body, so every change of length (a caption label, a
    dropped backslash) is recorded as a breakpoint to map them. terminal_safe lengthens
    text only if the body holds control characters (ingest removes them); then marking
    is skipped rather than risk marking the wrong words.
    """
    import bisect

    from parallax.export import CAPTION_LABEL, caption_parts

    body = Text()
    exact = True
    points: list[int] = [0]  # body offsets where the shift to shown offsets changes
    shifts: list[int] = [0]  # the shift from each point on
    shift = pos = 0
    for piece, is_caption in caption_parts(article.body, article.captions):
        if is_caption:
            body.append(CAPTION_LABEL, style="dim italic")
            shift += len(CAPTION_LABEL)
            points.append(pos)
            shifts.append(shift)
        safe = terminal_safe(piece)
        exact = exact and len(safe) == len(piece)
        shown = safe
        if exact:
            parts: list[str] = []
            last = 0
            for m in _MD_ESCAPE.finditer(piece):
                parts += [piece[last : m.start()], m.group(1)]
                last = m.end()
                shift -= 1
                points.append(pos + m.start() + 1)
                shifts.append(shift)
            shown = "".join(parts) + piece[last:]
        body.append(shown, style="italic" if is_caption else "")
        pos += len(piece)

    def to_shown(offset: int) -> int:
        return offset + shifts[bisect.bisect_right(points, offset) - 1]

    if mark_notes and exact:
        for note in notes:
            span = locate(note.anchor, article.body) if note.anchor else None
            if span is not None:
                body.stylize("reverse", to_shown(span.start), to_shown(span.end))
    return body


def note_json(note: Note, body: str | None) -> dict[str, Any]:
    """A note as JSON, with where its passage is now (`span`) or `orphaned: true`."""
    data = note.to_dict()
    if note.anchor is not None and body is not None:
        span = locate(note.anchor, body)
        data["orphaned"] = span is None
        data["span"] = [span.start, span.end] if span else None
    else:
        data["orphaned"] = False
        data["span"] = None
    return data


def _print_note(ctx: Context, note: Note, body: str | None, title: str | None = None) -> None:
    head = Text(f"[{note.id}] ", style="cyan") + Text(note.updated, style="dim")
    if title is not None:
        head += Text(f"  {note.article_id}  ", style="dim") + Text(
            terminal_safe(title), style="bold"
        )
    ctx.print(head)
    if note.anchor is not None:
        orphaned = body is None or locate(note.anchor, body) is None
        quote = Text("  > ", style="dim") + Text(
            terminal_safe(" ".join(note.anchor.quote.split())), style="italic"
        )
        if orphaned:
            quote += Text("  [orphaned: passage no longer in the article]", style="red")
        ctx.print(quote)
    ctx.print(Text("  ") + _safe(note.text))


# -- tags and flags -------------------------------------------------------------------------

_TAG_BAD = re.compile(r"[\s,\x00-\x1f\x7f-\x9f]")


def normalise_tag(tag: str) -> str:
    """A tag as stored: trimmed, without a leading '#'; whitespace, commas and control
    characters are refused (they would break lists, exports and Obsidian tags)."""
    clean = tag.strip().lstrip("#")
    if not clean or _TAG_BAD.search(clean) or clean != sanitize_text(clean):
        raise UsageError(
            f"invalid tag {terminal_safe(tag)!r}: tags are single words without spaces, "
            "commas or control characters (e.g. +north-korea)"
        )
    return clean


def cmd_tag(args: argparse.Namespace, ctx: Context) -> int:
    """`tag ID [ID...] +add -remove`: change tags on several articles at once."""
    items = list(args.items)
    as_json = args.json
    if "--json" in items:
        items.remove("--json")
        as_json = True
    ids: list[str] = []
    add: list[str] = []
    remove: list[str] = []
    for item in items:
        if item.startswith("+"):
            add.append(normalise_tag(item[1:]))
        elif item.startswith("-") and item != "-":
            remove.append(normalise_tag(item[1:]))
        elif add or remove:
            raise UsageError(
                f"{terminal_safe(item)!r}: write +{terminal_safe(item)} to add or "
                f"-{terminal_safe(item)} to remove a tag (ids come before tag changes)"
            )
        else:
            ids.append(item)
    if not ids:
        raise UsageError("usage: parallax tag ID [ID...] +tag -tag")
    lib = ctx.library()
    resolved = list(dict.fromkeys(lib.resolve_id(i) for i in ids))
    if add or remove:
        lib.update_tags(resolved, add=add, remove=remove)
    result = [{"id": i, "tags": lib.summary(i).tags} for i in resolved]
    if as_json:
        ctx.emit_json(result)
        return 0
    for row in result:
        tags = " ".join(f"#{t}" for t in row["tags"]) or "(no tags)"
        ctx.print(Text(f"{row['id']}: ", style="cyan") + _safe(tags))
    return 0


_FLAG_WORDS: dict[str, tuple[str, str]] = {
    "read": ("read", "unread"),
    "starred": ("starred", "unstarred"),
    "archived": ("archived", "unarchived"),
}


def cmd_flag(args: argparse.Namespace, ctx: Context) -> int:
    """read/star/archive: resolve every id first, so a typo changes nothing."""
    lib = ctx.library()
    flag: Flag = args.flag
    ids = list(dict.fromkeys(lib.resolve_id(i) for i in args.ids))
    value = not args.off
    lib.set_flag(ids, flag, value)
    if args.json:
        ctx.emit_json({"ids": ids, flag: value})
        return 0
    word = _FLAG_WORDS[flag][0 if value else 1]
    for i in ids:
        ctx.print(f"{i}: {word}")
    return 0


# -- notes ---------------------------------------------------------------------------------


def _note_text(text: str) -> str:
    if text == "-":
        text = sys.stdin.read()
    # The user's own words, but possibly piped from elsewhere: no control characters.
    text = sanitize_text(text).strip()
    if not text:
        raise UsageError("the note is empty; give its text (or - to read it from stdin)")
    return text


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    """Add (`ID TEXT`), edit (`--edit NOTE_ID TEXT`) or delete (`--delete NOTE_ID`)."""
    positional: list[str] = list(args.args)
    if args.delete:
        if positional or args.quote:
            raise UsageError("usage: parallax note --delete NOTE_ID")
        lib = ctx.library()
        lib.delete_note(args.delete)
        if args.json:
            ctx.emit_json({"deleted": args.delete})
        else:
            ctx.print(f"deleted note {args.delete}")
        return 0
    if args.edit:
        if len(positional) < 1 or args.quote:
            raise UsageError("usage: parallax note --edit NOTE_ID TEXT")
        note = ctx.library().update_note(args.edit, _note_text(" ".join(positional)))
    else:
        if len(positional) < 2:
            raise UsageError("usage: parallax note ID TEXT [--quote PASSAGE]")
        text = _note_text(" ".join(positional[1:]))
        lib = ctx.library()
        article = lib.get(positional[0])
        anchor = None
        if args.quote is not None:
            anchor = make_anchor(article.body, args.quote, occurrence=args.occurrence)
        elif args.occurrence is not None:
            raise UsageError("--occurrence only makes sense with --quote")
        note = lib.add_note(article.id, text, anchor)
    if args.json:
        ctx.emit_json(note.to_dict())
    else:
        ctx.print(Text(f"note {note.id} saved on {note.article_id}"))
    return 0


def cmd_notes(args: argparse.Namespace, ctx: Context) -> int:
    """List notes; anchored ones whose passage is gone are reported as orphaned."""
    lib = ctx.library()
    notes = _notes(lib, args.id)
    articles: dict[str, tuple[str | None, str]] = {}
    for n in notes:
        if n.article_id not in articles:
            try:
                a = lib.get(n.article_id)
                articles[n.article_id] = (a.body, a.title)
            except ParallaxError:
                articles[n.article_id] = (None, "(article missing)")
    if args.json:
        ctx.emit_json([note_json(n, articles[n.article_id][0]) for n in notes])
        return 0
    if not notes:
        ctx.warn("no notes")
        return 0
    for n in notes:
        body, title = articles[n.article_id]
        _print_note(ctx, n, body, title)
    return 0


# -- export ---------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Export to stdout, a file, or a folder (one file per article)."""
    from parallax.export import export_folder, export_json_text, export_markdown, write_private
    from storage import ArticleFilter

    lib = ctx.library()
    story = lib.story(args.story).id if args.story else None
    rows = lib.list(
        ArticleFilter(
            tag=args.tag,
            source=args.source,
            agency=args.agency,
            story=story,
            search=args.search,
            starred=True if args.starred else None,
            all_=True,
        ),
        sort="date",
        reverse=False,
    )
    ids = [r.id for r in rows]
    if args.ids:
        wanted = list(dict.fromkeys(lib.resolve_id(i) for i in args.ids))
        matching = set(ids)
        ids = [i for i in wanted if i in matching]
    if not ids:
        ctx.warn("no articles match; nothing exported")
        if args.format == "json" and not args.output:
            ctx.emit_json([])  # scripts reading stdout still get one JSON document
        return 0
    by_id = {a.id: a for a in lib.iter_articles(ids)}
    notes_by: dict[str, list[Note]] = {}
    for n in _notes(lib):
        notes_by.setdefault(n.article_id, []).append(n)
    items = [(by_id[i], notes_by.get(i, [])) for i in ids if i in by_id]
    out = Path(args.output).expanduser() if args.output else None
    try:
        if out is not None and (out.is_dir() or args.output.endswith(("/", "\\"))):
            written = export_folder(out, items, fmt=args.format)
            ctx.print(f"exported {len(written)} article(s) to {out}/")
            return 0
        text = export_json_text(items) if args.format == "json" else export_markdown(items)
        if out is None:
            # Exported fields are sanitised already; terminal_safe is the second line of
            # defence for anything stored before a sanitising rule existed.
            sys.stdout.write(text if args.format == "json" else terminal_safe(text))
            sys.stdout.flush()
            return 0
        write_private(out, text)
    except OSError as exc:
        raise ParallaxError(
            f"cannot write export to {out}: {exc.strerror or exc}; check the path"
        ) from exc
    ctx.print(f"exported {len(items)} article(s) to {out}")
    return 0
