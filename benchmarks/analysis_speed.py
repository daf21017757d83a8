"""Analysis throughput: Parallax's analysis vs raw `nlp.pipe`, words per second.

Same texts (BASIL news articles from ../shared/eval/basil/), same loaded model, same
process, measured alternately batch by batch (so a busy shared machine affects both
alike); the median ratio over several rounds is reported. Baselines:

- raw NER: `nlp.pipe` with exactly the components Parallax runs (the tokenizer and
  `ner`): the ratio against it is Parallax's own overhead (text preparation, post-rules,
  identity, figures, quotes, sentences). The target is a ratio of at least 0.8.
- raw default pipeline: `nlp.pipe` with every component the model enables by default
  (what calling `spacy.load(name)` and `nlp.pipe` gives), for context.

Run: uv run python benchmarks/analysis_speed.py [--rounds N] [--articles N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--batch", type=int, default=10, help="articles per timed batch")
    args = parser.parse_args()

    import basil_entities  # same folder: the BASIL loader
    import spacy

    from parallax.analysis import loader
    from parallax.analysis.identity import alias_table
    from parallax.analysis.pipeline import run
    from parallax.config import spacy_model_name

    texts = [str(a["body"]) for a in basil_entities.load()][: args.articles]
    dates = [a["date"] for a in basil_entities.load()][: args.articles]
    words = sum(len(t.split()) for t in texts)
    name = spacy_model_name()
    nlp = loader.load_pipeline(name)
    full = spacy.load(name)
    aliases = alias_table(use_config=False)
    print(f"model {name}; {len(texts)} articles, {words} words; Parallax runs {nlp.pipe_names}")
    print(f"default pipeline: {full.pipe_names}")

    batches = [
        (texts[k : k + args.batch], dates[k : k + args.batch])
        for k in range(0, len(texts), args.batch)
    ]

    def raw_ner(batch: list[str]) -> None:
        for _doc in nlp.pipe(batch, batch_size=32):
            pass

    def ours(batch: list[str], batch_dates: list[object]) -> None:
        run(nlp, batch, batch_dates, aliases=aliases, version="bench", model=name)  # type: ignore[arg-type]

    ours(texts[:5], dates[:5])  # warm up caches (alias table, regexes) outside the timing
    # Raw NER and Parallax alternate batch by batch (order flipped each time), so a busy
    # shared machine slows both alike; each round gives one ratio, the median is reported.
    ratios: list[float] = []
    totals = {"raw NER": 0.0, "Parallax": 0.0}
    for r in range(args.rounds):
        spent = {"raw NER": 0.0, "Parallax": 0.0}
        for n, (batch, batch_dates) in enumerate(batches):
            order = ["raw NER", "Parallax"] if (n + r) % 2 == 0 else ["Parallax", "raw NER"]
            for label in order:
                t0 = time.perf_counter()
                if label == "raw NER":
                    raw_ner(batch)
                else:
                    ours(batch, batch_dates)
                spent[label] += time.perf_counter() - t0
        ratios.append(spent["raw NER"] / spent["Parallax"])
        for label in totals:
            totals[label] += spent[label]
        print(
            f"round {r + 1}: raw NER {words / spent['raw NER']:,.0f} words/s, "
            f"Parallax {words / spent['Parallax']:,.0f} words/s, ratio {ratios[-1]:.3f}"
        )
    t0 = time.perf_counter()
    for _doc in full.pipe(texts, batch_size=32):
        pass
    default_rate = words / (time.perf_counter() - t0)
    ours_rate = words * args.rounds / totals["Parallax"]
    print(f"raw default pipeline (once, for context): {default_rate:,.0f} words/s")
    print(
        f"ratio Parallax / raw NER pipe: median {statistics.median(ratios):.3f} over "
        f"{args.rounds} rounds (min {min(ratios):.3f}, max {max(ratios):.3f}; target >= 0.8)"
    )
    print(f"ratio Parallax / raw default pipe: {ours_rate / default_rate:.3f}")


if __name__ == "__main__":
    main()
