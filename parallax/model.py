"""The dataclasses every layer speaks.

This module is the one shared vocabulary of Parallax: ingest produces `Article`s, analysis
attaches an `Analysis`, storage persists both plus user state (tags, flags, notes, stories),
comparison turns two analysed articles into a `Comparison`, and the views only read these.
It imports nothing but the standard library so that every layer can depend on it.

Offsets (`start`, `end`) everywhere index into `Article.body` as Python string indexes
(code points), half-open: `body[start:end]`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

SCHEMA_VERSION = 1
"""Version of the serialised article / note layout (see `storage` migrations)."""

Flag = Literal["read", "starred", "archived"]
FLAGS: tuple[Flag, ...] = ("read", "starred", "archived")


class ParallaxError(Exception):
    """An error with a message meant for the user (no traceback is shown for these).

    Subclasses carry what went wrong and what to do; the CLI prints `str(error)` and exits
    with `exit_code`.
    """

    exit_code: int = 1


class NotFoundError(ParallaxError):
    """No article, note or story matches the id or prefix the user gave."""


class AmbiguousIdError(ParallaxError):
    """An id prefix matches more than one article."""


def content_id(*parts: str, length: int = 12) -> str:
    """A short, stable id derived from content, so that re-importing is idempotent."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]


@dataclass(slots=True)
class Span:
    """A half-open character range of `Article.body`."""

    start: int
    end: int


@dataclass(slots=True)
class Removed:
    """Something cleaning dropped from the raw text, kept so a user can see and undo it.

    Attributes:
        text: the exact text removed.
        reason: a short machine-friendly reason ("navigation", "share-widget", "promo",
            "byline", "dateline", "repeated-headline", "stray-word", "source-line", ...).
        offset: where it started in `Article.raw` (-1 when not from raw, e.g. HTML).
    """

    text: str
    reason: str
    offset: int = -1


@dataclass(slots=True)
class Entity:
    """A named entity or figure mention found by analysis.

    Attributes:
        start, end: offsets into `Article.body`.
        label: spaCy OntoNotes label (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, DATE, TIME,
            MONEY, PERCENT, CARDINAL, QUANTITY, ORDINAL, ...).
        text: `body[start:end]`.
        key: identity of the real-world thing, the same across articles and sources
            (e.g. "person:john kerry", "gpe:united states").
        value: normalised value for dates/figures (ISO date, number as string), else None.
    """

    start: int
    end: int
    label: str
    text: str
    key: str
    value: str | None = None


@dataclass(slots=True)
class Quote:
    """A direct quotation and who it is attributed to.

    Attributes:
        start, end: offsets into `Article.body` of the quoted words, quote marks excluded.
        text: the quoted words.
        speaker: the person or description it is attributed to, as written, or None.
        speaker_key: entity key of the speaker when it resolves to a PERSON/ORG, else None.
    """

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_key: str | None = None


@dataclass(slots=True)
class Figure:
    """A number, amount or date normalised so sources can be compared.

    Attributes:
        kind: "date", "time", "money", "percent", "quantity", "cardinal", "ordinal".
        value: a comparable normal form: ISO date ("2014-02-12"), or a decimal number as
            a string ("15", "0.5"), with `unit` for money/quantities.
    """

    start: int
    end: int
    text: str
    kind: str
    value: str | None = None
    unit: str | None = None


@dataclass(slots=True)
class Analysis:
    """Everything analysis found in one article's body, with the analyser's version.

    `version` changes whenever the pipeline's output could change (model, rules, aliases):
    a stored analysis whose version differs from the running analyser's is stale.
    """

    version: str
    model: str
    sentences: list[Span] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            version=str(data.get("version", "")),
            model=str(data.get("model", "")),
            sentences=[Span(**s) for s in data.get("sentences", [])],
            entities=[Entity(**e) for e in data.get("entities", [])],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            figures=[Figure(**f) for f in data.get("figures", [])],
        )


