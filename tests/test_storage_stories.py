"""Stories are read-modify-written under the store lock: no process loses another's edit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from parallax.model import Article, Story, content_id
from storage import Library

ROOT = Path(__file__).resolve().parent.parent


def _article(n: int, prefix: str = "a") -> Article:
    words = " ".join(f"{prefix}{n}word{i}" for i in range(60))
    return Article(
        id=content_id(f"{prefix} {n}"),
        title=f"{prefix.upper()} {n}",
        body=f"Unrelated report {prefix}{n}. {words}",
        raw="raw",
        published="2014-02-10T09:00:00",
    )


def test_edit_stories_sees_changes_made_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    lib = Library.open(path)
    a, b = _article(1), _article(2)
    lib.add_articles([a, b])
    other = Library.open(path)
    other.save_stories([Story(id="s-other", title="From the other session", article_ids=[a.id])])

    def add_mine(stories: list[Story]) -> list[Story]:
        return [*stories, Story(id="s-mine", title="Mine", article_ids=[b.id])]

    # `lib` still holds the stories as they were when it opened (none): a blind save
    # of "what I read plus mine" would drop the other session's story.
    saved = lib.edit_stories(add_mine)
    assert {s.id for s in saved} == {"s-other", "s-mine"}
    again = Library.open(path)
    assert {s.id for s in again.stories()} == {"s-other", "s-mine"}
    assert again.summary(a.id).story == "s-other" and again.summary(b.id).story == "s-mine"


def test_edit_stories_returning_none_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    lib = Library.open(path)
    lib.add_articles([_article(1)])
    before = lib.journal_path.read_bytes()
    assert lib.edit_stories(lambda stories: None) == []
    assert lib.journal_path.read_bytes() == before


GROUPER = textwrap.dedent(
    """
    import sys
    from parallax.compare.stories import update_stories
    from parallax.model import Article, content_id
    from storage import Library
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    lib = Library.open(path)
    for n in range(count):
        words = " ".join(f"{prefix}{n}word{i}" for i in range(60))
        article = Article(
            id=content_id(f"{prefix} {n}"), title=f"{prefix} {n}",
            body=f"Unrelated report {prefix}{n}. {words}", raw="raw",
            published="2014-02-10T09:00:00",
        )
        lib.add_articles([article])
        update_stories(lib, [article.id])
        print("ack", article.id, flush=True)
    """
)


@pytest.mark.slow
def test_concurrent_story_grouping_loses_no_story(tmp_path: Path) -> None:
    """Four importers grouping at once: every article ends up in a story.

    Each process reads the stories, groups its new article and saves. With a blind
    save, a process that read before another's save overwrote it, dropping that
    article's story; under `edit_stories` the later save starts from the earlier one.
    """
    path = tmp_path / "library.json"
    Library.open(path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GROUPER, str(path), f"p{n}x", "8"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for n in range(4)
    ]
    acked: set[str] = set()
    for proc in procs:
        out, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0
        acked |= {line.split()[1] for line in out.splitlines() if line.startswith("ack ")}
    assert len(acked) == 32
    lib = Library.open(path)
    in_stories = {aid for s in lib.stories() for aid in s.article_ids}
    assert acked <= in_stories, f"articles whose story was lost: {sorted(acked - in_stories)}"
    assert all(lib.summary(aid).story for aid in acked)
