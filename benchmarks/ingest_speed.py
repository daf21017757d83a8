"""Ingest throughput on real articles, and bounded time on pathological input.

1. Real data: the BASIL articles in ../shared/eval/basil/articles (JSON, 300 files) through
   `ingest_paths`, against a baseline measured in the same run on the same files: read the
   bytes, `json.loads` them and join the body paragraphs (the least any JSON import does).
   The ratio is Parallax's cost for decoding checks, field mapping, sanitising, Markdown
   escaping, metadata and ids.
2. Pathological files just under the 20 MB limit (a million short paragraphs, one 19 MB
   line, a 15 MB HTML page, a 150,000-record JSON array, a 150,000-item feed), each against
   the same-run baseline of reading and UTF-8-decoding the file. The target is bounded
   time: a few seconds per file, not minutes.

Run: uv run python benchmarks/ingest_speed.py [--rounds N] [--skip-pathological]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from parallax.ingest import ingest_paths

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
MB = 1024 * 1024


def best_of(rounds: int, fn: Callable[[], object]) -> float:
    """Best wall time of `rounds` runs (a busy shared machine inflates single runs)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def baseline_json(files: list[Path]) -> int:
    words = 0
    for f in files:
        data = json.loads(f.read_bytes())
        body = "\n\n".join(
            " ".join(p) if isinstance(p, list) else str(p) for p in data.get("body-paragraphs", [])
        )
        words += len(body.split())
    return words


def ingest_all(paths: list[str]) -> int:
    return sum(len(r.articles) for r in ingest_paths(paths))


def real_data(rounds: int) -> None:
    folder = EVAL / "basil" / "articles"
    files = sorted(folder.rglob("*.json"))
    if not files:
        print(f"BASIL articles not found under {folder}; skipping the real-data benchmark")
        return
    words = baseline_json(files)
    base = best_of(rounds, lambda: baseline_json(files))
    ours = best_of(rounds, lambda: ingest_all([str(folder)]))
    count = ingest_all([str(folder)])
    print(f"BASIL: {len(files)} files, {count} articles, {words} words")
    print(
        f"  baseline json.loads + join : {base * 1000:8.1f} ms  ({len(files) / base:8.0f} files/s)"
    )
    print(
        f"  parallax ingest_paths      : {ours * 1000:8.1f} ms  ({len(files) / ours:8.0f} files/s)"
    )
    print(
        f"  ratio ingest / baseline    : {ours / base:8.1f}x  ({ours / len(files) * 1000:.2f} ms per article)"
    )


def pathological(rounds: int) -> None:
    cases = {
        "many-paragraphs.txt": "Title\n\n"
        + "Share\n\nA sentence of prose that is long enough to count here.\n\n" * 280_000,
        "one-line.txt": "x" * (19 * MB),
        "huge.html": "<html><body>"
        + "<p>Paragraph of text about things that happened.</p>" * 300_000
        + "</body></html>",
        "big-array.json": json.dumps(
            [{"title": f"t{i}", "body": ["p"] * 20} for i in range(150_000)]
        ),
        "big-feed.rss": '<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
        + "".join(
            f"<item><title>I {i}</title><description>Body {i}</description></item>"
            for i in range(150_000)
        )
        + "</channel></rss>",
    }
    print(f"Pathological files (best of {rounds}):")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases.items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size / MB
            base = best_of(rounds, lambda p=path: p.read_bytes().decode("utf-8"))
            ours = best_of(rounds, lambda p=path: ingest_all([str(p)]))
            (result,) = ingest_paths([str(path)])
            print(
                f"  {name:20s} {size:5.1f} MB  baseline read+decode {base * 1000:7.1f} ms  "
                f"ingest {ours:6.2f} s  ratio {ours / base:7.0f}x  -> {result.status}, "
                f"{len(result.articles)} article(s), {len(result.warnings)} warning(s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-pathological", action="store_true")
    args = parser.parse_args()
    real_data(args.rounds)
    if not args.skip_pathological:
        pathological(max(1, args.rounds - 2))


if __name__ == "__main__":
    main()
