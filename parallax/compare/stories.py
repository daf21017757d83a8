"""Stories: articles about the same event, grouped automatically and fixed by the user.

Grouping uses what outlets covering one event share: the people, places and
organisations they name (entity keys from analysis, or capitalised names estimated from
the text when an article is not analysed), the distinctive words of the title and body
(TF-IDF cosine over the library), and the publication date (same-story articles appear
within a few days of each other). Articles are placed in date order; an article joins the
story whose members are most similar to it on average (average link, so stories do not
grow by chaining), provided its nearest member clears `THRESHOLD` and the dates are within
`MAX_DAYS`; otherwise it starts a new story. `THRESHOLD`, `MAX_DAYS` and `AVERAGE_SHARE`
come from a grid search on BASIL 2010-2014 (`benchmarks/stories.py --tune`; BASIL is
easy, so ties are broken towards a one-week window); the feature weights and the
candidate limits (`TOP_FEATURES`, `MAX_DF_SHARE`, `CANDIDATES`) were set by hand for
speed, not tuned. The benchmark reports BASIL 2015-2019 and AllSides.

Grouping is incremental: `update_stories` places only new articles and never moves an
article that already has a story. User choices (`merge`, `split`, `move`) mark the
stories involved `pinned`; pinned stories still accept new articles but are never
regrouped.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from parallax.compare import fallback
from parallax.compare.text import content_stems, tokens
from parallax.model import Article, NotFoundError, ParallaxError, Story, content_id


class StoryStore(Protocol):
    """The part of `storage.protocol.LibraryProtocol` that grouping uses.

    Any `LibraryProtocol` satisfies it; naming only these methods keeps compare free of
    a storage import and lets tests pass a small fake.
    """

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterable[Article]: ...
    def stories(self) -> list[Story]: ...
    def save_stories(self, stories: Sequence[Story]) -> None: ...


THRESHOLD = 0.18
MAX_DAYS = 7
ENTITY_WEIGHT = 2.0
TITLE_WEIGHT = 1.5
BODY_WEIGHT = 1.0
AVERAGE_SHARE = 1.0
"""A story's mean similarity to the article must reach this share of `THRESHOLD`."""
TOP_FEATURES = 60
MAX_DF_SHARE = 0.01
"""Features in more than this share of the library (and at least 50 articles) are too
common to find candidates with (they still count in the similarity)."""
CANDIDATES = 25
"""Nearest articles (by the partial dot product) that get an exact similarity."""
TWIN = 0.8
"""Cosine at or above which an article is a near-duplicate of its neighbour (the same
wire story republished): it joins the neighbour's story even when the story's average
similarity would not admit it. Unrelated same-event articles stay far below (BASIL's
same-story pairs from different outlets: mostly 0.2-0.5)."""

_NUMERIC_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


class StoryError(ParallaxError):
    """A story command cannot do what was asked (unknown story, article not in it, ...)."""


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass(slots=True)
class Signature:
    """What grouping knows about one article: raw feature counts and its date."""

    id: str
    title: str
    counts: dict[str, float]
    day: date | None
    vector: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0


def signature(article: Article) -> Signature:
    """Entity keys, title words and body words of an article, weighted by kind."""
    counts: dict[str, float] = defaultdict(float)
    if article.analysis is not None and article.analysis.entities:
        ents = [
            e.key for e in article.analysis.entities if e.label not in _NUMERIC_LABELS and e.key
        ]
    else:
        ents = [e.key for e in fallback.names(article.body or "")]
    for key, n in Counter(ents).items():
        counts["e:" + key] += ENTITY_WEIGHT * (1 + math.log(n))
    for t in set(content_stems(tokens(article.title or ""))):
        counts["w:" + t] += TITLE_WEIGHT
    body_counts = Counter(content_stems(tokens(article.body or "")))
    for t, n in body_counts.items():
        if len(t) > 2:
            counts["w:" + t] += BODY_WEIGHT * (1 + math.log(n))
    return Signature(article.id, article.title or "", dict(counts), _parse_date(article.published))


