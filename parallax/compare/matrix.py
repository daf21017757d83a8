"""The story matrix: facts, entities, quotes and figures against every source of a story.

With more than two sources, pairwise reports multiply (ten sources make 45 pairs); the
useful view is one table: each row a fact (a cluster of sentences that state the same
thing across sources), an entity, a quote or a figure, each column a source, so what only
one outlet reported stands out. Facts are clustered in one pass over all sources (a
shared inverted index, the same matcher and threshold as `compare_articles`, then
connected components), which keeps a ten-source story well under a second.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from parallax.compare.align import (
    MAX_CHECKED,
    MAX_POSTINGS,
    PARTIAL_OVERLAP,
    _entities,
    _figure_value,
    _figures,
    _fragment,
    _in_sentences,
    _prepare_side,
    _quotes,
    _Side,
    _speaker_norm,
    identity_folds,
    pair_link,
)
from parallax.compare.matcher import params
from parallax.compare.text import content_stems, tokens
from parallax.compare.types import SourceInfo
from parallax.model import Article


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: Any, y: Any) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


@dataclass(slots=True)
class MatrixRow:
    """One row of the matrix.

    Attributes:
        kind: "fact", "entity", "quote" or "figure".
        text: a representative wording (the first source's that has it).
        cells: per source (in `StoryMatrix.sources` order): what that source has for this
            row (sentence indexes for facts, mention count for entities, the quote's words
            or the figure's text), or None when the source lacks it.
        only: index of the single source that has this row, else None.
        key: entity key / figure value / speaker, when the row has one.
        status: for quotes, "same" (all sources quote the same words) or "altered".
    """

    kind: str
    text: str
    cells: list[Any]
    key: str | None = None
    label: str | None = None
    status: str | None = None

    @property
    def sources(self) -> list[int]:
        return [k for k, c in enumerate(self.cells) if c not in (None, 0, [])]

    @property
    def only(self) -> int | None:
        present = self.sources
        return present[0] if len(present) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "cells": self.cells,
            "sources": self.sources,
            "only": self.only,
        }
        if self.key is not None:
            data["key"] = self.key
        if self.label is not None:
            data["label"] = self.label
        if self.status is not None:
            data["status"] = self.status
        return data


@dataclass(slots=True)
class StoryMatrix:
    """Every source of a story against facts, entities, quotes and figures."""

    sources: list[SourceInfo]
    facts: list[MatrixRow] = field(default_factory=list)
    entities: list[MatrixRow] = field(default_factory=list)
    quotes: list[MatrixRow] = field(default_factory=list)
    figures: list[MatrixRow] = field(default_factory=list)
    analysed: bool = True

    def only_counts(self) -> list[dict[str, int]]:
        """Per source: how many facts, entities, quotes and figures only it reported."""
        out = [{"facts": 0, "entities": 0, "quotes": 0, "figures": 0} for _ in self.sources]
        for name, rows in (
            ("facts", self.facts),
            ("entities", self.entities),
            ("quotes", self.quotes),
            ("figures", self.figures),
        ):
            for r in rows:
                if r.only is not None:
                    out[r.only][name] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.to_dict() for s in self.sources],
            "facts": [r.to_dict() for r in self.facts],
            "entities": [r.to_dict() for r in self.entities],
            "quotes": [r.to_dict() for r in self.quotes],
            "figures": [r.to_dict() for r in self.figures],
            "only": self.only_counts(),
            "analysed": self.analysed,
        }


def _fact_rows(sides: list[_Side]) -> list[MatrixRow]:
    p = params()
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s, side in enumerate(sides):
        for i, prep in enumerate(side.prepared):
            for t in prep.content:
                index[t].append((s, i))
    uf = _UnionFind()
    for s, side in enumerate(sides):
        for i, prep in enumerate(side.prepared):
            uf.find((s, i))
            shared: dict[tuple[int, int], float] = defaultdict(float)
            for t in prep.content:
                postings = index[t]
                if len(postings) > MAX_POSTINGS * len(sides):
                    continue
                w = prep.weight[t]
                for other in postings:
                    if other[0] > s:
                        shared[other] += w
            for (s2, j), w in shared.items():
                other_prep = sides[s2].prepared[j]
                overlap = w / (min(prep.total, other_prep.total) or 1.0)
                if overlap < PARTIAL_OVERLAP:
                    continue
                # The very decision `compare_articles` makes for this pair.
                if pair_link(side, sides[s2], i, j, overlap, p) is not None:
                    uf.union((s, i), (s2, j))
    groups: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for s, side in enumerate(sides):
        for i in range(len(side.sentences)):
            groups[uf.find((s, i))].append((s, i))
    rows: list[MatrixRow] = []
    for members in sorted(groups.values(), key=lambda m: (-len({x for x, _ in m}), m[0])):
        cells: list[Any] = [None] * len(sides)
        for s, i in members:
            cells[s] = [*(cells[s] or []), i]
        s0, i0 = members[0]
        rows.append(MatrixRow("fact", sides[s0].sentences[i0].text, cells))
    return rows


def _entity_rows(
    articles: Sequence[Article], sides: list[_Side], analysed: bool
) -> list[MatrixRow]:
    """Entities named in each source's sentences, one key per thing across sources."""
    per_source = [
        _in_sentences(_entities(art, analysed), side.sentences)
        for art, side in zip(articles, sides, strict=True)
    ]
    fold = identity_folds({e.key for ents in per_source for e in ents})
    counts: dict[str, list[int]] = {}
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    label: dict[str, str] = {}
    for s, ents in enumerate(per_source):
        for e in ents:
            key = fold.get(e.key, e.key)
            counts.setdefault(key, [0] * len(articles))[s] += 1
            surface[key][e.text] += 1
            label.setdefault(key, e.label)
    keys = sorted(counts, key=lambda k: (-sum(1 for c in counts[k] if c), -sum(counts[k]), k))
    return [
        MatrixRow("entity", surface[k].most_common(1)[0][0], counts[k], key=k, label=label[k])
        for k in keys
    ]


def _quote_rows(articles: Sequence[Article], sides: list[_Side], analysed: bool) -> list[MatrixRow]:
    quotes = [
        (s, q)
        for s, art in enumerate(articles)
        for q in _in_sentences(_quotes(art, analysed), sides[s].sentences)[:MAX_CHECKED]
    ]
    content = [set(content_stems(tokens(q.text))) for _, q in quotes]
    toks = [tokens(q.text) for _, q in quotes]
    uf = _UnionFind()
    for x in range(len(quotes)):
        uf.find(x)
        for y in range(x + 1, len(quotes)):
            if quotes[x][0] == quotes[y][0] or not content[x] or not content[y]:
                continue
            shared = content[x] & content[y]
            smaller = min(len(content[x]), len(content[y]))
            if (
                content[x] == content[y]
                or (shared and len(shared) / smaller >= 0.5 and (smaller >= 3 or len(shared) >= 2))
                or (shared and _fragment(toks[x], toks[y]) is not None)
            ):
                uf.union(x, y)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in range(len(quotes)):
        groups[uf.find(x)].append(x)
    rows: list[MatrixRow] = []
    for members in groups.values():
        cells: list[Any] = [None] * len(articles)
        words: set[tuple[str, ...]] = set()
        speaker = None
        for x in members:
            s, q = quotes[x]
            if cells[s] is None:
                cells[s] = q.text
                words.add(tuple(tokens(q.text)))
            speaker = speaker or _speaker_norm(q) or q.speaker
        # A source quoting a run of another's words quotes the same thing ("noun").
        longest = max(words, key=len) if words else ()
        same = all(w == longest or _fragment(list(w), list(longest)) for w in words)
        status = "same" if same else "altered"
        first = quotes[members[0]][1].text
        rows.append(MatrixRow("quote", first, cells, key=speaker, status=status))
    rows.sort(key=lambda r: (-len(r.sources), r.text))
    return rows


def _figure_rows(
    articles: Sequence[Article], sides: list[_Side], analysed: bool
) -> list[MatrixRow]:
    cells: dict[tuple[str, str], list[Any]] = {}
    for s, art in enumerate(articles):
        for f in _in_sentences(_figures(art, analysed), sides[s].sentences):
            row = cells.setdefault(_figure_value(f), [None] * len(articles))
            if row[s] is None:
                row[s] = f.text
    rows = [
        MatrixRow("figure", next(c for c in row if c), row, key=f"{kind}:{value}", label=kind)
        for (kind, value), row in cells.items()
    ]
    rows.sort(key=lambda r: (-len(r.sources), r.key or ""))
    return rows


def story_matrix(articles: Sequence[Article]) -> StoryMatrix:
    """Build the matrix for a story's articles (two or more; one gives one column)."""
    p = params()
    sides = [_prepare_side(a, p) for a in articles]
    analysed = bool(articles) and all(a.analysis is not None for a in articles)
    return StoryMatrix(
        sources=[SourceInfo(a.id, a.title, a.source, a.agency) for a in articles],
        facts=_fact_rows(sides),
        entities=_entity_rows(articles, sides, analysed),
        quotes=_quote_rows(articles, sides, analysed),
        figures=_figure_rows(articles, sides, analysed),
        analysed=analysed,
    )


__all__ = ["MatrixRow", "StoryMatrix", "story_matrix"]
