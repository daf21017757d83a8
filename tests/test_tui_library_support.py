"""An in-memory `LibraryProtocol` and hand-built articles for the reader's tests.

The reader is tested against this so its tests do not depend on TinyDB timing; one test
(`test_tui_library.py::test_real_store`) also runs against `storage.Library`.
No tests live here; pytest collects nothing from this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from parallax.model import (
    Analysis,
    Anchor,
    Article,
    Entity,
    Flag,
    Note,
    NotFoundError,
    Quote,
    Span,
    Story,
)
from storage.protocol import AddResult, ArticleFilter, ArticleSummary, StoreStats


class MemoryLibrary:
    """A store in a dict, following `storage.protocol` semantics closely enough for the UI."""

    schema_version = 1

    def __init__(
        self, articles: Sequence[Article] = (), path: str = "/tmp/memory/library.json"
    ) -> None:
        self.path = Path(path)
        self.articles: dict[str, Article] = {}
        self._notes: list[Note] = []
        self._stories: list[Story] = []
        self.external_change = False
        self.calls: list[str] = []
        self._ids = itertools.count(1)
        self.add_articles(articles)

    def add_articles(self, articles: Sequence[Article]) -> list[AddResult]:
        results = []
        for a in articles:
            self.articles[a.id] = a
            results.append(AddResult(a.id, "imported"))
        return results

    def resolve_id(self, id_or_prefix: str) -> str:
        matches = [i for i in self.articles if i.startswith(id_or_prefix)]
        if len(matches) != 1:
            raise NotFoundError(f"no article {id_or_prefix}")
        return matches[0]

    def get(self, id_or_prefix: str) -> Article:
        self.calls.append("get")
        return self.articles[self.resolve_id(id_or_prefix)]

    def summary(self, article_id: str) -> ArticleSummary:
        return self._summary(self.get(article_id))

    def _summary(self, a: Article) -> ArticleSummary:
        return ArticleSummary(
            id=a.id,
            title=a.title,
            source=a.source,
            agency=a.agency,
            author=a.author,
            published=a.published,
            tags=list(a.tags),
            read=a.read,
            starred=a.starred,
            archived=a.archived,
            story=a.story,
            duplicate_of=a.duplicate_of,
            note_count=sum(1 for n in self._notes if n.article_id == a.id),
        )

    def _match(self, a: Article, f: ArticleFilter) -> bool:
        if not f.all_ and (a.archived != bool(f.archived)):
            return False
        if f.source and f.source.lower() not in (a.source or "").lower():
            return False
        if f.tag and f.tag not in a.tags:
            return False
        if f.read is not None and a.read != f.read:
            return False
        if f.starred is not None and a.starred != f.starred:
            return False
        if f.story and a.story != f.story:
            return False
        if f.entity and not (a.analysis and any(e.key == f.entity for e in a.analysis.entities)):
            return False
        if f.search:
            hay = (a.title + " " + a.body).lower()
            if not all(w.lower() in hay for w in f.search.split()):
                return False
        return f.ids is None or a.id in f.ids

    def list(
        self,
        flt: ArticleFilter | None = None,
        sort: str = "date",
        reverse: bool = True,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        self.calls.append("list")
        f = flt or ArticleFilter()
        rows = [self._summary(a) for a in self.articles.values() if self._match(a, f)]
        rows.sort(key=lambda s: s.published or "", reverse=reverse)
        return rows if limit is None else rows[:limit]

    def count(self, flt: ArticleFilter | None = None) -> int:
        return len(self.list(flt))

    def stats(self) -> StoreStats:
        return StoreStats(total=len(self.articles))

    def set_analysis(self, article_id: str, analysis: Analysis) -> None:
        self.articles[article_id].analysis = analysis

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterable[Article]:
        return [self.articles[i] for i in ids] if ids is not None else list(self.articles.values())

    def set_flag(self, article_ids: str | Sequence[str], flag: Flag, value: bool) -> None:
        ids = [article_ids] if isinstance(article_ids, str) else article_ids
        for i in ids:
            setattr(self.articles[i], flag, value)

    def update_tags(
        self, article_ids: str | Sequence[str], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> None:
        ids = [article_ids] if isinstance(article_ids, str) else article_ids
        add, remove = list(add), list(remove)
        for i in ids:
            a = self.articles[i]
            a.tags = [t for t in a.tags if t not in remove] + [t for t in add if t not in a.tags]

    def all_tags(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.articles.values():
            for t in a.tags:
                out[t] = out.get(t, 0) + 1
        return out

    def add_note(self, article_id: str, text: str, anchor: Anchor | None = None) -> Note:
        note = Note(
            f"n{next(self._ids)}",
            article_id,
            text,
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00",
            anchor,
        )
        self._notes.append(note)
        return note

    def update_note(self, note_id: str, text: str) -> Note:
        for n in self._notes:
            if n.id == note_id:
                n.text = text
                return n
        raise NotFoundError(note_id)

    def delete_note(self, note_id: str) -> None:
        self._notes = [n for n in self._notes if n.id != note_id]

    def notes(self, article_id: str | None = None) -> list[Note]:
        return [n for n in self._notes if article_id is None or n.article_id == article_id]

    def stories(self) -> list[Story]:
        return list(self._stories)

    def story(self, story_id: str) -> Story:
        for s in self._stories:
            if s.id == story_id:
                return s
        raise NotFoundError(story_id)

    def save_stories(self, stories: Sequence[Story]) -> None:
        self._stories = list(stories)

    def changed_since_open(self) -> bool:
        return self.external_change

    def refresh(self) -> bool:
        changed, self.external_change = self.external_change, False
        return changed

    def close(self) -> None:
        pass


def _entities(body: str, words: dict[str, tuple[str, str]]) -> list[Entity]:
    out = []
    for word, (label, key) in words.items():
        start = 0
        while (pos := body.find(word, start)) >= 0:
            out.append(Entity(pos, pos + len(word), label, word, key))
            start = pos + len(word)
    out.sort(key=lambda e: e.start)
    return out


KERRY_BODY = (
    "US Secretary of State John Kerry headed to Seoul on Thursday for talks on North Korea.\n\n"
    "South Korea is Kerry's first stop on an Asia tour that will also take him to Beijing.\n\n"
    "\"We've become clearly aware of North Korea's intentions,\" said Min Kyung-wook.\n\n"
    "Kerry arrives in Seoul - photo by Evan Vucci\n\n"
    "The February 20-25 event overlaps with drills involving 28,500 troops."
)
ENTITY_WORDS = {
    "John Kerry": ("PERSON", "person:john kerry"),
    "Seoul": ("GPE", "gpe:seoul"),
    "North Korea": ("GPE", "gpe:north korea"),
    "Beijing": ("GPE", "gpe:beijing"),
    "Min Kyung-wook": ("PERSON", "person:min kyung-wook"),
    "Thursday": ("DATE", "date:thursday"),
    "28,500": ("CARDINAL", "cardinal:28500"),
}


def analysed(article_id: str, title: str, body: str, **kw: object) -> Article:
    ents = _entities(body, ENTITY_WORDS)
    quotes = []
    q = body.find("We've become")
    if q >= 0:
        end = body.find(',"', q)
        quotes.append(Quote(q, end, body[q:end], "Min Kyung-wook", "person:min kyung-wook"))
    cap = body.find("Kerry arrives in Seoul")
    captions = (
        [Span(cap, cap + len("Kerry arrives in Seoul - photo by Evan Vucci"))] if cap >= 0 else []
    )
    sentences = []
    pos = 0
    for part in body.split("\n\n"):
        start = body.find(part, pos)
        sentences.append(Span(start, start + len(part)))
        pos = start + len(part)
    analysis = Analysis("test-1", "hand", sentences=sentences, entities=ents, quotes=quotes)
    return Article(
        id=article_id, title=title, body=body, raw=body, captions=captions, analysis=analysis, **kw
    )  # type: ignore[arg-type]


def sample_library() -> MemoryLibrary:
    """Five articles: a two-source story, a tagged one, an un-analysed one, a hostile one."""
    arts = [
        analysed(
            "afp0001",
            "Kerry due in Seoul after rare North-South Korea talks",
            KERRY_BODY,
            source="xinmsn",
            agency="AFP",
            author="Agence France-Presse",
            published="2014-02-13T10:28:00",
            story="st-kerry",
            tags=["korea"],
        ),
        analysed(
            "yna0002",
            "Kerry arrives in Seoul for talks on N. Korea",
            KERRY_BODY.replace("Thursday", "Friday"),
            source="Korea Herald",
            agency="Yonhap",
            published="2014-02-13T09:00:00",
            story="st-kerry",
        ),
        Article(
            id="plain003",
            title="Markets calm as central bank holds rates",
            body="The bank held rates.\n\nA *second* paragraph.",
            raw="",
            source="Reuters",
            published="2014-02-12",
            tags=["economy", "rates"],
        ),
        Article(
            id="star0004",
            title="Starred feature on regional tensions",
            body="Long read.",
            raw="",
            source="Guardian",
            published="2014-02-10",
            starred=True,
            read=True,
        ),
        Article(
            id="hostile5",
            title="[red]x[/] [@click=app.quit]q",
            body="Body [bold]not bold[/] and [@click=app.quit]click[/] \\[esc] `code`",
            raw="",
            source="[link=http://evil]src[/link]",
            published="2014-02-11",
        ),
    ]
    lib = MemoryLibrary(arts)
    lib.save_stories([Story("st-kerry", "Kerry visits Seoul", ["afp0001", "yna0002"])])
    return lib


def big_library(n: int) -> MemoryLibrary:
    """`n` light articles (for the virtual list's behaviour at scale)."""
    arts = [
        Article(
            id=f"id{i:07d}",
            title=f"Article number {i}",
            body=f"Body {i}.",
            raw="",
            source=("AFP", "Reuters", "AP")[i % 3],
            published=f"2014-{1 + i % 12:02d}-{1 + i % 28:02d}",
            story=f"s{i // 3}" if i % 2 else None,
        )
        for i in range(n)
    ]
    return MemoryLibrary(arts)