class StoryIndex:
    """Signatures of every article, an inverted index, and article -> story assignment."""

    def __init__(self, signatures: Iterable[Signature]) -> None:
        self.sigs: dict[str, Signature] = {s.id: s for s in signatures}
        self.df: Counter[str] = Counter()
        for s in self.sigs.values():
            self.df.update(s.counts.keys())
        self.n = max(1, len(self.sigs))
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.story_of: dict[str, str] = {}
        self.story_size: dict[str, int] = {}
        self._max_df = max(50, int(self.n * MAX_DF_SHARE))
        for s in self.sigs.values():
            self._vectorise(s)

    def _vectorise(self, s: Signature) -> None:
        vec = {
            f: c * (math.log((self.n + 1) / (self.df.get(f, 0) + 1)) + 1.0)
            for f, c in s.counts.items()
        }
        top = sorted(vec.items(), key=lambda kv: -kv[1])[:TOP_FEATURES]
        s.vector = dict(top)
        s.norm = math.sqrt(sum(v * v for v in s.vector.values())) or 1.0

    def index(self, article_id: str) -> None:
        """Make an (already assigned) article findable as a neighbour."""
        s = self.sigs[article_id]
        for f, v in s.vector.items():
            if self.df.get(f, 0) <= self._max_df:
                self.postings[f].append((article_id, v))

    def similar(self, article_id: str) -> list[tuple[float, str]]:
        """Indexed articles similar to `article_id`, best first, within the date window.

        Candidates come from the postings of the article's rarer features (a partial
        dot product); the best `CANDIDATES` get the exact cosine over all kept features.
        """
        s = self.sigs[article_id]
        dots: dict[str, float] = defaultdict(float)
        for f, v in s.vector.items():
            for other, w in self.postings.get(f, ()):
                dots[other] += v * w
        dots.pop(article_id, None)
        best = sorted(dots.items(), key=lambda kv: -kv[1])[: CANDIDATES * 4]
        out: list[tuple[float, str]] = []
        for other, _ in best:
            o = self.sigs[other]
            if s.day and o.day and abs((s.day - o.day).days) > MAX_DAYS:
                continue
            vec = o.vector
            full = sum(v * vec.get(f, 0.0) for f, v in s.vector.items())
            out.append((full / (s.norm * o.norm), other))
            if len(out) >= CANDIDATES:
                break
        out.sort(reverse=True)
        return out

    def assign(self, article_id: str, new_story_id: str) -> str:
        """Put an article in the best-matching story, or in `new_story_id`.

        A story's score is the mean similarity to its members (average link), so a
        story cannot grow by chaining through one borderline article; the best single
        neighbour must still clear `THRESHOLD`.
        """
        sims = self.similar(article_id)
        # A near-duplicate (the same wire copy, a republished page) joins its twin's
        # story whatever the rest of that story looks like.
        for sim, other in sims:
            if sim >= TWIN and other in self.story_of:
                sid = self.story_of[other]
                self.story_of[article_id] = sid
                self.story_size[sid] = self.story_size.get(sid, 0) + 1
                self.index(article_id)
                return sid
            break
        members: dict[str, list[float]] = defaultdict(list)
        for sim, other in sims:
            if other in self.story_of:
                members[self.story_of[other]].append(sim)
        best_story, best_score = new_story_id, 0.0
        for sid, values in members.items():
            if max(values) < THRESHOLD:
                continue
            size = self.story_size.get(sid, len(values))
            score = sum(values) / max(size, len(values))
            if score >= THRESHOLD * AVERAGE_SHARE and score > best_score:
                best_story, best_score = sid, score
        self.story_of[article_id] = best_story
        self.story_size[best_story] = self.story_size.get(best_story, 0) + 1
        self.index(article_id)
        return best_story


def _order(sigs: Iterable[Signature]) -> list[Signature]:
    return sorted(sigs, key=lambda s: (s.day is None, s.day or date.min, s.id))