@dataclass(slots=True)
class Anchor:
    """Where a note is attached: the exact passage plus context, so it can be re-found.

    If the body no longer contains `quote` at `start`, the anchor is re-found by searching
    for `prefix + quote + suffix` (then `quote` alone when unique); if that fails the note
    is orphaned and shown as such, never re-attached to a guess.
    """

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(slots=True)
class Note:
    """A user's note on an article, optionally anchored to a passage. Text is Markdown."""

    id: str
    article_id: str
    text: str
    created: str
    updated: str
    anchor: Anchor | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        anchor = data.get("anchor")
        return cls(
            id=data["id"],
            article_id=data["article_id"],
            text=data.get("text", ""),
            created=data.get("created", ""),
            updated=data.get("updated", data.get("created", "")),
            anchor=Anchor(**anchor) if anchor else None,
        )


@dataclass(slots=True)
class Story:
    """A group of articles about the same event.

    Attributes:
        pinned: the user fixed this grouping (merge/split/move); automatic regrouping must
            not undo it.
        title_set_by_user: the user gave `title` (`parallax story rename`, or `--title`
            on split/move), so it is kept whatever the membership becomes; otherwise the
            title is recomputed from the members. None only for a story read from a store
            written before this field existed: undecided until its title is next
            recomputed (see `parallax.compare.stories.refresh_title`).
    """

    id: str
    title: str
    article_ids: list[str] = field(default_factory=list)
    pinned: bool = False
    title_set_by_user: bool | None = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        return cls(
            id=data["id"],
            title=data.get("title", ""),
            article_ids=list(data.get("article_ids", [])),
            pinned=bool(data.get("pinned", False)),
            title_set_by_user=(
                bool(data["title_set_by_user"])
                if data.get("title_set_by_user") is not None
                else None
            ),
        )


@dataclass(slots=True)
class Article:
    """One article: immutable content from ingest, analysis, and mutable user state.

    Content fields (`title` .. `captions`) never change after import except through a
    re-import of identical content (a no-op). `analysis` is replaced by re-analysis. User
    state (`tags`, `read`, `starred`, `archived`, `story`) changes through `storage.Library`.

    Attributes:
        id: short content-derived id (see `content_id`).
        published: ISO 8601 ("2014-02-13T10:28:00" or "2014-02-13"), or None if unknown.
        published_raw: the date exactly as the source wrote it.
        body: clean Markdown; every offset in `analysis`, `captions` and note anchors
            indexes into it.
        raw: the original text exactly as imported (decoded); never written to a terminal
            unescaped.
        removed: what cleaning dropped.
        captions: spans of `body` that are photo captions (set apart when rendered).
        format: the input format ("capture", "markdown", "html", "json", "feed").
        duplicate_of: id of a near-duplicate already stored (same wire copy elsewhere).
    """

    id: str
    title: str
    body: str
    raw: str
    source: str | None = None
    agency: str | None = None
    author: str | None = None
    published: str | None = None
    published_raw: str | None = None
    url: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    captions: list[Span] = field(default_factory=list)
    path: str | None = None
    format: str | None = None
    imported_at: str | None = None
    duplicate_of: str | None = None
    tags: list[str] = field(default_factory=list)
    read: bool = False
    starred: bool = False
    archived: bool = False
    story: str | None = None
    analysis: Analysis | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["analysis"] = self.analysis.to_dict() if self.analysis else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["removed"] = [Removed(**r) for r in data.get("removed", []) or []]
        kwargs["captions"] = [Span(**c) for c in data.get("captions", []) or []]
        kwargs["tags"] = list(data.get("tags", []) or [])
        analysis = data.get("analysis")
        kwargs["analysis"] = Analysis.from_dict(analysis) if analysis else None
        return cls(**kwargs)

    def summary(self) -> dict[str, Any]:
        """The list-row view of an article (the `parallax list --json` shape)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "agency": self.agency,
            "author": self.author,
            "published": self.published,
            "tags": list(self.tags),
            "read": self.read,
            "starred": self.starred,
            "archived": self.archived,
            "story": self.story,
        }
