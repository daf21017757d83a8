"""`parallax analyze` and `parallax reanalyze`: run analysis outside or over the store.

`analyze` serves scripting and benchmarking: files are analysed exactly as they are (no
cleaning), so offsets index into the file content. `reanalyze` brings stored analysis up
to date after a model, rule or alias change (stale analyses are found by version).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from parallax.cli.context import Context
from parallax.model import Analysis, Article, ParallaxError

REANALYZE_BATCH = 64


class InputFileError(ParallaxError):
    """A file given to `parallax analyze` cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="analyse text files without storing them (entities, quotes)",
        description="Analyse text files as they are (no cleaning) and print entities and "
        "quotes. Offsets index into each file's content.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files to analyse")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.add_argument(
        "--published",
        metavar="DATE",
        help="publication date (YYYY-MM-DD) used to resolve 'Wednesday' and similar",
    )
    p.set_defaults(func=cmd_analyze)

    r = subparsers.add_parser(
        "reanalyze",
        help="rerun analysis on stored articles (stale ones by default)",
        description="Rerun analysis on the given articles, or on every article whose "
        "analysis is missing or was made by another analyser version.",
    )
    r.add_argument("ids", nargs="*", metavar="ID", help="article ids or unique prefixes")
    r.add_argument("--all", action="store_true", help="reanalyse every article")
    r.add_argument("--check", action="store_true", help="only report how many articles are stale")
    r.add_argument("--json", action="store_true", help="print a JSON summary")
    r.set_defaults(func=cmd_reanalyze)


def _read(path: str) -> str:
    p = Path(path)
    if p.is_dir():
        raise InputFileError(f"{path} is a directory; give the text files inside it")
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    # Verbatim: offsets index into the decoded content, BOM and all.
    return data.decode("utf-8", errors="replace")


def analysis_json(path: str, analysis: Analysis) -> dict[str, Any]:
    """The `analyze --json` record of one file."""
    return {
        "path": path,
        "entities": [
            {
                "start": e.start,
                "end": e.end,
                "label": e.label,
                "text": e.text,
                "key": e.key,
                "value": e.value,
            }
            for e in analysis.entities
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker": q.speaker,
                "speaker_key": q.speaker_key,
            }
            for q in analysis.quotes
        ],
    }


def cmd_analyze(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.analysis import analyze_texts

    texts = [_read(path) for path in args.paths]
    analyses = analyze_texts(texts, args.published)
    if args.json:
        ctx.emit_json([analysis_json(p, a) for p, a in zip(args.paths, analyses, strict=True)])
        return 0
    for path, analysis in zip(args.paths, analyses, strict=True):
        _print_analysis(ctx, path, analysis)
    return 0


def _print_analysis(ctx: Context, path: str, analysis: Analysis) -> None:
    ctx.print(f"{path}: {len(analysis.entities)} entities, {len(analysis.quotes)} quotes")
    seen: dict[str, tuple[str, str, int]] = {}
    for e in analysis.entities:
        label, text, count = seen.get(e.key, (e.label, e.text, 0))
        seen[e.key] = (label, text, count + 1)
    for key, (label, text, count) in sorted(seen.items(), key=lambda kv: -kv[1][2]):
        ctx.print(f"  {label:<11} {text}  ({key}, x{count})")
    for q in analysis.quotes:
        snippet = q.text if len(q.text) <= 90 else q.text[:87] + "..."
        ctx.print(f'  quote: "{snippet}" - {q.speaker or "(speaker unknown)"}')


def cmd_reanalyze(args: argparse.Namespace, ctx: Context) -> int:
    from parallax.analysis import analyze_articles, analyzer_version

    lib = ctx.library(create=False)
    version = analyzer_version()

    def is_stale(article: Article) -> bool:
        return article.analysis is None or article.analysis.version != version

    # First pass: ids only (a store may hold more article bodies than fit in memory).
    given = [lib.resolve_id(i) for i in args.ids] if args.ids else None
    stale_ids: list[str] = []
    chosen: list[str] = []
    for article in lib.iter_articles(given):
        if is_stale(article):
            stale_ids.append(article.id)
        if given is not None or args.all or is_stale(article):
            chosen.append(article.id)
    if args.check:
        if args.json:
            ctx.emit_json({"version": version, "stale": len(stale_ids), "ids": stale_ids})
        else:
            ctx.print(f"{len(stale_ids)} article(s) need analysis (analyser version {version})")
        return 0
    # Second pass, batch by batch: analyse and store.
    done: list[str] = []
    for i in range(0, len(chosen), REANALYZE_BATCH):
        batch = list(lib.iter_articles(chosen[i : i + REANALYZE_BATCH]))
        for article, analysis in zip(batch, analyze_articles(batch), strict=True):
            lib.set_analysis(article.id, analysis)
            done.append(article.id)
    stale_count = len(stale_ids)
    if args.json:
        ctx.emit_json(
            {"version": version, "reanalyzed": len(done), "stale": stale_count, "ids": done}
        )
    else:
        ctx.print(f"reanalysed {len(done)} article(s) (analyser version {version})")
    return 0