def representative_title(titles: Sequence[str]) -> str:
    """The member title that shares most words with the other members' titles.

    A story's title should say what most of its articles are about, not whichever
    arrived first: the title with the highest summed word overlap (Jaccard over content
    stems) with the others wins; ties go to the earliest given.
    """
    named = [t for t in titles if t and t.strip()]
    if len(named) <= 2:
        return named[0] if named else ""
    stems = [set(content_stems(tokens(t))) for t in named]

    def overlap(k: int) -> float:
        total = 0.0
        for m, other in enumerate(stems):
            if m != k and (stems[k] | other):
                total += len(stems[k] & other) / len(stems[k] | other)
        return total

    best = max(range(len(named)), key=lambda k: (overlap(k), -k))
    return named[best]


def is_automatic_title(story: Story, titles: Mapping[str, str]) -> bool:
    """Whether a story's title was chosen by grouping (so may be recomputed).

    `Story.title_set_by_user` says so explicitly. Only a story from a store written
    before that field existed (`None`) falls back to the old reading: a title that is
    none of the articles' titles can only have come from the user.
    """
    if story.title_set_by_user is not None:
        return not story.title_set_by_user or not story.title
    return not story.title or story.title in set(titles.values())


def refresh_title(story: Story, titles: Mapping[str, str]) -> None:
    """Recompute an automatic title from the story's current members (after they change).

    A story of an old store also gets its `title_set_by_user` settled here, once.
    """
    automatic = is_automatic_title(story, titles)
    story.title_set_by_user = not automatic
    if automatic:
        story.title = representative_title([titles.get(a, "") for a in story.article_ids])


def rename_story(stories: list[Story], story_id: str, title: str) -> Story:
    """Give a story the user's own title; it is kept when membership changes."""
    title = " ".join(title.split())
    if not title:
        raise StoryError('give a non-empty title, e.g. `parallax story rename ID "Kerry in Seoul"`')
    story = _find(stories, story_id)
    story.title = title
    story.title_set_by_user = True
    story.pinned = True
    return story


def story_id_for(article_id: str) -> str:
    return "s" + content_id("story", article_id, length=10)


def group_articles(articles: Sequence[Article]) -> list[list[str]]:
    """Group articles into stories from scratch (benchmarks and a full regroup)."""
    index = StoryIndex(signature(a) for a in articles)
    groups: dict[str, list[str]] = defaultdict(list)
    for s in _order(index.sigs.values()):
        groups[index.assign(s.id, story_id_for(s.id))].append(s.id)
    return list(groups.values())


def update_stories(lib: StoryStore, new_ids: Sequence[str]) -> None:
    """Give each new article a story, keeping every existing assignment and user choice.

    Only articles within `MAX_DAYS` of the new ones (and undated ones) can be neighbours,
    so only those are vectorised: importing into a large library stays quick. The
    articles are read first; the stories are then re-read and saved under the store's
    lock (`edit_stories`), so another process's regrouping meanwhile is never lost.

    Args:
        lib: the store (a `LibraryProtocol`); uses `iter_articles` and `edit_stories`
            (or `stories` and `save_stories` when it has no `edit_stories`).
        new_ids: ids of articles just added; ones that already belong to a story are left
            where they are, unknown ids are ignored.
    """
    all_articles: list[Article] = list(lib.iter_articles())

    def place(current: list[Story]) -> list[Story] | None:
        return _place_new(current, all_articles, new_ids)

    edit = getattr(lib, "edit_stories", None)
    if edit is not None:
        edit(place)
        return
    result = place(list(lib.stories()))
    if result is not None:
        lib.save_stories(result)


