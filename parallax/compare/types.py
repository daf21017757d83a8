"""What a comparison produces: plain dataclasses whose `to_dict()` is the JSON contract.

`parallax compare --json` prints `Comparison.to_dict()`; the reader's compare screen and
the Markdown report read the same objects, so every view shows the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SentenceStatus = Literal["same", "paraphrase", "only"]
QuoteStatus = Literal["same", "altered", "only_a", "only_b"]


@dataclass(slots=True)
class SourceInfo:
    """Which article a side of the comparison is."""

    id: str
    title: str
    source: str | None
    agency: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source, "agency": self.agency}


@dataclass(slots=True)
class AlignedSentence:
    """One sentence of one side and where (if anywhere) the other side carries it.

    Attributes:
        index: position among the side's sentences.
        start, end: offsets into that article's body (for highlighting; not in the JSON).
        status: "same" (near-identical wording), "paraphrase" (same fact, other words) or
            "only" (no counterpart).
        matches: indexes of counterpart sentences on the other side (may be several).
        score: the matcher's score of the best counterpart (for "only": of the nearest).
        partial: every link is clause-level: the other side carries part of this
            sentence (status is then "paraphrase"; the JSON's top-level `links` says
            "partial" for each such link).
        covered: share of the sentence the other side carries (1 for a full link, the
            IDF-weighted share of content words the shared clauses hold for a partial
            one, 0 for "only").
    """

    index: int
    text: str
    status: SentenceStatus
    matches: list[int]
    score: float
    start: int = 0
    end: int = 0
    partial: bool = False
    covered: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "status": self.status,
            "matches": list(self.matches),
            "score": round(self.score, 3),
        }


@dataclass(slots=True)
class Link:
    """One link between a sentence of A and one of B.

    kind: "same" (near-identical wording), "paraphrase" (the same fact) or "partial"
    (a clause of each states the same thing; the rest of each sentence differs).
    """

    a: int
    b: int
    kind: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "kind": self.kind, "score": round(self.score, 3)}


@dataclass(slots=True)
class EntityCoverage:
    """One entity (by identity key) and how often each side mentions it."""

    key: str
    text: str
    label: str
    count_a: int
    count_b: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "label": self.label,
            "count_a": self.count_a,
            "count_b": self.count_b,
        }


@dataclass(slots=True)
class WordDiff:
    """One word-level edit turning quote A into quote B ("replace", "delete", "insert")."""

    op: str
    a: str
    b: str

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "a": self.a, "b": self.b}


@dataclass(slots=True)
class QuotePair:
    """A quotation as each side renders it.

    status: "same" (same words), "altered" (`diff` says how), "only_a" / "only_b".
    fragment: "a" or "b" when that side quotes only a run of the other's words ("noun"
        against "denuclearisation from a noun into a verb"): still "same".
    """

    a: str | None
    b: str | None
    speaker_a: str | None
    speaker_b: str | None
    status: QuoteStatus
    diff: list[WordDiff] = field(default_factory=list)
    speaker_differs: bool = False
    fragment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "speaker_a": self.speaker_a,
            "speaker_b": self.speaker_b,
            "status": self.status,
            "diff": [d.to_dict() for d in self.diff],
            "speaker_differs": self.speaker_differs,
            "fragment": self.fragment,
        }


@dataclass(slots=True)
class FigureMention:
    """A number, amount or date as one side states it, with its sentence."""

    text: str
    kind: str
    value: str | None
    unit: str | None
    sentence: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "sentence": self.sentence,
        }


@dataclass(slots=True)
class FigureDiff:
    """Figures one side gives that the other lacks, and those both give differently.

    `differ` pairs come from aligned sentences: same kind (and unit), different value.
    """

    both: list[FigureMention] = field(default_factory=list)
    only_a: list[FigureMention] = field(default_factory=list)
    only_b: list[FigureMention] = field(default_factory=list)
    differ: list[tuple[FigureMention, FigureMention]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "both": [f.to_dict() for f in self.both],
            "only_a": [f.to_dict() for f in self.only_a],
            "only_b": [f.to_dict() for f in self.only_b],
            "differ": [{"a": a.to_dict(), "b": b.to_dict()} for a, b in self.differ],
        }


@dataclass(slots=True)
class Conflict:
    """Two aligned sentences that may disagree: something for the reader to check.

    Never a verdict: `status` is always "check" and `reason` says what to look at.
    """

    a: int
    b: int
    text_a: str
    text_b: str
    reason: str
    kind: str
    status: str = "check"

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "text_a": self.text_a,
            "text_b": self.text_b,
            "status": self.status,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Comparison:
    """Two articles side by side: alignment, entity/quote/figure diffs, conflicts.

    Attributes:
        analysed: whether both articles had an analysis (entities, quotes and figures
            come from it; without one they are estimated from the text).
    """

    a: SourceInfo
    b: SourceInfo
    sentences_a: list[AlignedSentence]
    sentences_b: list[AlignedSentence]
    entities_both: list[EntityCoverage]
    entities_only_a: list[EntityCoverage]
    entities_only_b: list[EntityCoverage]
    quotes: list[QuotePair]
    figures: FigureDiff
    conflicts: list[Conflict]
    a_in_b: float
    b_in_a: float
    analysed: bool = True
    links: list[Link] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `parallax compare --json` document (issue 4's contract)."""
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "sentences": {
                "a": [s.to_dict() for s in self.sentences_a],
                "b": [s.to_dict() for s in self.sentences_b],
            },
            "entities": {
                "both": [e.to_dict() for e in self.entities_both],
                "only_a": [e.to_dict() for e in self.entities_only_a],
                "only_b": [e.to_dict() for e in self.entities_only_b],
            },
            "quotes": [q.to_dict() for q in self.quotes],
            "figures": self.figures.to_dict(),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "coverage": {"a_in_b": round(self.a_in_b, 3), "b_in_a": round(self.b_in_a, 3)},
            "analysed": self.analysed,
            "links": [lk.to_dict() for lk in self.links],
        }
