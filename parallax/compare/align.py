"""Compare two articles: sentence alignment, entity/quote/figure diffs, possible conflicts.

`compare_articles` is a pure function of two `Article`s. It segments both bodies itself
(see `text.segment`), scores plausible sentence pairs with the MSRP-calibrated matcher and
links every pair above the threshold, so one sentence may cover several on the other side
(also tried: a sentence against two adjacent sentences joined, the usual way one outlet
splits what another says at once). Entities, quotes and figures come from the articles'
analyses when both have one, otherwise from conservative text estimators
(`fallback`), so un-analysed articles still compare.

Conflicts are only ever "check" flags with a reason: lexical evidence that two aligned or
closely related passages may disagree (negation, different figures for the same thing,
"no agreement" against "a deal"). The reader decides.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from parallax.compare import fallback
from parallax.compare.matcher import (
    MatcherParams,
    Prepared,
    join,
    near_identical,
    params,
    prepare,
    score_prepared,
)
from parallax.compare.text import (
    NEGATIONS,
    Sentence,
    content_stems,
    segment,
    stem,
    token_pairs,
    tokens,
    words,
)
from parallax.compare.types import (
    AlignedSentence,
    Comparison,
    Conflict,
    EntityCoverage,
    FigureDiff,
    FigureMention,
    Link,
    QuotePair,
    SentenceStatus,
    SourceInfo,
    WordDiff,
)
from parallax.model import Article, Entity, Figure, Quote

# Entity labels that are figures, not things: they belong to the figure diff.
NUMERIC_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
# Pairs are considered only if their shared content weight reaches this share of the
# smaller sentence (the matcher's "max containment" feature): unrelated pairs, the vast
# majority, are skipped without computing features. On MSRP train no pair the matcher
# accepts has a max containment below 0.35, so sentence-level scoring starts there;
# clause-level matching looks a little lower (a shared clause in two long sentences).
SENTENCE_OVERLAP = 0.35
CANDIDATE_OVERLAP = 0.3
# Bounds that keep pathological input (thousands of near-identical sentences) linear:
# a word in more sentences than MAX_POSTINGS does not propose candidates, each sentence
# keeps its MAX_CANDIDATES best, and at most MAX_CHECKED sentences / quotes per side
# enter the quadratic conflict and quote pairing passes.
MAX_POSTINGS = 200
MAX_CANDIDATES = 12
MAX_CHECKED = 400
# Candidate pairs with at least this overlap also get clause-against-clause matching.
CLAUSE_OVERLAP = 0.3
MIN_SHARED_CLAUSE_WORDS = 3
# A partial link: clauses sharing this many content words (this many lower-case), holding
# this share of the smaller clause's weight. On the seed pair this links "a day after
# high-level inter-Korean talks" to "a day after the two Koreas resumed their high-level
# talks" and the family reunions, and nothing that is names alone.
PARTIAL_WORDS = 4
PARTIAL_PLAIN = 2
# ... or this many content words when only one of them is lower-case: one shared predicate
# among many shared names is still a fact ("US Secretary of State John Kerry headed to
# Seoul" / "U.S. Secretary of State John Kerry ... travels to Seoul", the verbs folded by
# `text.stem`); names alone never are.
PARTIAL_WORDS_ONE_PLAIN = 6
PARTIAL_CONTAINMENT = 0.6
# Partial links are looked for among pairs sharing this much (below CANDIDATE_OVERLAP: a
# clause shared by two long sentences is a small part of either).
PARTIAL_OVERLAP = 0.2
# Passages this related (windowed content overlap) are checked for outcome conflicts.
RELATED_OVERLAP = 0.3

# "agreement" stated as absent on one side and present on the other.
_OUTCOME_TERMS = frozenset(
    stem(w)
    for w in words(
        "agreement agreements deal deals accord accords pact pacts breakthrough consensus "
        "settlement treaty compromise agreed agree"
    )
)


@dataclass(slots=True)
class _Side:
    article: Article
    sentences: list[Sentence]
    prepared: list[Prepared]
    window: list[dict[str, float]]
    clause_cache: dict[int, list[Prepared]]

    def clauses(self, i: int, p: MatcherParams) -> list[Prepared]:
        if i not in self.clause_cache:
            self.clause_cache[i] = [prepare(c, p) for c in clauses(self.sentences[i].match_text)]
        return self.clause_cache[i]


_CLAUSE_SPLIT = re.compile(
    r"\s*(?:[,;:]\s+|\s*[—–―]\s*|\s+--?\s+)"
    r"|\s+(?=(?:who|which|although|though|while|but|and|adding|after|before|because|when|"
    r"shortly|whereas)\b)"
)
MIN_CLAUSE_WORDS = 4


def clauses(text: str) -> list[str]:
    """A sentence's clauses, and each adjacent pair joined, for partial matches.

    News sentences pack several facts ("Kerry will meet Park Geun-hye, who came to
    office a year ago ..."); the shared fact is often one clause of each. Fragments
    shorter than `MIN_CLAUSE_WORDS` words are merged into their neighbour.
    """
    parts = [x for x in _CLAUSE_SPLIT.split(text) if x and x.strip()]
    merged: list[str] = []
    for x in parts:
        if merged and (
            len(x.split()) < MIN_CLAUSE_WORDS or len(merged[-1].split()) < MIN_CLAUSE_WORDS
        ):
            merged[-1] += " " + x
        else:
            merged.append(x)
    if len(merged) < 2:
        return []
    return merged + [merged[k] + " " + merged[k + 1] for k in range(len(merged) - 2)]


def _clause_pair_ok(x: Prepared, y: Prepared) -> bool:
    """Whether two clauses share enough to be one fact: several content words, one of
    them a plain (lower-case) word on both sides. Names and titles alone ("Senate
    Majority Leader Mitch McConnell", "Make America Great Again") are not a fact."""
    return len(x.content & y.content) >= MIN_SHARED_CLAUSE_WORDS and bool(x.plain & y.plain)


def _prepare_side(article: Article, p: MatcherParams) -> _Side:
    sentences = segment(article.body or "", list(article.captions or []))
    prepared = [prepare(s.match_text, p) for s in sentences]
    window: list[dict[str, float]] = []
    for i in range(len(prepared)):
        w: dict[str, float] = {}
        for k in (i - 1, i, i + 1):
            if 0 <= k < len(prepared):
                w.update(prepared[k].weight)
        window.append(w)
    return _Side(article, sentences, prepared, window, {})


def _candidates(
    a: _Side, b: _Side, floor: float = CANDIDATE_OVERLAP
) -> dict[tuple[int, int], float]:
    """Sentence pairs sharing enough weighted content to be worth scoring."""
    index: dict[str, list[int]] = defaultdict(list)
    for j, pb in enumerate(b.prepared):
        for t in pb.content:
            index[t].append(j)
    pairs: dict[tuple[int, int], float] = {}
    for i, pa in enumerate(a.prepared):
        shared: dict[int, float] = defaultdict(float)
        for t in pa.content:
            postings = index.get(t, ())
            if len(postings) > MAX_POSTINGS:
                continue  # in most sentences: says nothing about which pair matches
            w = pa.weight[t]
            for j in postings:
                shared[j] += w
        found = []
        for j, w in shared.items():
            overlap = w / (min(pa.total, b.prepared[j].total) or 1.0)
            if overlap >= floor:
                found.append((overlap, j))
        for overlap, j in sorted(found, reverse=True)[:MAX_CANDIDATES]:
            pairs[(i, j)] = overlap
    return pairs


@dataclass(slots=True)
class _Link:
    """A link between sentence `i` of A and `j` of B.

    `kind` is "same", "paraphrase" or "partial" (one clause of a sentence states what a
    clause of the other does, the rest of each is about something else). For a partial
    link `cover_a` / `cover_b` are the shares of each sentence's words the shared clauses
    take, and `neg_a` / `neg_b` whether those clauses (not the whole sentences) are
    negated, so "Although there was no agenda, the reunion goes ahead" does not become a
    negation conflict with "a deal on reunions".
    """

    i: int
    j: int
    score: float
    same: bool
    kind: str = "paraphrase"
    cover_a: float = 1.0
    cover_b: float = 1.0
    neg_a: bool | None = None
    neg_b: bool | None = None
    clause_a: str | None = None
    clause_b: str | None = None


def _align(
    a: _Side, b: _Side, p: MatcherParams
) -> tuple[list[_Link], dict[int, float], dict[int, float]]:
    """All links above the threshold, plus each sentence's best score on either side."""
    loose = _candidates(a, b, PARTIAL_OVERLAP)
    cands = {pair: o for pair, o in loose.items() if o >= CANDIDATE_OVERLAP}
    scores = {
        pair: score_prepared(a.prepared[pair[0]], b.prepared[pair[1]], p)
        for pair, overlap in cands.items()
        if overlap >= SENTENCE_OVERLAP
    }
    best_a: dict[int, float] = defaultdict(float)
    best_b: dict[int, float] = defaultdict(float)
    links: dict[tuple[int, int], _Link] = {}
    for (i, j), s in scores.items():
        best_a[i] = max(best_a[i], s)
        best_b[j] = max(best_b[j], s)
        if s >= p.threshold:
            same = near_identical(a.prepared[i], b.prepared[j])
            links[(i, j)] = _Link(i, j, s, same, "same" if same else "paraphrase")

    # A clause of one against a clause of the other: a shared fact inside longer sentences.
    for (i, j), overlap in cands.items():
        if (i, j) in links or overlap < CLAUSE_OVERLAP:
            continue
        link = _clause_link(a, b, i, j, p)
        if link is not None:
            links[(i, j)] = link
            best_a[i] = max(best_a[i], link.score)
            best_b[j] = max(best_b[j], link.score)

    def joined(side: _Side, k: int) -> Prepared:
        return join(side.prepared[k], side.prepared[k + 1])

    # One sentence against two adjacent sentences on the other side, joined.
    tried: set[tuple[str, int, int]] = set()
    for i, j in cands:
        # Only a longer sentence can hold two of the other side's.
        la, lb = len(a.prepared[i].toks), len(b.prepared[j].toks)
        for jj in (j - 1, j) if la > lb else ():
            # Both halves must share content with the sentence, not just one.
            if (i, jj) in cands and (i, jj + 1) in cands and ("a", i, jj) not in tried:
                tried.add(("a", i, jj))
                if (i, jj) in links and (i, jj + 1) in links:
                    continue
                s = score_prepared(a.prepared[i], joined(b, jj), p)
                single = max(scores.get((i, jj), 0.0), scores.get((i, jj + 1), 0.0))
                if s >= p.threshold and s > single:
                    for k in (jj, jj + 1):
                        links.setdefault((i, k), _Link(i, k, s, False))
                        best_b[k] = max(best_b[k], s)
                    best_a[i] = max(best_a[i], s)
        for ii in (i - 1, i) if lb > la else ():
            if (ii, j) in cands and (ii + 1, j) in cands and ("b", ii, j) not in tried:
                tried.add(("b", ii, j))
                if (ii, j) in links and (ii + 1, j) in links:
                    continue
                s = score_prepared(joined(a, ii), b.prepared[j], p)
                single = max(scores.get((ii, j), 0.0), scores.get((ii + 1, j), 0.0))
                if s >= p.threshold and s > single:
                    for k in (ii, ii + 1):
                        links.setdefault((k, j), _Link(k, j, s, False))
                        best_a[k] = max(best_a[k], s)
                    best_b[j] = max(best_b[j], s)

    # What is still unlinked may share one clause: a partial link.
    for (i, j), _overlap in loose.items():
        if (i, j) in links:
            continue
        part = _partial(a, b, i, j, p)
        if part is not None:
            links[(i, j)] = part
    return sorted(links.values(), key=lambda lk: (lk.i, lk.j)), best_a, best_b


def _cover(x: Prepared, y: Prepared, sentence: Prepared) -> float:
    """Share of a sentence's content (by IDF weight) that a partial link carries over:
    the words its clause `x` shares with the other side's clause `y`."""
    shared = x.content & y.content
    return min(1.0, sum(sentence.weight.get(t, 0.0) for t in shared) / (sentence.total or 1.0))


def _clause_link(a: _Side, b: _Side, i: int, j: int, p: MatcherParams) -> _Link | None:
    """A partial link if a clause of each (or a clause and a whole sentence) passes the
    matcher: one shared fact inside two longer sentences."""
    ca = a.clauses(i, p) or [a.prepared[i]]
    cb = b.clauses(j, p) or [b.prepared[j]]
    if len(ca) == 1 and len(cb) == 1:
        return None
    best = 0.0
    pair: tuple[Prepared, Prepared] | None = None
    for x in ca:
        for y in cb:
            if _clause_pair_ok(x, y):
                s = score_prepared(x, y, p)
                if s > best:
                    best, pair = s, (x, y)
    if best < p.threshold or pair is None:
        return None
    x, y = pair
    sa, sb = a.prepared[i], b.prepared[j]
    return _Link(
        i,
        j,
        best,
        False,
        "partial",
        cover_a=_cover(x, y, sa),
        cover_b=_cover(y, x, sb),
        neg_a=x.negated,
        neg_b=y.negated,
        clause_a=x.text,
        clause_b=y.text,
    )


def pair_link(a: _Side, b: _Side, i: int, j: int, overlap: float, p: MatcherParams) -> _Link | None:
    """The link `compare_articles` makes between sentence `i` of `a` and `j` of `b`
    (whole sentences, then clauses, then a partial link), for callers that look at one
    candidate pair at a time (the story matrix). `overlap` is the pair's candidate overlap.
    """
    if overlap < PARTIAL_OVERLAP:
        return None
    if overlap >= SENTENCE_OVERLAP:
        score = score_prepared(a.prepared[i], b.prepared[j], p)
        if score >= p.threshold:
            same = near_identical(a.prepared[i], b.prepared[j])
            return _Link(i, j, score, same, "same" if same else "paraphrase")
    if overlap >= CLAUSE_OVERLAP:
        link = _clause_link(a, b, i, j, p)
        if link is not None:
            return link
    return _partial(a, b, i, j, p)


NEGATION_REACH = 3
"""Tokens between a negation and the shared predicate word it can negate (partial links)."""


def _negates(x: Prepared, predicate: frozenset[str]) -> bool:
    """Whether clause `x` negates the shared fact, not some other part of itself.

    A partial link shares one fact inside longer clauses; "will seek to make sure that
    there is no disparity ... when he travels to Seoul" negates the disparity, not the
    trip. So only a negation within `NEGATION_REACH` tokens of a shared lower-case word
    counts ("talks failed to resolve" still does).
    """
    if not x.negated:
        return False
    negs = [k for k, t in enumerate(x.toks) if t in NEGATIONS or t.endswith("n't")]
    near = [k for k, t in enumerate(x.toks) if stem(t) in predicate]
    return any(abs(n - k) <= NEGATION_REACH for n in negs for k in near)


def _shares_a_fact(x: Prepared, y: Prepared) -> bool:
    """Whether two clauses share enough words, and enough predicate words, for a partial link."""
    n, plain = len(x.content & y.content), len(x.plain & y.plain)
    if plain >= PARTIAL_PLAIN:
        return n >= PARTIAL_WORDS
    return plain >= 1 and n >= PARTIAL_WORDS_ONE_PLAIN


def _partial(a: _Side, b: _Side, i: int, j: int, p: MatcherParams) -> _Link | None:
    """A partial link if a clause of one sentence is mostly stated in a clause of the other.

    The clause pair must share at least `PARTIAL_WORDS` content words, `PARTIAL_PLAIN` of
    them lower-case (a predicate, not just names: "Kerry ... North Korea" alone is not a
    fact), or `PARTIAL_WORDS_ONE_PLAIN` with one lower-case, and hold
    `PARTIAL_CONTAINMENT` of the smaller clause's IDF weight.
    """
    sa, sb = a.prepared[i], b.prepared[j]
    # Clauses share no more than their sentences do: most pairs stop here.
    if not _shares_a_fact(sa, sb):
        return None
    best: tuple[float, Prepared, Prepared] | None = None
    for x in [*a.clauses(i, p), sa]:
        for y in [*b.clauses(j, p), sb]:
            if not _shares_a_fact(x, y):
                continue
            shared = x.content & y.content
            cont = sum(x.weight[t] for t in shared) / (min(x.total, y.total) or 1.0)
            if cont >= PARTIAL_CONTAINMENT and (best is None or cont > best[0]):
                best = (cont, x, y)
    if best is None:
        return None
    cont, x, y = best
    predicate = x.plain & y.plain
    return _Link(
        i,
        j,
        score_prepared(x, y, p),
        False,
        "partial",
        cover_a=_cover(x, y, sa),
        cover_b=_cover(y, x, sb),
        neg_a=_negates(x, predicate),
        neg_b=_negates(y, predicate),
        clause_a=x.text,
        clause_b=y.text,
    )


def _aligned(
    side: _Side, links: list[_Link], best: dict[int, float], *, is_a: bool
) -> list[AlignedSentence]:
    by_sentence: dict[int, list[_Link]] = defaultdict(list)
    for lk in links:
        by_sentence[lk.i if is_a else lk.j].append(lk)
    out: list[AlignedSentence] = []
    for s in side.sentences:
        own = by_sentence.get(s.index, [])
        status: SentenceStatus
        if not own:
            status = "only"
        elif any(lk.same for lk in own):
            status = "same"
        else:
            status = "paraphrase"
        matches = sorted({lk.j if is_a else lk.i for lk in own})
        score = max((lk.score for lk in own), default=best.get(s.index, 0.0))
        partial = bool(own) and all(lk.kind == "partial" for lk in own)
        if not own:
            covered = 0.0
        elif partial:
            covered = min(1.0, sum(lk.cover_a if is_a else lk.cover_b for lk in own))
        else:
            covered = 1.0
        out.append(
            AlignedSentence(
                s.index, s.text, status, matches, score, s.start, s.end, partial, covered
            )
        )
    return out


def _coverage(aligned: list[AlignedSentence]) -> float:
    """Share of a side's words the other side also carries.

    A sentence linked only partially counts by `covered`, the share of its content the
    shared clauses carry: one clause in common does not make a long sentence "found".
    """
    total = sum(len(s.text.split()) for s in aligned)
    found = sum(len(s.text.split()) * s.covered for s in aligned)
    return found / total if total else 0.0


def _sentence_of(sentences: list[Sentence], start: int) -> int | None:
    for s in sentences:
        if s.start <= start < s.end:
            return s.index
    return None


# --------------------------------------------------------------------------------------
# Entities


def _entities(article: Article, analysed: bool) -> list[Entity]:
    if analysed and article.analysis is not None:
        return [e for e in article.analysis.entities if e.label not in NUMERIC_LABELS and e.key]
    return fallback.names(article.body or "")


_T = TypeVar("_T", Entity, Quote, Figure)


def _in_sentences(items: list[_T], sentences: list[Sentence]) -> list[_T]:
    """The mentions that fall inside a compared sentence (not titles, captions, credits)."""
    if not sentences:
        return []
    starts = [s.start for s in sentences]
    out: list[_T] = []
    for item in items:
        k = bisect.bisect_right(starts, item.start) - 1
        if k >= 0 and item.start < sentences[k].end:
            out.append(item)
    return out


# Nationality adjectives whose country name is not a suffix rule away.
_DEMONYMS = {
    "american": "united states",
    "americans": "united states",
    "british": "united kingdom",
    "briton": "united kingdom",
    "britons": "united kingdom",
    "english": "england",
    "french": "france",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "greek": "greece",
    "turkish": "turkey",
    "polish": "poland",
    "spanish": "spain",
    "swedish": "sweden",
    "danish": "denmark",
    "finnish": "finland",
    "irish": "ireland",
    "scottish": "scotland",
    "welsh": "wales",
    "afghan": "afghanistan",
    "filipino": "philippines",
    "thai": "thailand",
    "emirati": "united arab emirates",
    "saudi": "saudi arabia",
    "german": "germany",
    "mexican": "mexico",
    "argentine": "argentina",
    "peruvian": "peru",
    "ukrainian": "ukraine",
    "palestinian": "palestine",
    "lebanese": "lebanon",
    "sudanese": "sudan",
    "venezuelan": "venezuela",
    "norwegian": "norway",
    "belgian": "belgium",
    "israeli": "israel",
}


def _country_candidates(name: str) -> list[str]:
    """Country names a nationality adjective may stand for ("north korean" -> "north korea")."""
    words_ = name.split()
    if not words_:
        return []
    head, last = words_[:-1], words_[-1]
    out: list[str] = []
    if last in _DEMONYMS:
        out.append(_DEMONYMS[last])
    if last.endswith("s") and last[:-1] in _DEMONYMS:
        out.append(_DEMONYMS[last[:-1]])
    bases = []
    stem_ = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    for suffix, repl in (
        ("ese", ""),
        ("ese", "a"),
        ("ian", ""),
        ("ian", "ia"),
        ("ian", "y"),
        ("an", "a"),
        ("an", ""),
        ("n", ""),
        ("i", ""),
        ("ish", ""),
        ("ese", "on"),
    ):
        if stem_.endswith(suffix) and len(stem_) > len(suffix) + 2:
            bases.append(stem_[: -len(suffix)] + repl)
    out += [" ".join([*head, x]) for x in bases]
    return out


def identity_folds(keys: set[str]) -> dict[str, str]:
    """Which keys stand for the same thing as another key of the comparison.

    Each article's analysis resolves its own surnames and aliases; across two sources the
    same person or country can still carry two keys:
    - a nationality adjective (NORP "norp:north korean") folds into the country either side
      names ("gpe:north korea");
    - a bare surname ("person:kerry") folds into the one full name either side gives that
      ends with it ("person:john kerry"); two candidates (two Kerrys) fold into neither.
    """
    # "name:" keys are the text estimates of un-analysed articles (`fallback.names`).
    places = {k.split(":", 1)[1]: k for k in keys if k.startswith(("gpe:", "loc:", "name:"))}
    by_surname: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k in keys:
        cls, _, name = k.partition(":")
        if cls in ("person", "name"):
            parts = name.split()
            if len(parts) > 1:
                by_surname[(cls, parts[-1])].add(k)
    fold: dict[str, str] = {}
    for k in keys:
        cls, _, name = k.partition(":")
        if cls in ("norp", "name"):
            for country in _country_candidates(name):
                if country in places and places[country] != k:
                    fold[k] = places[country]
                    break
        if k not in fold and cls in ("person", "name") and " " not in name:
            full = by_surname.get((cls, name), set())
            if len(full) == 1:
                fold[k] = next(iter(full))
    return fold


def fold_identities(
    ents_a: list[Entity], ents_b: list[Entity], fold: dict[str, str] | None = None
) -> tuple[list[Entity], list[Entity]]:
    """Both sides' entities with one key for one thing (see `identity_folds`)."""
    if fold is None:
        fold = identity_folds({e.key for e in [*ents_a, *ents_b]})

    def apply(ents: list[Entity]) -> list[Entity]:
        return [
            Entity(e.start, e.end, e.label, e.text, fold[e.key], e.value) if e.key in fold else e
            for e in ents
        ]

    return apply(ents_a), apply(ents_b)


def _fold_speakers(quotes: list[Quote], fold: dict[str, str]) -> list[Quote]:
    """Quotes with speaker keys folded, so "Kerry" and "John Kerry" are one speaker."""
    return [
        Quote(q.start, q.end, q.text, q.speaker, fold[q.speaker_key])
        if q.speaker_key in fold and q.speaker_key is not None
        else q
        for q in quotes
    ]


def _entity_coverage(
    ents_a: list[Entity], ents_b: list[Entity]
) -> tuple[list[EntityCoverage], list[EntityCoverage], list[EntityCoverage]]:
    count_a = Counter(e.key for e in ents_a)
    count_b = Counter(e.key for e in ents_b)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    label: dict[str, str] = {}
    for e in [*ents_a, *ents_b]:
        surface[e.key][e.text] += 1
        label.setdefault(e.key, e.label)

    def cov(key: str) -> EntityCoverage:
        text = surface[key].most_common(1)[0][0]
        return EntityCoverage(key, text, label[key], count_a[key], count_b[key])

    def order(keys: set[str]) -> list[EntityCoverage]:
        return [cov(k) for k in sorted(keys, key=lambda k: (-(count_a[k] + count_b[k]), k))]

    keys_a, keys_b = set(count_a), set(count_b)
    return order(keys_a & keys_b), order(keys_a - keys_b), order(keys_b - keys_a)


# --------------------------------------------------------------------------------------
# Quotes

_PRONOUN_SPEAKERS = frozenset({"he", "she", "they", "it", "we", "i"})


def _quotes(article: Article, analysed: bool) -> list[Quote]:
    if analysed and article.analysis is not None:
        return list(article.analysis.quotes)
    return fallback.quotes(article.body or "")


def _speaker_norm(q: Quote) -> str | None:
    if q.speaker_key:
        return q.speaker_key
    if not q.speaker:
        return None
    s = q.speaker.lower().strip()
    return None if s in _PRONOUN_SPEAKERS else s


def _speakers_differ(qa: Quote, qb: Quote) -> bool:
    """Whether two sources attribute a quote to different people.

    Only clear cases count: two resolved speaker keys that differ, or two names (with a
    capital letter) sharing no word. "the official" vs "the State Department official",
    pronouns and unnamed descriptions are not a difference a reader should chase.
    """
    if qa.speaker_key and qb.speaker_key:
        return qa.speaker_key != qb.speaker_key
    sa, sb = _speaker_norm(qa), _speaker_norm(qb)
    if not sa or not sb or not qa.speaker or not qb.speaker:
        return False
    named = any(c.isupper() for c in qa.speaker) and any(c.isupper() for c in qb.speaker)
    wa = set(sa.split()) - {"a", "an", "the"}
    wb = set(sb.split()) - {"a", "an", "the"}
    return named and not (wa & wb)


def _word_diff(a: list[str], b: list[str], raw_a: list[str], raw_b: list[str]) -> list[WordDiff]:
    out: list[WordDiff] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.append(WordDiff(op, " ".join(raw_a[i1:i2]), " ".join(raw_b[j1:j2])))
    return out


def _fragment(wa: list[str], wb: list[str]) -> str | None:
    """Which side quotes a fragment of the other's quotation word for word, if either.

    One outlet quoting "noun" and "verb" where another quotes the whole phrase reports
    the same words: the quotation is the same, only shorter. Returns "a" or "b" (the
    shorter side) or None when neither is a run of the other's words.
    """
    if not wa or not wb or wa == wb:
        return None
    short, long_, side = (wa, wb, "a") if len(wa) < len(wb) else (wb, wa, "b")
    if len(short) == len(long_):
        return None
    n = len(short)
    for k in range(len(long_) - n + 1):
        if long_[k : k + n] == short:
            return side
    return None


def _quote_pairs(
    qa: list[Quote],
    qb: list[Quote],
    a: _Side,
    b: _Side,
    links: list[_Link],
) -> list[QuotePair]:
    """Pair each quotation with its rendering on the other side (greedy, best first)."""
    linked = {(lk.i, lk.j) for lk in links}
    cont_a = [set(content_stems(tokens(q.text))) for q in qa]
    cont_b = [set(content_stems(tokens(q.text))) for q in qb]
    sent_a = [_sentence_of(a.sentences, q.start) for q in qa]
    sent_b = [_sentence_of(b.sentences, q.start) for q in qb]
    scored: list[tuple[float, float, int, int]] = []
    for x, ca in enumerate(cont_a):
        for y, cb in enumerate(cont_b):
            shared = ca & cb
            if not shared:
                continue
            containment = len(shared) / min(len(ca), len(cb))
            related = False
            sx, sy = sent_a[x], sent_b[y]
            if sx is not None and sy is not None:
                related = (sx, sy) in linked or _related(a, b, sx, sy)
            if containment >= 0.5 and (related or min(len(ca), len(cb)) >= 3):
                scored.append((containment + (0.5 if related else 0.0), containment, x, y))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    ranked = sorted(scored, reverse=True)
    for _, _, x, y in ranked:
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        pairs.append((x, y))
    # A leftover quote wholly inside a quote already paired on the other side is a
    # fragment of it ("noun" and "verb" quoted apart, vs one quote holding both).
    for _, containment, x, y in ranked:
        if containment < 1.0 or (x in used_a and y in used_b):
            continue
        if (x not in used_a and len(cont_a[x]) <= len(cont_b[y])) or (
            y not in used_b and len(cont_b[y]) <= len(cont_a[x])
        ):
            used_a.add(x)
            used_b.add(y)
            pairs.append((x, y))
    out: list[QuotePair] = []
    for x, y in sorted(pairs):
        qx, qy = qa[x], qb[y]
        pa, pb = token_pairs(qx.text), token_pairs(qy.text)
        wa, wb = [t for t, _ in pa], [t for t, _ in pb]
        fragment = _fragment(wa, wb)
        same = wa == wb or fragment is not None
        diff = [] if same else _word_diff(wa, wb, [r for _, r in pa], [r for _, r in pb])
        if not same and not diff:
            diff = [WordDiff("replace", qx.text, qy.text)]
        out.append(
            QuotePair(
                qx.text,
                qy.text,
                qx.speaker,
                qy.speaker,
                "same" if same else "altered",
                diff,
                speaker_differs=_speakers_differ(qx, qy),
                fragment=fragment,
            )
        )
    out += [
        QuotePair(q.text, None, q.speaker, None, "only_a")
        for k, q in enumerate(qa)
        if k not in used_a
    ]
    out += [
        QuotePair(None, q.text, None, q.speaker, "only_b")
        for k, q in enumerate(qb)
        if k not in used_b
    ]
    return out


# --------------------------------------------------------------------------------------
# Figures


def _figures(article: Article, analysed: bool) -> list[Figure]:
    if analysed and article.analysis is not None:
        return list(article.analysis.figures)
    return fallback.figures(article.body or "")


def _figure_value(f: Figure) -> tuple[str, str]:
    value = f.value if f.value is not None else " ".join(tokens(f.text))
    return f.kind, value


def _mention(f: Figure, sentences: list[Sentence]) -> FigureMention:
    return FigureMention(f.text, f.kind, f.value, f.unit, _sentence_of(sentences, f.start))


def _figure_key(f: Figure) -> tuple[str, str]:
    """What must agree for two figures to be "the same kind of thing": kind and unit."""
    return f.kind, (f.unit or "")


def _pair_in_order(xs: list[Figure], ys: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pair two sentences' unmatched figures one-to-one, by kind and unit, in order."""
    pairs: list[tuple[Figure, Figure]] = []
    used: set[int] = set()
    for x in xs:
        for k, y in enumerate(ys):
            if k not in used and _figure_key(x) == _figure_key(y):
                used.add(k)
                pairs.append((x, y))
                break
    return pairs


def _attached(body: str, f: Figure) -> frozenset[str]:
    """The words a figure is attached to: the content word right before it ("killed 10")
    and right after it ("10 killed"), so swapped figures can be told from reordered ones."""
    before = tokens(body[max(0, f.start - 40) : f.start])[-2:]
    after = tokens(body[f.end : f.end + 40])[:1]
    return frozenset(content_stems(before[-1:]) + content_stems(after))


def _swapped(
    xs: list[Figure], ys: list[Figure], body_a: str, body_b: str
) -> tuple[Figure, Figure] | None:
    """Two figures whose values trade places across the sides ("killed 10, injured 25"
    against "killed 25, injured 10"): both values appear in both sentences, each attached
    to the words the other value is attached to on the other side."""

    def value(f: Figure) -> str:
        return f.value if f.value is not None else " ".join(tokens(f.text))

    ctx_a = {value(f): (_attached(body_a, f), f) for f in xs}
    ctx_b = {value(f): (_attached(body_b, f), f) for f in ys}
    values = [v for v in ctx_a if v in ctx_b]
    for k, v1 in enumerate(values):
        for v2 in values[k + 1 :]:
            a1, a2, b1, b2 = ctx_a[v1][0], ctx_a[v2][0], ctx_b[v1][0], ctx_b[v2][0]
            if (a1 & b2) and (a2 & b1) and not (a1 & b1) and not (a2 & b2):
                return ctx_a[v1][1], ctx_a[v2][1]
    return None


def _in_clause(figures: list[Figure], sentence: Sentence, clause: str | None) -> list[Figure]:
    """The figures of a sentence that sit inside `clause` (all of them without one)."""
    if clause is None:
        return figures
    at = sentence.text.find(clause)
    if at < 0:
        return figures
    lo, hi = sentence.start + at, sentence.start + at + len(clause)
    return [f for f in figures if lo <= f.start and f.end <= hi]


def _figure_diff(
    fa: list[Figure], fb: list[Figure], a: _Side, b: _Side, links: list[_Link]
) -> tuple[FigureDiff, list[Conflict]]:
    """Figures both give, one gives, or aligned sentences give differently.

    Matching is by kind, unit and value, one-to-one: A's two mentions of "15" against
    B's one leave one "15" for A alone only if it sits in a sentence B does not carry
    (a repeated figure is not news B lacks), so lists are deduplicated by value.
    Within each linked sentence pair, figures left unmatched are paired one-to-one by
    kind and unit, in order ("differ"); values that trade places are flagged "swapped".
    """
    values_a = {_figure_value(f) for f in fa}
    values_b = {_figure_value(f) for f in fb}
    diff = FigureDiff()
    seen: set[tuple[str, str]] = set()
    for f in fa:
        v = _figure_value(f)
        if v in values_b and v not in seen:
            seen.add(v)
            diff.both.append(_mention(f, a.sentences))

    def only(fs: list[Figure], other: set[tuple[str, str]], side: _Side) -> list[FigureMention]:
        out: list[FigureMention] = []
        shown: set[tuple[str, str]] = set()
        for f in fs:
            v = _figure_value(f)
            if v not in other and v not in shown:
                shown.add(v)
                out.append(_mention(f, side.sentences))
        return out

    diff.only_a = only(fa, values_b, a)
    diff.only_b = only(fb, values_a, b)

    conflicts: list[Conflict] = []
    all_a: dict[int, list[Figure]] = defaultdict(list)
    all_b: dict[int, list[Figure]] = defaultdict(list)
    for f in fa:
        if (k := _sentence_of(a.sentences, f.start)) is not None:
            all_a[k].append(f)
    for f in fb:
        if (k := _sentence_of(b.sentences, f.start)) is not None:
            all_b[k].append(f)
    reported: set[tuple[int, int]] = set()
    body_a, body_b = a.article.body or "", b.article.body or ""
    for lk in links:
        # For a partial link only the shared clauses state the same thing.
        xs = _in_clause(all_a.get(lk.i, []), a.sentences[lk.i], lk.clause_a)
        ys = _in_clause(all_b.get(lk.j, []), b.sentences[lk.j], lk.clause_b)
        if not xs or not ys:
            continue
        sw = _swapped(xs, ys, body_a, body_b)
        swapped_values: set[str] = set()
        if sw is not None:
            swapped_values = {f.value or f.text for f in sw}
            conflicts.append(
                Conflict(
                    lk.i,
                    lk.j,
                    a.sentences[lk.i].text,
                    b.sentences[lk.j].text,
                    f"figures swapped: {sw[0].text!r} and {sw[1].text!r} are attached to "
                    "different things on each side",
                    "figure",
                )
            )
        in_b = {_figure_value(f) for f in ys}
        in_a = {_figure_value(f) for f in xs}
        left_a = [
            f for f in xs if _figure_value(f) not in in_b and _figure_value(f) not in values_b
        ]
        left_b = [
            f for f in ys if _figure_value(f) not in in_a and _figure_value(f) not in values_a
        ]
        left_a = [f for f in left_a if (f.value or f.text) not in swapped_values]
        left_b = [f for f in left_b if (f.value or f.text) not in swapped_values]
        for x, y in _pair_in_order(left_a, left_b):
            if (id(x), id(y)) in reported:
                continue
            reported.add((id(x), id(y)))
            diff.differ.append((_mention(x, a.sentences), _mention(y, b.sentences)))
            conflicts.append(
                Conflict(
                    lk.i,
                    lk.j,
                    a.sentences[lk.i].text,
                    b.sentences[lk.j].text,
                    f"figures differ: {x.text!r} vs {y.text!r} in matching sentences",
                    "figure",
                )
            )
    return diff, conflicts


# --------------------------------------------------------------------------------------
# Conflicts


def _related(a: _Side, b: _Side, i: int, j: int) -> bool:
    """Whether two passages (each with its neighbours) are about the same thing."""
    wa, wb = a.window[i], b.window[j]
    shared = sum(w for t, w in wa.items() if t in wb)
    smaller = min(sum(wa.values()), sum(wb.values())) or 1.0
    return shared / smaller >= RELATED_OVERLAP


def _outcome(p: Prepared) -> tuple[str | None, bool]:
    """The outcome word a sentence states ("agreement", "deal") and whether it is negated."""
    toks = p.toks
    for k, t in enumerate(toks):
        if stem(t) in _OUTCOME_TERMS:
            window = toks[max(0, k - 5) : k]
            negated = any(w in NEGATIONS or w.endswith("n't") for w in window)
            return t, negated
    return None, False


_NEGATION_CUES = ("not", "no", "never", "without", "n't", "none", "nor", "neither")


def _negation_cue(p: Prepared) -> str:
    for t in p.toks:
        if t in _NEGATION_CUES or t.endswith("n't") or t in NEGATIONS:
            return t
    return "not"


def _conflicts(a: _Side, b: _Side, links: list[_Link]) -> list[Conflict]:
    out: list[Conflict] = []
    flagged: set[tuple[int, int]] = set()
    # Aligned sentences where exactly one side is negated.
    for lk in links:
        pa, pb = a.prepared[lk.i], b.prepared[lk.j]
        neg_a = pa.negated if lk.neg_a is None else lk.neg_a
        neg_b = pb.negated if lk.neg_b is None else lk.neg_b
        if neg_a != neg_b:
            neg_side, cue = ("A", _negation_cue(pa)) if neg_a else ("B", _negation_cue(pb))
            out.append(
                Conflict(
                    lk.i,
                    lk.j,
                    a.sentences[lk.i].text,
                    b.sentences[lk.j].text,
                    (
                        f"matching clauses, but only {neg_side}'s is negated ({cue!r})"
                        if lk.kind == "partial"
                        else f"matching sentences, but only {neg_side} is negated ({cue!r})"
                    ),
                    "negation",
                )
            )
            flagged.add((lk.i, lk.j))
    # Related passages where one reports an outcome absent and the other present.
    outcome_a = [_outcome(p) for p in a.prepared[:MAX_CHECKED]]
    outcome_b = [_outcome(p) for p in b.prepared[:MAX_CHECKED]]
    for i, (word_a, neg_a) in enumerate(outcome_a):
        if word_a is None:
            continue
        best: tuple[float, int] | None = None
        for j, (word_b, neg_b) in enumerate(outcome_b):
            if word_b is None or neg_a == neg_b or (i, j) in flagged:
                continue
            if not _related(a, b, i, j):
                continue
            wa, wb = a.window[i], b.window[j]
            strength = sum(w for t, w in wa.items() if t in wb)
            if best is None or strength > best[0]:
                best = (strength, j)
        if best is None:
            continue
        j = best[1]
        word_b, _ = outcome_b[j]
        said_a = f"no {word_a}" if neg_a else f"a {word_a}"
        said_b = f"no {word_b}" if not neg_a else f"a {word_b}"
        out.append(
            Conflict(
                i,
                j,
                a.sentences[i].text,
                b.sentences[j].text,
                f"related passages disagree on the outcome: A reports {said_a}, B reports {said_b}",
                "outcome",
            )
        )
        flagged.add((i, j))
    return out


# --------------------------------------------------------------------------------------


def _info(article: Article) -> SourceInfo:
    return SourceInfo(article.id, article.title, article.source, article.agency)


def compare_articles(a: Article, b: Article) -> Comparison:
    """Compare two articles (analysed or not) and return everything the views show.

    Entities, quotes and figures come from the analyses only when *both* articles have
    one (mixing analysed keys with text estimates would make everything look one-sided).
    """
    p = params()
    side_a, side_b = _prepare_side(a, p), _prepare_side(b, p)
    links, best_a, best_b = _align(side_a, side_b, p)
    sentences_a = _aligned(side_a, links, best_a, is_a=True)
    sentences_b = _aligned(side_b, links, best_b, is_a=False)
    analysed = a.analysis is not None and b.analysis is not None
    # Only what the compared sentences say: a title repeated in the body, a caption or a
    # credit line would count an entity twice and show figures no sentence states.
    ents_a = _in_sentences(_entities(a, analysed), side_a.sentences)
    ents_b = _in_sentences(_entities(b, analysed), side_b.sentences)
    quotes_a = _in_sentences(_quotes(a, analysed), side_a.sentences)[:MAX_CHECKED]
    quotes_b = _in_sentences(_quotes(b, analysed), side_b.sentences)[:MAX_CHECKED]
    keys = {e.key for e in [*ents_a, *ents_b]}
    keys |= {q.speaker_key for q in [*quotes_a, *quotes_b] if q.speaker_key}
    fold = identity_folds(keys)
    both, only_a, only_b = _entity_coverage(*fold_identities(ents_a, ents_b, fold))
    quotes = _quote_pairs(
        _fold_speakers(quotes_a, fold),
        _fold_speakers(quotes_b, fold),
        side_a,
        side_b,
        links,
    )
    figures, figure_conflicts = _figure_diff(
        _in_sentences(_figures(a, analysed), side_a.sentences),
        _in_sentences(_figures(b, analysed), side_b.sentences),
        side_a,
        side_b,
        links,
    )
    conflicts = _conflicts(side_a, side_b, links) + figure_conflicts
    conflicts.sort(key=lambda c: (c.a, c.b))
    return Comparison(
        a=_info(a),
        b=_info(b),
        sentences_a=sentences_a,
        sentences_b=sentences_b,
        entities_both=both,
        entities_only_a=only_a,
        entities_only_b=only_b,
        quotes=quotes,
        figures=figures,
        conflicts=conflicts,
        a_in_b=_coverage(sentences_a),
        b_in_a=_coverage(sentences_b),
        analysed=analysed,
        links=[Link(lk.i, lk.j, lk.kind, lk.score) for lk in links],
    )


def compare_many(articles: Sequence[Article]) -> list[tuple[int, int, Comparison]]:
    """Every pair of `articles` compared (for the story matrix)."""
    return [
        (x, y, compare_articles(articles[x], articles[y]))
        for x in range(len(articles))
        for y in range(x + 1, len(articles))
    ]