def _place_new(
    stories: list[Story], articles: list[Article], new_ids: Sequence[str]
) -> list[Story] | None:
    """`update_stories`' grouping step: the new set of stories, or None if none changed."""
    by_id = {s.id: s for s in stories}
    assigned = {aid: s.id for s in stories for aid in s.article_ids}
    known = {a.id for a in articles}
    pending = [i for i in dict.fromkeys(new_ids) if i in known and i not in assigned]
    if not pending:
        return None
    pending_set = set(pending)
    titles = {a.id: a.title or "" for a in articles}
    days = [_parse_date(a.published) for a in articles if a.id in pending_set]
    if days and all(d is not None for d in days):
        lo = min(d for d in days if d is not None) - timedelta(days=MAX_DAYS)
        hi = max(d for d in days if d is not None) + timedelta(days=MAX_DAYS)

        def near(a: Article) -> bool:
            d = _parse_date(a.published)
            return a.id in pending_set or d is None or lo <= d <= hi

        articles = [a for a in articles if near(a)]
    index = StoryIndex(signature(a) for a in articles)
    index.story_of.update(assigned)
    index.story_size.update(Counter(assigned.values()))
    for aid in assigned:
        if aid in index.sigs:
            index.index(aid)
    pending_set = set(pending)
    changed: set[str] = set()
    for s in _order(index.sigs[i] for i in pending):
        sid = index.assign(s.id, story_id_for(s.id))
        story = by_id.get(sid)
        if story is None:
            story = Story(id=sid, title=titles.get(s.id, ""), article_ids=[])
            by_id[sid] = story
            stories.append(story)
        story.article_ids.append(s.id)
        changed.add(sid)
    for sid in changed:
        refresh_title(by_id[sid], titles)
    return stories


# --------------------------------------------------------------------------------------
# User choices


def _find(stories: list[Story], story_id: str) -> Story:
    matches = [s for s in stories if s.id == story_id] or [
        s for s in stories if s.id.startswith(story_id)
    ]
    if not matches:
        raise NotFoundError(f"no story {story_id!r}; `parallax stories` lists them")
    if len(matches) > 1:
        raise StoryError(f"story id {story_id!r} is ambiguous; give more characters")
    return matches[0]


def merge_stories(
    stories: list[Story], story_ids: Sequence[str], titles: Mapping[str, str] | None = None
) -> Story:
    """Merge stories into the first one given; the result is pinned.

    With `titles` (article id -> title) an automatic title is recomputed for the new
    membership; a title the user gave (to the target, else to a merged story) is kept.
    """
    if len(story_ids) < 2:
        raise StoryError("merge needs at least two story ids")
    target = _find(stories, story_ids[0])
    for sid in story_ids[1:]:
        other = _find(stories, sid)
        if other is target:
            continue
        target.article_ids.extend(a for a in other.article_ids if a not in target.article_ids)
        if other.title_set_by_user and not target.title_set_by_user:
            # The user named the absorbed story and not the target: keep their name.
            target.title, target.title_set_by_user = other.title, True
        stories.remove(other)
    target.pinned = True
    if titles is not None:
        refresh_title(target, titles)
    return target


def move_articles(
    stories: list[Story],
    article_ids: Sequence[str],
    to: str | None,
    *,
    title: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> Story:
    """Move articles into story `to` (or a new story when `to` is None); all pinned.

    A story left empty is removed. With `titles` (article id -> title), every story whose
    membership changed gets its automatic title recomputed (user titles are kept).
    """
    if not article_ids:
        raise StoryError("give at least one article id to move")
    if to is not None:
        target = _find(stories, to)
    else:
        sid = "s" + content_id("story-split", *article_ids, length=10)
        while any(s.id == sid for s in stories):
            sid = "s" + content_id("story-split", sid, length=10)
        title = " ".join((title or "").split())
        target = Story(id=sid, title=title, article_ids=[], title_set_by_user=bool(title))
        stories.append(target)
    touched: list[Story] = [target]
    for aid in article_ids:
        for s in stories:
            if s is not target and aid in s.article_ids:
                s.article_ids.remove(aid)
                s.pinned = True
                touched.append(s)
        if aid not in target.article_ids:
            target.article_ids.append(aid)
    target.pinned = True
    stories[:] = [s for s in stories if s.article_ids]
    if titles is not None:
        for s in touched:
            if s.article_ids:
                refresh_title(s, titles)  # a title given here is the user's: kept
    return target


def split_story(
    stories: list[Story],
    story_id: str,
    article_ids: Sequence[str],
    *,
    title: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> Story:
    """Take articles out of a story into a new one; both are pinned."""
    source = _find(stories, story_id)
    missing = [a for a in article_ids if a not in source.article_ids]
    if missing:
        raise StoryError(f"article(s) {', '.join(missing)} are not in story {source.id}")
    if len(article_ids) >= len(source.article_ids):
        raise StoryError("split must leave at least one article in the original story")
    return move_articles(stories, article_ids, None, title=title, titles=titles)
