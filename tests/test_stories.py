"""Stories: automatic grouping, incremental updates that keep user choices, story matrix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pytest

from parallax.compare.matrix import story_matrix
from parallax.compare.stories import (
    StoryError,
    group_articles,
    merge_stories,
    move_articles,
    rename_story,
    representative_title,
    split_story,
    update_stories,
)
from parallax.model import Article, NotFoundError, Story

QUAKE = [
    (
        "q1",
        "Chile earthquake kills hundreds",
        "2010-02-27",
        "A magnitude 8.8 earthquake struck central Chile on Saturday, killing at least 300 "
        "people. President Michelle Bachelet declared a state of catastrophe in Maule and "
        "Biobio. Buildings collapsed in Concepcion and Santiago.",
    ),
    (
        "q2",
        "Massive quake hits Chile; Bachelet declares catastrophe",
        "2010-02-28",
        "Michelle Bachelet said the death toll from the earthquake in Chile had risen. The "
        "quake flattened homes in Concepcion, and Santiago airport was closed. Rescuers in "
        "Maule searched the rubble.",
    ),
    (
        "q3",
        "Tsunami warnings after Chile earthquake",
        "2010-02-27",
        "The Chile earthquake near Concepcion triggered tsunami warnings across the Pacific. "
        "Bachelet urged calm in Santiago as aftershocks shook Maule.",
    ),
]
PHONE = [
    (
        "p1",
        "Apple unveils new iPhone",
        "2010-03-01",
        "Apple chief executive Steve Jobs unveiled the new iPhone in Cupertino on Monday, "
        "promising a faster processor and a better camera for the smartphone.",
    ),
    (
        "p2",
        "Jobs shows off faster iPhone in Cupertino",
        "2010-03-02",
        "Steve Jobs presented Apple's latest iPhone at its Cupertino headquarters, with a "
        "faster processor and an improved camera for the smartphone.",
    ),
]
LATER_QUAKE = (
    "q9",
    "Chile earthquake anniversary",
    "2010-06-27",
    "Four months after the earthquake in Chile, Bachelet's successor visited Concepcion, "
    "Maule and Santiago, where rebuilding is slow.",
)


LATE_QUAKE = (
    "q4",
    "Chile quake toll rises",
    "2010-02-28",
    "The death toll from the Chile earthquake rose as Bachelet toured Concepcion, "
    "Maule and Santiago.",
)
"""An article on the quake story that arrives after the user has changed its stories."""


def art(row: tuple[str, str, str, str]) -> Article:
    aid, title, day, body = row
    return Article(id=aid, title=title, body=body, raw=body, published=day)


class FakeLibrary:
    """Just the part of `LibraryProtocol` that story grouping uses."""

    def __init__(self, articles: Iterable[Article], stories: Iterable[Story] = ()) -> None:
        self.articles = {a.id: a for a in articles}
        self._stories = [Story.from_dict(s.to_dict()) for s in stories]
        self.saves = 0

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterable[Article]:
        return [self.articles[i] for i in ids] if ids is not None else list(self.articles.values())

    def stories(self) -> list[Story]:
        return [Story.from_dict(s.to_dict()) for s in self._stories]

    def save_stories(self, stories: Sequence[Story]) -> None:
        self.saves += 1
        self._stories = [Story.from_dict(s.to_dict()) for s in stories]
        for a in self.articles.values():
            a.story = None
        for s in self._stories:
            for aid in s.article_ids:
                self.articles[aid].story = s.id

    def edit_stories(self, fn: Callable[[list[Story]], Sequence[Story] | None]) -> list[Story]:
        """Like `Library.edit_stories`: `fn` changes fresh copies; None writes nothing."""
        result = fn(self.stories())
        if result is not None:
            self.save_stories(result)
        return self.stories()

    def add(self, article: Article) -> None:
        self.articles[article.id] = article


def as_sets(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def test_group_articles_by_event_and_date_window() -> None:
    groups = group_articles([art(r) for r in [*QUAKE, *PHONE, LATER_QUAKE]])
    assert as_sets(groups) == {
        frozenset({"q1", "q2", "q3"}),
        frozenset({"p1", "p2"}),
        frozenset({"q9"}),  # same place, months later: another story
    }


def test_update_stories_is_incremental_and_stores_story_on_articles() -> None:
    lib = FakeLibrary([art(r) for r in [*QUAKE[:2], *PHONE[:1]]])
    update_stories(lib, ["q1", "q2", "p1"])
    first = {s.id: set(s.article_ids) for s in lib.stories()}
    assert as_sets(first.values()) == {frozenset({"q1", "q2"}), frozenset({"p1"})}
    # New articles join the existing stories; nothing already placed moves.
    lib.add(art(QUAKE[2]))
    lib.add(art(PHONE[1]))
    update_stories(lib, ["q3", "p2"])
    after = {s.id: set(s.article_ids) for s in lib.stories()}
    assert as_sets(after.values()) == {frozenset({"q1", "q2", "q3"}), frozenset({"p1", "p2"})}
    assert set(first) == set(after)  # same story ids
    assert lib.articles["q3"].story == lib.articles["q1"].story


def test_update_stories_does_nothing_for_known_or_unknown_ids() -> None:
    lib = FakeLibrary([art(QUAKE[0])], [Story("s1", "Quake", ["q1"])])
    update_stories(lib, ["q1", "nope"])
    assert lib.saves == 0


def test_user_choices_stick_across_automatic_updates() -> None:
    lib = FakeLibrary([art(r) for r in QUAKE])
    update_stories(lib, ["q1", "q2", "q3"])
    stories = lib.stories()
    (quake,) = stories
    new = split_story(stories, quake.id, ["q3"], title="Tsunami")
    lib.save_stories(stories)
    # Another quake article arrives: regrouping must not pull q3 back.
    lib.add(art(LATE_QUAKE))
    update_stories(lib, ["q4"])
    by_id = {s.id: s for s in lib.stories()}
    assert by_id[new.id].article_ids[0] == "q3" and by_id[new.id].pinned
    assert "q3" not in by_id[quake.id].article_ids and by_id[quake.id].pinned
    assert lib.articles["q4"].story in by_id


def test_merge_move_and_split_rules() -> None:
    stories = [Story("s1", "A", ["a1", "a2"]), Story("s2", "B", ["b1"]), Story("s3", "C", ["c1"])]
    merged = merge_stories(stories, ["s1", "s2"])
    assert merged.article_ids == ["a1", "a2", "b1"] and merged.pinned
    assert [s.id for s in stories] == ["s1", "s3"]
    moved = move_articles(stories, ["c1"], "s1")
    assert moved.article_ids[-1] == "c1"
    assert [s.id for s in stories] == ["s1"]  # an emptied story disappears
    with pytest.raises(StoryError):
        split_story(stories, "s1", ["zz"])
    with pytest.raises(StoryError):
        split_story(stories, "s1", ["a1", "a2", "b1", "c1"])
    with pytest.raises(NotFoundError):
        merge_stories(stories, ["s1", "missing"])


def test_story_matrix_shows_what_only_one_source_reported() -> None:
    a = Article(
        id="a", title="A", body="The storm killed 12 people on Monday. Schools are closed.", raw=""
    )
    b = Article(
        id="b", title="B", body="On Monday the storm killed 12 people. Power was cut.", raw=""
    )
    c = Article(
        id="c", title="C", body="The storm killed 12 people on Monday, officials said.", raw=""
    )
    m = story_matrix([a, b, c]).to_dict()
    storm = next(r for r in m["facts"] if "killed" in r["text"])
    assert storm["sources"] == [0, 1, 2] and storm["only"] is None
    only = {r["text"]: r["only"] for r in m["facts"] if r["only"] is not None}
    assert only == {"Schools are closed.": 0, "Power was cut.": 1}
    assert [o["facts"] for o in m["only"]] == [1, 1, 0]
    assert len(m["sources"]) == 3


# -- titles, rename, twins ------------------------------------------------------------------


def test_story_title_follows_membership_until_the_user_names_it() -> None:
    # The tsunami piece arrives first: alone, its title is the story's.
    lib = FakeLibrary([art(QUAKE[2])])
    update_stories(lib, ["q3"])
    assert [s.title for s in lib.stories()] == ["Tsunami warnings after Chile earthquake"]
    lib.add(art(QUAKE[0]))
    lib.add(art(QUAKE[1]))
    update_stories(lib, ["q1", "q2"])
    (story,) = lib.stories()
    assert set(story.article_ids) == {"q1", "q2", "q3"}
    # When the tsunami piece leaves, the story's title no longer names it.
    titles = {a.id: a.title for a in lib.iter_articles()}
    stories = lib.stories()
    new = split_story(stories, story.id, ["q3"], titles=titles)
    lib.save_stories(stories)
    by_id = {s.id: s for s in lib.stories()}
    assert by_id[new.id].title == "Tsunami warnings after Chile earthquake"
    assert by_id[story.id].title in {QUAKE[0][1], QUAKE[1][1]}
    move_articles(stories, ["q3"], story.id, titles=titles)  # and back again
    lib.save_stories(stories)
    (story,) = lib.stories()
    # The user's own title is kept however the membership changes afterwards.
    stories = lib.stories()
    rename_story(stories, story.id[:4], "  Chile   quake 2010 ")
    lib.save_stories(stories)
    assert lib.stories()[0].title == "Chile quake 2010" and lib.stories()[0].pinned
    lib.add(art(LATE_QUAKE))
    update_stories(lib, ["q4"])
    (story,) = lib.stories()
    assert "q4" in story.article_ids and story.title == "Chile quake 2010"
    with pytest.raises(StoryError):
        rename_story(lib.stories(), story.id, "   ")


def test_moving_articles_recomputes_automatic_titles_on_both_sides() -> None:
    titles = {"a1": "Storm hits coast", "a2": "Storm hits the coast hard", "b1": "Rates rise"}
    stories = [Story("s1", "Storm hits coast", ["a1", "a2"]), Story("s2", "Rates rise", ["b1"])]
    move_articles(stories, ["a1"], "s2", titles=titles)
    by_id = {s.id: s for s in stories}
    assert by_id["s1"].title == "Storm hits the coast hard"  # a1's title left with a1
    assert by_id["s2"].title in {"Rates rise", "Storm hits coast"}
    merged = merge_stories(
        [
            Story("s1", "My own name", ["a1"], title_set_by_user=True),
            Story("s2", "Rates rise", ["b1"]),
        ],
        ["s1", "s2"],
        titles,
    )
    assert merged.title == "My own name"


def test_near_duplicate_joins_its_twins_story_even_a_pinned_one() -> None:
    lib = FakeLibrary([art(r) for r in [*QUAKE, *PHONE]])
    update_stories(lib, ["q1", "q2", "q3", "p1", "p2"])
    stories = lib.stories()
    quake = next(s for s in stories if "q3" in s.article_ids)
    tsunami = split_story(stories, quake.id, ["q3"], title="Tsunami")
    lib.save_stories(stories)
    # The same wire copy republished elsewhere a day later, with a new headline.
    _, _, _, body = QUAKE[2]
    lib.add(art(("q3b", "Pacific on alert after Chile quake", "2010-02-28", body)))
    update_stories(lib, ["q3b"])
    by_id = {s.id: s for s in lib.stories()}
    assert by_id[tsunami.id].article_ids == ["q3", "q3b"]
    assert by_id[tsunami.id].title == "Tsunami"


def test_representative_title_prefers_the_title_most_members_share() -> None:
    assert representative_title([]) == ""
    assert representative_title(["Only one"]) == "Only one"
    assert (
        representative_title(
            [
                "Tsunami warnings across the Pacific",
                "Chile earthquake kills 300",
                "Earthquake in Chile kills hundreds",
            ]
        )
        != "Tsunami warnings across the Pacific"
    )


def test_a_user_title_equal_to_a_headline_is_still_kept() -> None:
    """Naming a story after one of its articles' headlines is a choice too: it must not be
    mistaken for an automatic title and replaced when the membership changes."""
    titles = {q[0]: q[1] for q in QUAKE}
    stories = [Story("s1", QUAKE[0][1], ["q1", "q2", "q3"])]
    rename_story(stories, "s1", QUAKE[2][1])  # "Tsunami warnings after Chile earthquake"
    assert stories[0].title_set_by_user is True
    move_articles(stories, ["q3"], None, titles=titles)  # its article leaves the story
    by_id = {s.id: s for s in stories}
    assert by_id["s1"].title == QUAKE[2][1] and by_id["s1"].article_ids == ["q1", "q2"]


def test_an_automatic_title_follows_members_even_when_no_article_has_it_any_more() -> None:
    """A grouped story whose headline article was deleted still gets a fresh title."""
    titles = {"a1": "Storm hits coast", "a2": "Storm hits the coast hard", "b1": "Rates rise"}
    stories = [Story("s1", "Headline of a deleted article", ["a1", "a2"]), Story("s2", "x", ["b1"])]
    move_articles(stories, ["b1"], "s1", titles=titles)
    assert stories[0].title in set(titles.values())
    assert stories[0].title_set_by_user is False


def test_titles_given_on_split_and_kept_through_merge() -> None:
    titles = {q[0]: q[1] for q in QUAKE}
    stories = [Story("s1", QUAKE[0][1], ["q1", "q2", "q3"])]
    new = split_story(stories, "s1", ["q3"], title="  Pacific   alert ", titles=titles)
    assert new.title == "Pacific alert" and new.title_set_by_user is True
    # Merged into the automatic story, the user's name survives.
    merged = merge_stories(stories, ["s1", new.id], titles)
    assert merged.title == "Pacific alert" and merged.title_set_by_user is True


def test_stories_from_an_older_store_settle_their_title_flag() -> None:
    """Stores written before `title_set_by_user` existed: a title that is no headline can
    only be the user's (kept); a headline is automatic (recomputed). Either way the flag
    is then written down."""
    titles = {q[0]: q[1] for q in QUAKE}
    old_user = Story.from_dict({"id": "s1", "title": "Chile 2010", "article_ids": ["q1", "q2"]})
    old_auto = Story.from_dict({"id": "s2", "title": QUAKE[2][1], "article_ids": ["q3"]})
    assert old_user.title_set_by_user is None and old_auto.title_set_by_user is None
    stories = [old_user, old_auto]
    move_articles(stories, ["q2"], "s2", titles=titles)
    assert old_user.title == "Chile 2010" and old_user.title_set_by_user is True
    assert old_auto.title_set_by_user is False and old_auto.title in {QUAKE[1][1], QUAKE[2][1]}
    again = Story.from_dict(old_user.to_dict())
    assert again.title_set_by_user is True
