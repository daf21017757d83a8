"""The sentence matcher: do two sentences state the same fact, and how closely?

Lexical and fast on purpose: alignment compares every plausible sentence pair of two
articles (thousands of pairs), and the reader must stay responsive on a laptop. The score
is a logistic combination of a dozen overlap features (IDF-weighted content overlap,
containment both ways, word bigrams, character similarity, number and negation
agreement). Its weights, the IDF table and the decision threshold were fitted on the MSRP
*training* split only by `benchmarks/msrp.py --fit`, which writes
`parallax/compare/data/matcher.json`; `benchmarks/msrp.py` reports on the test split.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from parallax.compare.text import content_stems, has_negation, numbers, stem, token_pairs

DATA_FILE = Path(__file__).resolve().parent / "data" / "matcher.json"

FEATURES = (
    "w_jaccard",
    "w_min_containment",
    "w_max_containment",
    "all_jaccard",
    "bigram_dice",
    "char_ratio",
    "token_set_ratio",
    "numbers_differ",
    "numbers_one_sided",
    "length_ratio",
    "negation_differs",
    "max_unmatched_idf",
    "partial_ratio",
    "log_length",
)

# Used only until `benchmarks/msrp.py --fit` has produced the data file.
_DEFAULT_WEIGHTS = (2.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -0.3, 0.5, -0.8, -1.0, 1.0, 0.0)
_DEFAULT_BIAS = -4.0
_DEFAULT_THRESHOLD = 0.5
NEAR_IDENTICAL = 0.9
"""Character similarity above which an aligned pair counts as "same" wording."""


@dataclass(slots=True)
class MatcherParams:
    """Everything the matcher learned: feature weights, threshold and the IDF table."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    idf: dict[str, float]
    default_idf: float
    max_idf: float

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> MatcherParams:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(_DEFAULT_WEIGHTS, _DEFAULT_BIAS, _DEFAULT_THRESHOLD, {}, 5.0, 5.0)
        idf = {str(k): float(v) for k, v in data.get("idf", {}).items()}
        default_idf = float(data.get("default_idf", 5.0))
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            idf=idf,
            default_idf=default_idf,
            max_idf=max([default_idf, *idf.values()]),
        )


@lru_cache(maxsize=1)
def params() -> MatcherParams:
    return MatcherParams.load()


@dataclass(slots=True)
class Prepared:
    """A sentence reduced to what the matcher needs; prepare once, compare many times."""

    text: str
    norm: str
    toks: list[str]
    all_stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    content: frozenset[str]
    weight: dict[str, float]
    total: float
    nums: frozenset[str]
    negated: bool
    plain: frozenset[str] = frozenset()
    """Content stems written in lower case: the predicate words, not names or titles."""


def prepare(text: str, p: MatcherParams | None = None) -> Prepared:
    """Tokenise and weight one sentence."""
    p = p or params()
    pairs = token_pairs(text)
    toks = [t for t, _ in pairs]
    stems = [stem(t) for t in toks]
    content = frozenset(content_stems(toks))
    plain = frozenset(content_stems([t for t, raw in pairs if raw[:1].islower()]))
    weight = {t: p.idf.get(t, p.default_idf) for t in content}
    return Prepared(
        text=text,
        norm=" ".join(toks),
        toks=toks,
        all_stems=frozenset(stems),
        bigrams=frozenset(itertools.pairwise(stems)),
        content=content,
        weight=weight,
        total=sum(weight.values()),
        nums=frozenset(numbers(toks)),
        negated=has_negation(toks),
        plain=plain,
    )


def join(a: Prepared, b: Prepared) -> Prepared:
    """Two adjacent sentences as one (without re-tokenising either)."""
    weight = {**a.weight, **b.weight}
    junction: set[tuple[str, str]] = set()
    if a.toks and b.toks:
        junction.add((stem(a.toks[-1]), stem(b.toks[0])))
    return Prepared(
        text=a.text + " " + b.text,
        norm=a.norm + " " + b.norm,
        toks=a.toks + b.toks,
        all_stems=a.all_stems | b.all_stems,
        bigrams=a.bigrams | b.bigrams | junction,
        content=a.content | b.content,
        weight=weight,
        total=sum(weight.values()),
        nums=a.nums | b.nums,
        negated=a.negated or b.negated,
        plain=a.plain | b.plain,
    )


