"""Stories against the real store: grouping on import is saved, user choices survive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.cli import main
from parallax.compare.stories import split_story, update_stories
from tests.test_stories import QUAKE, art

storage = pytest.importorskip("storage")
Library = getattr(storage, "Library", None)
pytestmark = pytest.mark.skipif(Library is None, reason="storage.Library not available")


def test_update_stories_saves_groups_and_keeps_a_split(store_path: Path) -> None:
    lib = Library.open(store_path, create=True)  # type: ignore[union-attr]
    try:
        lib.add_articles([art(r) for r in QUAKE[:2]])
        update_stories(lib, ["q1", "q2"])
        (story,) = lib.stories()
        assert sorted(story.article_ids) == ["q1", "q2"]
        assert lib.get("q1").story == story.id
        stories = lib.stories()
        new = split_story(stories, story.id, ["q2"], title="Aftermath")
        lib.save_stories(stories)
        lib.add_articles([art(QUAKE[2])])
        update_stories(lib, ["q3"])
        by_id = {s.id: s for s in lib.stories()}
        assert by_id[new.id].article_ids[0] == "q2" and by_id[new.id].pinned
        assert "q2" not in by_id[story.id].article_ids
        assert lib.get("q3").story in by_id
    finally:
        lib.close()


def test_stories_cli_on_a_real_store(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = Library.open(store_path, create=True)  # type: ignore[union-attr]
    try:
        lib.add_articles([art(r) for r in QUAKE])
    finally:
        lib.close()
    assert main(["story", "assign"]) == 0
    capsys.readouterr()
    assert main(["stories", "--json"]) == 0
    stories = json.loads(capsys.readouterr().out)
    assert [sorted(s["articles"]) for s in stories] == [["q1", "q2", "q3"]]
    assert main(["compare", "q1", "q2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["a"]["id"] == "q1"


def test_renamed_title_is_stored_as_the_users_and_survives_a_move(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`story rename` to an article's own headline, then moving that article out: the
    store remembers the title is the user's, so it stays."""
    lib = Library.open(store_path, create=True)  # type: ignore[union-attr]
    try:
        lib.add_articles([art(r) for r in QUAKE])
    finally:
        lib.close()
    assert main(["story", "assign"]) == 0
    capsys.readouterr()
    assert main(["stories", "--json"]) == 0
    (story,) = json.loads(capsys.readouterr().out)
    assert main(["story", "rename", story["id"], QUAKE[2][1]]) == 0
    assert main(["story", "move", "q3", "--new"]) == 0
    capsys.readouterr()
    lib = Library.open(store_path)  # type: ignore[union-attr]
    try:
        kept = lib.story(story["id"])
    finally:
        lib.close()
    assert kept.title == QUAKE[2][1] and kept.title_set_by_user is True
    assert "q3" not in kept.article_ids
