"""JSON records beyond the flat shape: containers holding several articles, prefixed keys."""

from __future__ import annotations

from parallax.ingest import ingest_paths, ingest_text
from tests.conftest import DATA_DIR


def test_story_roundup_line_yields_one_article_per_side() -> None:
    (result,) = ingest_paths([str(DATA_DIR / "roundup.jsonl")])
    assert result.status == "ok", result.reason
    left, right = result.articles
    assert (left.title, left.source) == ("Court sides with officers", "CNN (Online News)")
    assert left.url == "https://www.cnn.com/a"  # the article's link, not the story's
    assert left.body == "First paragraph.\n\nSecond paragraph."
    assert left.published == "2021-10-18T16:15:00-07:00"  # inherited from the story
    assert (right.title, right.body) == ("Court protects cops", "Only paragraph.")
    assert left.id != right.id


def test_prefixed_field_names() -> None:
    text = '{"articleTitle": "Prefixed", "articleBody": "Body text.", "storyUrl": "https://e.x/1"}'
    (article,) = ingest_text(text, fmt="json")
    assert (article.title, article.body, article.url) == ("Prefixed", "Body text.", "https://e.x/1")
