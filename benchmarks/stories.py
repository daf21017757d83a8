"""Story grouping quality: B-cubed F1 on BASIL and on the AllSides roundups.

    uv run python benchmarks/stories.py            # report (BASIL 2015-2019, AllSides)
    uv run python benchmarks/stories.py --tune     # grid over THRESHOLD / MAX_DAYS on
                                                   # BASIL 2010-2014 only, then report

Gold: BASIL's `triplet-uuid` (three outlets per event); AllSides: one roundup line = one
story. Articles are grouped without spaCy analysis (entities estimated from the text), as
right after a `--no-analyze` import; analysis only adds better entity keys. Baselines in
the same run: every article alone (singletons), and grouping by title-word Jaccard with
the same date window.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parallax.compare import stories  # noqa: E402
from parallax.model import Article, content_id  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"


def basil(years: range) -> tuple[list[Article], dict[str, str]]:
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for year in years:
        for path in sorted((EVAL / "basil" / "articles" / str(year)).glob("*.json")):
            d = json.loads(path.read_text(encoding="utf-8"))
            body = "\n\n".join(" ".join(p) for p in d.get("body-paragraphs", []))
            aid = content_id(path.name)
            articles.append(
                Article(
                    id=aid,
                    title=d.get("title", ""),
                    body=body,
                    raw=body,
                    source=d.get("source"),
                    published=d.get("date"),
                )
            )
            gold[aid] = d["triplet-uuid"]
    return articles, gold


def allsides() -> tuple[list[Article], dict[str, str]]:
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for line in (
        (EVAL / "allsides" / "allsides_2021-10-19.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        story = json.loads(line)
        day = (story.get("date") or "")[:10] or None
        for side, news in (story.get("news") or {}).items():
            raw = news.get("newBody") or ""
            parts: list[object] = raw if isinstance(raw, list) else [raw]
            if isinstance(raw, str) and raw.startswith("["):
                try:
                    parts = list(ast.literal_eval(raw))
                except (ValueError, SyntaxError):
                    parts = [raw]
            body = "\n\n".join(str(p) for p in parts)
            aid = content_id(str(story["id"]), side)
            articles.append(
                Article(
                    id=aid,
                    title=news.get("newsTitle", ""),
                    body=body,
                    raw=body,
                    source=news.get("newsSource"),
                    published=day,
                )
            )
            gold[aid] = str(story["id"])
    return articles, gold


def bcubed(groups: Sequence[Sequence[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    cluster_of = {a: k for k, g in enumerate(groups) for a in g}
    members: dict[int, set[str]] = {k: set(g) for k, g in enumerate(groups)}
    gold_members: dict[str, set[str]] = defaultdict(set)
    for a, g in gold.items():
        gold_members[g].add(a)
    p = r = 0.0
    for a in gold:
        c = members[cluster_of[a]]
        gm = gold_members[gold[a]]
        inter = len(c & gm)
        p += inter / len(c)
        r += inter / len(gm)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def title_jaccard_groups(articles: Sequence[Article], threshold: float = 0.2) -> list[list[str]]:
    """Baseline: single link on title-word Jaccard within the same date window."""
    words = {a.id: set(re.findall(r"[a-z]{3,}", a.title.lower())) for a in articles}
    days = {a.id: stories._parse_date(a.published) for a in articles}
    story: dict[str, int] = {}
    for k, a in enumerate(articles):
        best, best_s = None, threshold
        for b in articles[:k]:
            da, db = days[a.id], days[b.id]
            if da and db and abs((da - db).days) > stories.MAX_DAYS:
                continue
            u = words[a.id] | words[b.id]
            s = len(words[a.id] & words[b.id]) / len(u) if u else 0.0
            if s >= best_s:
                best, best_s = b.id, s
        story[a.id] = story[best] if best else k
    groups: dict[int, list[str]] = defaultdict(list)
    for aid, s in story.items():
        groups[s].append(aid)
    return list(groups.values())


def tune() -> None:
    articles, gold = basil(range(2010, 2015))
    best = (0.0, stories.THRESHOLD, stories.MAX_DAYS)
    best = (0.0, stories.THRESHOLD, stories.MAX_DAYS, stories.AVERAGE_SHARE)
    for days in (7, 14, 3, 30):  # ties go to a week, the usual news cycle
        for t in (0.10, 0.14, 0.18, 0.22, 0.26, 0.30, 0.35):
            for share in (1.0, 0.8, 0.6, 0.4, 0.0):  # ties go to the stricter average
                stories.THRESHOLD, stories.MAX_DAYS, stories.AVERAGE_SHARE = t, days, share
                f1 = bcubed(stories.group_articles(articles), gold)[2]
                print(
                    f"  threshold {t:.2f}, max days {days:2d}, average share {share:.1f}: F1 {f1:.3f}"
                )
                if f1 > best[0]:
                    best = (f1, t, days, share)
    _, stories.THRESHOLD, stories.MAX_DAYS, stories.AVERAGE_SHARE = best
    print(
        f"best on BASIL 2010-2014: threshold {best[1]:.2f}, max days {best[2]}, "
        f"average share {best[3]:.1f} (F1 {best[0]:.3f})"
    )
    print("(copy these into parallax/compare/stories.py)\n")


def report(name: str, articles: list[Article], gold: dict[str, str]) -> None:
    t0 = time.perf_counter()
    groups = stories.group_articles(articles)
    elapsed = time.perf_counter() - t0
    singles = [[a.id] for a in articles]
    base = title_jaccard_groups(articles)
    print(f"{name}: {len(articles)} articles, {len(set(gold.values()))} gold stories")
    print(f"  {'method':30s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for label, g in (
        ("singletons", singles),
        ("title Jaccard (single link)", base),
        ("parallax stories", groups),
    ):
        p, r, f1 = bcubed(g, gold)
        print(f"  {label:30s} {p:6.3f} {r:6.3f} {f1:6.3f}")
    print(f"  grouped in {elapsed:.2f} s ({len(groups)} stories)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="grid-search on BASIL 2010-2014")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="also group BASIL 2015-2019 with spaCy analysis (entity keys from the analyser)",
    )
    args = parser.parse_args()
    if args.tune:
        tune()
    print(
        f"settings: threshold {stories.THRESHOLD}, max days {stories.MAX_DAYS}, "
        f"average share {stories.AVERAGE_SHARE}"
    )
    report("BASIL 2015-2019 (held out)", *basil(range(2015, 2020)))
    report("BASIL 2010-2014 (tuning years)", *basil(range(2010, 2015)))
    report("AllSides roundups", *allsides())
    if args.analyze:
        from parallax.analysis import analyze_articles

        articles, gold = basil(range(2015, 2020))
        t0 = time.perf_counter()
        for art, analysis in zip(articles, analyze_articles(articles), strict=True):
            art.analysis = analysis
        print(f"(analysed in {time.perf_counter() - t0:.1f} s)")
        report("BASIL 2015-2019 with spaCy entity keys", articles, gold)


if __name__ == "__main__":
    main()
