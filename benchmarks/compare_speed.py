"""Comparison speed: two 1,000-word articles, a 10-source story matrix, grouping 10,000.

    uv run python benchmarks/compare_speed.py

Targets (issue 4): compare two stored 1,000-word articles < 50 ms; a 10-source story
matrix < 1 s; grouping 10,000 articles into stories < 10 s. Each figure is printed beside
a baseline measured in the same run, with the ratio:
- pair: a naive aligner (difflib word ratio on every sentence pair);
- matrix: the same matrix built from 45 pairwise `compare_articles` calls;
- grouping: computing the articles' signatures alone (the floor any grouping pays).
Articles are real BASIL news bodies (read from ../shared/eval, not copied), trimmed or
joined to length; the 10,000 grouping articles are synthetic (2,000 events x 5 outlets).
"""

from __future__ import annotations

import difflib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parallax.compare import compare_articles  # noqa: E402
from parallax.compare.matrix import story_matrix  # noqa: E402
from parallax.compare.stories import group_articles, signature  # noqa: E402
from parallax.compare.text import segment  # noqa: E402
from parallax.model import Article  # noqa: E402

BASIL = ROOT.parent / "shared" / "eval" / "basil" / "articles"


def basil_bodies() -> list[tuple[str, str]]:
    """(triplet id, body) of every BASIL article, in a stable order."""
    out = []
    for path in sorted(BASIL.glob("*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in d.get("body-paragraphs", []))
        out.append((d["triplet-uuid"], body))
    return out


def words_to(body: str, extra: list[str], n: int) -> str:
    """Trim or extend (with more paragraphs) a body to about `n` words."""
    paras = body.split("\n\n")
    for more in extra:
        if sum(len(p.split()) for p in paras) >= n:
            break
        paras += more.split("\n\n")
    out: list[str] = []
    count = 0
    for p in paras:
        if count >= n:
            break
        out.append(p)
        count += len(p.split())
    return "\n\n".join(out)


def best_of(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) if runs < 5 else statistics.median(times)


def naive_align(a: Article, b: Article) -> int:
    sa = [s.text.split() for s in segment(a.body)]
    sb = [s.text.split() for s in segment(b.body)]
    hits = 0
    for x in sa:
        for y in sb:
            if difflib.SequenceMatcher(a=x, b=y, autojunk=False).ratio() > 0.6:
                hits += 1
    return hits


def synthetic(n_events: int, per_event: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    vocab = [f"word{k}" for k in range(5000)]
    names = [f"Name{k} Person{k}" for k in range(8000)]
    places = [f"Place{k}" for k in range(2000)]
    articles = []
    for e in range(n_events):
        day = 1 + (e * 1000) // n_events
        event_words = rng.sample(vocab, 15)
        event_names = rng.sample(names, 3) + rng.sample(places, 2)
        for k in range(per_event):
            words = event_words + rng.sample(vocab, 120)
            rng.shuffle(words)
            sentences = [" ".join(words[i : i + 15]) for i in range(0, len(words), 15)]
            body = ". ".join(f"{s.capitalize()} said {rng.choice(event_names)}" for s in sentences)
            y, rem = divmod(day + rng.randint(0, 2), 365)
            published = f"{2015 + y}-{1 + rem // 31 % 12:02d}-{1 + rem % 28:02d}"
            title = " ".join(rng.sample(event_words, 5) + event_names[:1])
            articles.append(
                Article(id=f"e{e}-{k}", title=title, body=body + ".", raw="", published=published)
            )
    return articles


def main() -> None:
    bodies = basil_bodies()
    triplet = bodies[0][0]
    same = [b for t, b in bodies if t == triplet]
    others = [b for t, b in bodies if t != triplet]

    # -- pair ------------------------------------------------------------------------------
    a = Article(id="a", title="A", body=words_to(same[0], others[:10], 1000), raw="")
    b = Article(id="b", title="B", body=words_to(same[1], others[10:20], 1000), raw="")
    compare_articles(a, b)  # warm up (loads matcher data)
    ours = best_of(lambda: compare_articles(a, b), 15)
    base = best_of(lambda: naive_align(a, b), 3)
    print(
        f"compare two articles ({len(a.body.split())} and {len(b.body.split())} words): "
        f"{ours * 1000:.1f} ms (target < 50 ms); naive difflib all-pairs aligner "
        f"{base * 1000:.1f} ms; ratio {ours / base:.2f}"
    )

    # The same pair read from a real store first (what `parallax compare A B` does).
    try:
        import tempfile

        from storage import Library

        with tempfile.TemporaryDirectory() as tmp:
            lib = Library.open(Path(tmp) / "library.json", create=True)
            try:
                lib.add_articles([a, b])
                stored = best_of(lambda: compare_articles(lib.get("a"), lib.get("b")), 15)
            finally:
                lib.close()
        print(
            f"  ... read from a store and compared: {stored * 1000:.1f} ms "
            f"(ratio to naive aligner {stored / base:.2f})"
        )
    except ImportError:
        print("  (storage not available: store round trip not measured)")

    # -- matrix ----------------------------------------------------------------------------
    sources = [
        Article(
            id=f"s{k}", title=f"S{k}", body=words_to(b_, others[k * 5 : k * 5 + 5], 800), raw=""
        )
        for k, b_ in enumerate(same + others[100:107])
    ]
    ours = best_of(lambda: story_matrix(sources), 3)
    base = best_of(
        lambda: [
            compare_articles(sources[x], sources[y])
            for x in range(len(sources))
            for y in range(x + 1, len(sources))
        ],
        1,
    )
    print(
        f"story matrix, {len(sources)} sources of ~800 words: {ours * 1000:.0f} ms (target < 1 s); "
        f"45 pairwise comparisons {base * 1000:.0f} ms; ratio {ours / base:.2f}"
    )

    # -- grouping --------------------------------------------------------------------------
    articles = synthetic(2000, 5)
    t0 = time.perf_counter()
    groups = group_articles(articles)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for art in articles:
        signature(art)
    base = time.perf_counter() - t0
    pure = sum(1 for g in groups if len({x.split("-")[0] for x in g}) == 1)
    print(
        f"group {len(articles):,} synthetic articles: {ours:.2f} s (target < 10 s), "
        f"{len(groups):,} stories ({pure:,} single-event); signatures alone {base:.2f} s; "
        f"ratio {ours / base:.2f}"
    )


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(
        description="Comparison speed (pair, 10-source matrix, grouping 10,000) beside "
        "baselines measured in the same run."
    ).parse_args()
    main()
