"""Recall of BASIL's `main-entities` among each article's entities: plain spaCy vs Parallax.

BASIL (../shared/eval/basil/) gives, for 300 articles from three outlets, the people and
bodies each story is about. A reader filtering or comparing by entity needs those found
and keyed consistently. A main entity counts as found when an entity of the article has
the same normal name (case, accents, hyphens, "the", possessives folded) - for plain
spaCy from the entity text, for Parallax also through its identity key (aliases, surname
resolution). Rules were developed on 2010-2014; 2015-2019 is reported separately.

It also scores Parallax's sentence spans against BASIL's sentence lists (the boundaries
inside each paragraph), beside a naive "split after . ! ? before a capital" baseline, and
compares quote speakers with BASIL's annotated quotes whose speaker is named (a
surname match counts as agreement; BASIL often names a group, e.g. "Republican
lawmakers", where the article quotes one of them, so "differs" is not all error).

Run: uv run python benchmarks/basil_entities.py
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
ARTICLES = EVAL / "basil" / "articles"


def load() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in sorted(ARTICLES.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = data.get("body-paragraphs") or []
        body = "\n\n".join(" ".join(p) for p in paragraphs)
        out.append(
            {
                "year": int(path.parent.name),
                "body": body,
                "date": data.get("date"),
                "main": [m for m in data.get("main-entities") or [] if m.strip()],
            }
        )
    return out


def main() -> None:
    from parallax.analysis import loader
    from parallax.analysis.identity import alias_table, normalize_name
    from parallax.analysis.pipeline import run
    from parallax.config import spacy_model_name

    aliases = alias_table(use_config=False)

    def canon(name: str) -> str:
        normal = normalize_name(name)
        hit = aliases.lookup(normal)
        return hit[1] if hit else normal

    articles = load()
    name = spacy_model_name()
    nlp = loader.load_pipeline(name)
    texts = [str(a["body"]) for a in articles]
    t0 = time.perf_counter()
    raw_names = [
        {normalize_name(e.text) for e in doc.ents} for doc in nlp.pipe(texts, batch_size=32)
    ]
    t1 = time.perf_counter()
    analyses = run(nlp, texts, [a["date"] for a in articles], aliases=aliases,  # type: ignore[misc]
                   version="bench", model=name)  # fmt: skip
    t2 = time.perf_counter()
    our_names = []
    for analysis in analyses:
        names = {normalize_name(e.text) for e in analysis.entities}
        names |= {e.key.split(":", 1)[1] for e in analysis.entities}
        our_names.append(names)

    print(f"model {name}; {len(articles)} articles")
    print(f"{'years':<10} {'main entities':>13} {'plain spaCy':>12} {'Parallax':>9}")
    for label, lo, hi in (("2010-2014", 2010, 2014), ("2015-2019", 2015, 2019), ("all", 0, 9999)):
        total = found_raw = found_ours = 0
        for article, raw, ours in zip(articles, raw_names, our_names, strict=True):
            if not lo <= int(article["year"]) <= hi:  # type: ignore[call-overload]
                continue
            for main_entity in article["main"]:  # type: ignore[attr-defined]
                total += 1
                found_raw += normalize_name(main_entity) in raw
                found_ours += canon(main_entity) in ours or normalize_name(main_entity) in ours
        print(f"{label:<10} {total:>13} {found_raw / total:>12.3f} {found_ours / total:>9.3f}")
    print(f"time: plain {t1 - t0:.1f}s, Parallax {t2 - t1:.1f}s")
    sentence_boundaries()
    quote_speakers(analyses)


_NAIVE = re.compile(r"[.!?][\"”]?(\s+)(?=[\"“A-Z])")


def sentence_boundaries() -> None:
    """Boundary precision/recall of `split_sentences` against BASIL's sentence lists."""
    from parallax.analysis.text import split_sentences

    counts = {"Parallax": [0, 0, 0], "naive": [0, 0, 0]}  # tp, fp, fn
    for path in sorted(ARTICLES.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for paragraph in data.get("body-paragraphs") or []:
            sentences = [s.strip() for s in paragraph if s.strip()]
            text = " ".join(sentences)
            gold: set[int] = set()
            pos = 0
            for sentence in sentences[:-1]:
                pos += len(sentence)
                gold.add(pos)
                pos += 1
            ours = {span.end for span in split_sentences(text)} - {len(text)}
            naive = {m.start(1) for m in _NAIVE.finditer(text)}
            for name, found in (("Parallax", ours), ("naive", naive)):
                counts[name][0] += len(found & gold)
                counts[name][1] += len(found - gold)
                counts[name][2] += len(gold - found)
    print("\nsentence boundaries vs BASIL sentence lists (P / R / F1):")
    for name, (tp, fp, fn) in counts.items():
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        print(f"  {name:<9} {precision:.3f} / {recall:.3f} / {f1:.3f}")


def quote_speakers(analyses: list[Any]) -> None:
    """Agreement of quote speakers with BASIL's named speakers of annotated quotes."""
    from parallax.analysis.identity import normalize_name

    counts = {"agrees": 0, "differs": 0, "pronoun": 0, "no speaker": 0, "no quote": 0}
    paths = sorted(ARTICLES.glob("*/*.json"))
    for path, analysis in zip(paths, analyses, strict=True):
        ann = EVAL / "basil" / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        if not ann.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in data.get("body-paragraphs") or [])
        for item in json.loads(ann.read_text(encoding="utf-8"))["phrase-level-annotations"]:
            speaker = item.get("speaker") or ""
            if item.get("quote") != "yes" or not speaker or speaker.startswith("other"):
                continue
            txt = item["txt"].strip("“”\"' ")
            at = body.find(txt[:40])
            if at < 0:
                continue
            quotes = [q for q in analysis.quotes if q.start < at + len(txt) and at < q.end]
            if not quotes:
                counts["no quote"] += 1
            elif quotes[0].speaker is None:
                counts["no speaker"] += 1
            elif quotes[0].speaker.lower() in {"he", "she", "they"}:
                counts["pronoun"] += 1
            else:
                surname = normalize_name(speaker.replace("_", " ")).split()[-1]
                found = normalize_name(quotes[0].speaker) + " " + (quotes[0].speaker_key or "")
                counts["agrees" if surname in found else "differs"] += 1
    total = sum(counts.values())
    print(f"\nquote speakers vs BASIL's {total} annotated quotes with a named speaker:")
    print("  " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    named = counts["agrees"] + counts["differs"]
    print(f"  agreement where Parallax names a speaker: {counts['agrees'] / named:.3f}")


if __name__ == "__main__":
    main()