def features(a: Prepared, b: Prepared, p: MatcherParams | None = None) -> list[float]:
    """The feature vector of a sentence pair, in `FEATURES` order."""
    p = p or params()
    shared = a.content & b.content
    w_shared = sum(a.weight[t] for t in shared)
    w_union = a.total + b.total - w_shared
    w_jac = w_shared / w_union if w_union else 1.0
    cont_a = w_shared / a.total if a.total else 0.0
    cont_b = w_shared / b.total if b.total else 0.0
    all_union = len(a.all_stems | b.all_stems)
    all_jac = len(a.all_stems & b.all_stems) / all_union if all_union else 1.0
    nb = len(a.bigrams) + len(b.bigrams)
    bigram = 2 * len(a.bigrams & b.bigrams) / nb if nb else 1.0
    char = fuzz.ratio(a.norm, b.norm) / 100.0
    tset = fuzz.token_set_ratio(a.norm, b.norm) / 100.0
    nums_differ = 1.0 if a.nums and b.nums and a.nums != b.nums else 0.0
    nums_one = 1.0 if bool(a.nums) != bool(b.nums) else 0.0
    la, lb = len(a.toks), len(b.toks)
    length = min(la, lb) / max(la, lb) if max(la, lb) else 1.0
    neg = 1.0 if a.negated != b.negated else 0.0
    unmatched = [a.weight[t] for t in a.content - shared] + [
        b.weight[t] for t in b.content - shared
    ]
    max_unmatched = max(unmatched) / p.max_idf if unmatched else 0.0
    return [
        w_jac,
        min(cont_a, cont_b),
        max(cont_a, cont_b),
        all_jac,
        bigram,
        char,
        tset,
        nums_differ,
        nums_one,
        length,
        neg,
        max_unmatched,
        fuzz.partial_ratio(a.norm, b.norm) / 100.0,
        math.log1p(la + lb),
    ]


def score_prepared(a: Prepared, b: Prepared, p: MatcherParams | None = None) -> float:
    """Probability-like score in [0, 1] that the two sentences state the same fact."""
    p = p or params()
    if not a.toks or not b.toks:
        return 1.0 if not a.toks and not b.toks else 0.0
    z = p.bias + sum(w * f for w, f in zip(p.weights, features(a, b, p), strict=True))
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def graded_score(a: Prepared, b: Prepared, p: MatcherParams | None = None) -> float:
    """How similar two sentences are, in [0, 1]: a graded measure, not a decision.

    The paraphrase probability of `score_prepared` is fitted to a yes/no question (MSRP):
    it pushes loosely related pairs towards 0 and leans on features such as "only one
    side states a number", so it ranks partial overlaps poorly (STS-B Pearson 0.58,
    below plain TF-IDF cosine). The graded score is the unweighted mean of three overlap
    measures that each degrade smoothly as wording diverges: IDF cosine and IDF-weighted
    Jaccard over content stems (IDF from MSRP train) and rapidfuzz's token-set ratio.
    Nothing in it is fitted, so there is nothing to overfit.
    """
    p = p or params()
    if not a.toks or not b.toks:
        return 1.0 if not a.toks and not b.toks else 0.0
    shared = a.content & b.content
    w_shared = sum(a.weight[t] for t in shared)
    w_union = a.total + b.total - w_shared
    w_jac = w_shared / w_union if w_union else 1.0
    sq_a = sum(w * w for w in a.weight.values())
    sq_b = sum(w * w for w in b.weight.values())
    dot = sum(a.weight[t] ** 2 for t in shared)
    if sq_a and sq_b:
        cosine = dot / math.sqrt(sq_a * sq_b)
    else:  # only stopwords on a side: content overlap says nothing, wording does
        cosine = w_jac = fuzz.ratio(a.norm, b.norm) / 100.0
    tset = fuzz.token_set_ratio(a.norm, b.norm) / 100.0
    return max(0.0, min(1.0, (cosine + w_jac + tset) / 3.0))


def similarity(a: str, b: str) -> tuple[float, bool]:
    """Grade two sentences' similarity and decide "same fact".

    The two answers are deliberately separate measures: `same` is the MSRP-fitted
    paraphrase decision (`score_prepared >= threshold`, the one alignment links with);
    `score` is `graded_score`, which tracks graded human similarity (STS-B) better.
    They agree on the clear cases; near the boundary a "same" pair can score below a
    "different" one, because the decision also weighs numbers, negation and length.

    Returns:
        (graded score in [0, 1], same).
    """
    p = params()
    pa, pb = prepare(a, p), prepare(b, p)
    same = score_prepared(pa, pb, p) >= p.threshold
    return round(graded_score(pa, pb, p), 4), same


def near_identical(a: Prepared, b: Prepared) -> bool:
    """Whether two matched sentences share their wording, not just their meaning."""
    if a.negated != b.negated or a.nums != b.nums:
        return False  # "confirmed" / "did not confirm": close wording, not the same
    if [t for t in a.toks if t in a.nums] != [t for t in b.toks if t in b.nums]:
        return False  # "killed 10, injured 25" / "killed 25, injured 10"
    return fuzz.ratio(a.norm, b.norm) / 100.0 >= NEAR_IDENTICAL
