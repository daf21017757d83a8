"""A damaged content file spoils only its own article, with an error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.model import Article, content_id
from storage import ContentError, Library, StoreError


def _article(n: int) -> Article:
    return Article(
        id=content_id(f"content {n}"),
        title=f"Content {n}",
        body=f"Body {n}. " + " ".join(f"c{n}w{i}" for i in range(50)),
        raw="raw",
    )


@pytest.mark.parametrize(
    "damage",
    [b'{"body": "cut sho', b"\xff\xfe\x00garbage", b"[1, 2]", b'{"raw": "no body"}', None],
    ids=["torn", "binary", "wrong-shape", "no-body", "missing"],
)
def test_damaged_content_is_named_and_the_rest_still_readable(
    tmp_path: Path, damage: bytes | None
) -> None:
    lib = Library.open(tmp_path / "library.json")
    articles = [_article(i) for i in range(3)]
    lib.add_articles(articles)
    bad = articles[1]
    content = lib.content_dir / bad.id[:2] / f"{bad.id}.json"
    if damage is None:
        content.unlink()
    else:
        content.write_bytes(damage)
    lib = Library.open(tmp_path / "library.json")
    with pytest.raises(ContentError) as err:
        lib.get(bad.id)
    assert str(content) in str(err.value) and "doctor" in str(err.value)
    assert err.value.article_id == bad.id and isinstance(err.value, StoreError)
    with pytest.raises(ContentError):
        list(lib.iter_articles())
    damaged: list[ContentError] = []
    kept = [a.id for a in lib.iter_articles(on_damaged=damaged.append)]
    assert kept == [articles[0].id, articles[2].id]
    assert [e.article_id for e in damaged] == [bad.id]
    # The list (light records) and user state are unaffected.
    assert len(lib.list()) == 3
    lib.update_tags(bad.id, add=["still-taggable"])
    assert Library.open(lib.path).summary(bad.id).tags == ["still-taggable"]
