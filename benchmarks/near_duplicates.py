"""Near-duplicate detection: recall on synthetic wire-copy variants, false twins on BASIL,
and cost, for MinHash (`parallax.ingest.dedup`, what `parallax import` uses) against a
SimHash baseline (below; twins within 3 of 64 bits: the store's own check before ingest
became the one home for near-duplicates) measured in the same run.

1. Recall: each BASIL article and both seeds, edited the ways a second site edits wire
   copy (cut to 70% / 50%, 2% / 5% / 10% of words replaced, a paragraph added, spelling
   changed); a variant counts as found when it is flagged as a twin of its original.
2. False twins: every pair of BASIL articles (100 events, each told by Fox, NYT and
   HuffPost in their own words: same names, places and quotes) and the two seeds.
3. Real pairs: the AllSides roundups (about 1,500 articles from many outlets): every pair
   flagged by either method is printed with its outlets and titles, to be judged by eye
   (e.g. The Guardian running a Reuters story lightly edited).
4. Cost: signatures per second over the BASIL bodies, for both methods.

Run: uv run python benchmarks/near_duplicates.py
"""

from __future__ import annotations

import hashlib
import itertools
import random
import time
from collections.abc import Callable
from pathlib import Path

from parallax.ingest import ingest_paths
from parallax.ingest.dedup import is_near_duplicate, signature
from storage.search import tokens

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "basil" / "articles"
ALLSIDES = ROOT.parent / "shared" / "eval" / "allsides" / "allsides_2021-10-19.jsonl"
SEEDS = ROOT / "parallax" / "demo" / "seeds"


def simhash(text: str) -> int:
    """Baseline: 64-bit SimHash of word 3-shingles (bit b set when most shingle hashes
    have it set); near-identical texts differ in few bits. numpy-vectorised, as the store
    ran it, so the cost comparison is fair."""
    import numpy as np

    words = tokens(text)
    if len(words) < 3:
        return 0
    hashes = np.array(
        [
            int.from_bytes(
                hashlib.blake2b(" ".join(words[i : i + 3]).encode("utf-8"), digest_size=8).digest(),
                "big",
            )
            for i in range(len(words) - 2)
        ],
        dtype=">u8",
    )
    bits = np.unpackbits(hashes.view(np.uint8)).reshape(len(hashes), 64)
    counts = bits.sum(axis=0, dtype=np.int64)  # column 0 is bit 63
    return sum(1 << (63 - int(col)) for col in np.nonzero(counts * 2 > len(hashes))[0])


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bodies(path: Path) -> list[str]:
    return [a.body for r in ingest_paths([str(path)]) for a in r.articles if a.body]


def edit(text: str, rate: float, rng: random.Random) -> str:
    return " ".join(
        f"w{rng.randrange(10**6)}" if rng.random() < rate else w for w in text.split(" ")
    )


def cut(text: str, share: float) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(paras[: max(1, round(len(paras) * share))])


VARIANTS: dict[str, Callable[[str, random.Random], str]] = {
    "cut to 70%": lambda t, r: cut(t, 0.7),
    "cut to 50%": lambda t, r: cut(t, 0.5),
    "2% words": lambda t, r: edit(t, 0.02, r),
    "5% words": lambda t, r: edit(t, 0.05, r),
    "10% words": lambda t, r: edit(t, 0.10, r),
    "para added": lambda t, r: t + "\n\nThe wire service contributed to this report.",
    "spelling": lambda t, r: (
        t.replace("ize", "ise").replace("or ", "our ").replace("program", "programme")
    ),
}


def main() -> None:
    texts = bodies(EVAL) + bodies(SEEDS)
    texts = [t for t in texts if len(t.split()) >= 80]
    rng = random.Random(7)
    print(f"{len(texts)} articles (BASIL + seeds, >= 80 words)")

    start = time.perf_counter()
    mh = [signature(t) for t in texts]
    t_mh = time.perf_counter() - start
    start = time.perf_counter()
    sh = [simhash(t) for t in texts]
    t_sh = time.perf_counter() - start
    print(
        f"cost: MinHash {len(texts) / t_mh:,.0f} docs/s, SimHash {len(texts) / t_sh:,.0f} docs/s "
        f"(MinHash/SimHash time {t_mh / t_sh:.2f}x)"
    )

    print(f"\n{'variant':<12} {'MinHash recall':>15} {'SimHash recall':>15}")
    for name, make in VARIANTS.items():
        found_mh = found_sh = 0
        for text, sig, fp in zip(texts, mh, sh, strict=True):
            variant = make(text, rng)
            found_mh += is_near_duplicate(sig, signature(variant))
            found_sh += hamming(fp, simhash(variant)) <= 3
        print(f"{name:<12} {found_mh / len(texts):>15.1%} {found_sh / len(texts):>15.1%}")

    pairs = list(itertools.combinations(range(len(texts)), 2))
    false_mh = sum(is_near_duplicate(mh[i], mh[j]) for i, j in pairs)
    false_sh = sum(hamming(sh[i], sh[j]) <= 3 for i, j in pairs)
    print(
        f"\nfalse twins over {len(pairs):,} distinct-article pairs: "
        f"MinHash {false_mh}, SimHash {false_sh}"
    )
    if ALLSIDES.exists():
        real_pairs()


def real_pairs() -> None:
    """Pairs flagged among real articles from many outlets, by method, for judging."""
    from parallax.ingest.dedup import NearDuplicateIndex

    articles = [a for r in ingest_paths([str(ALLSIDES)]) for a in r.articles if a.body]
    index = NearDuplicateIndex()
    fps: dict[str, int] = {}
    found: list[tuple[str, str, str]] = []
    for a in articles:
        sig = signature(a.body)
        twin = index.find(sig, exclude=a.id)
        fp = simhash(a.body)
        by_simhash = next((i for i, f in fps.items() if i != a.id and hamming(f, fp) <= 3), None)
        if twin and by_simhash:
            found.append(("both", a.id, twin))
        elif twin:
            found.append(("MinHash only", a.id, twin))
        elif by_simhash:
            found.append(("SimHash only", a.id, by_simhash))
        index.add(a.id, sig)
        fps.setdefault(a.id, fp)
    by_id = {a.id: a for a in articles}
    print(f"\nAllSides: {len(articles)} articles, {len(found)} flagged as twins:")
    for method, one, other in found:
        a, b = by_id[one], by_id[other]
        print(f"  [{method}] {a.source}: {a.title[:60]!r}")
        print(f"      ~ {b.source}: {b.title[:60]!r}")


if __name__ == "__main__":
    main()
