"""Bad, hostile, huge and oddly encoded input: clear results, never an exception."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parallax.ingest import IngestResult, ingest_paths, ingest_text
from parallax.ingest.sanitize import BIDI_CONTROLS, has_unsafe_chars
from parallax.model import Article
from tests.conftest import DATA_DIR

HOSTILE = DATA_DIR / "hostile"
KOREAN = "존 케리 미국 국무장관이 13일 서울을 방문해 박근혜 대통령과 만나 북한 핵 문제를 논의할 예정이라고 관계자들이 밝혔다."
JAPANESE = "ケリー米国務長官は13日、ソウルを訪問し、朴槿恵大統領と会談して北朝鮮の核問題について協議する予定だと関係者が明らかにした。"
FRENCH = "Le secrétaire d'État américain John Kerry est arrivé à Séoul jeudi. « C'est très important », a-t-il déclaré, déjà à 10 € près."


def one(path: Path | str, **kw: object) -> IngestResult:
    results = list(ingest_paths([str(path)], **kw))  # type: ignore[arg-type]
    assert len(results) == 1
    return results[0]


def displayed(article: Article) -> list[str]:
    fields = [
        article.title,
        article.body,
        article.source,
        article.agency,
        article.author,
        article.published,
        article.published_raw,
        article.url,
        article.language,
    ]
    fields += [r.text for r in article.removed]
    return [f for f in fields if f]


# -- bad input ----------------------------------------------------------------------------


def test_missing_path_fails_with_reason() -> None:
    result = one("/nonexistent/dir/article.txt")
    assert result.status == "failed"
    assert result.reason and "/nonexistent/dir/article.txt" in result.reason
    assert "no such file" in result.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_fails(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("Title\n\nBody text.", encoding="utf-8")
    target.chmod(0)
    result = one(target)
    assert result.status == "failed" and "cannot read" in (result.reason or "")


def test_read_error_fails_with_reason_and_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as an unreadable file, but also when the tests run as root."""
    target = tmp_path / "secret.txt"
    target.write_text("Title\n\nBody text.", encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", deny)
    results = list(ingest_paths([str(target), str(DATA_DIR / "article.md")]))
    assert [r.status for r in results] == ["failed", "ok"]
    assert "secret.txt" in (results[0].reason or "")
    assert "cannot read: Permission denied" in (results[0].reason or "")


def test_unlistable_directory_is_reported_not_silently_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "z.md").write_text("# Title\n\nBody.", encoding="utf-8")
    real_iterdir = Path.iterdir

    def deny(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", deny)
    results = list(ingest_paths([str(tmp_path)]))
    assert [(Path(r.path).name, r.status) for r in results] == [
        ("locked", "failed"),
        ("z.md", "ok"),
    ]
    assert "cannot list directory: Permission denied" in (results[0].reason or "")


def test_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    for name, data in (
        ("empty.txt", b""),
        ("blank.md", b"  \n\n\t\n"),
        ("bom.txt", b"\xef\xbb\xbf\n"),
    ):
        (tmp_path / name).write_bytes(data)
        result = one(tmp_path / name)
        assert result.status == "skipped", name
        assert result.reason and name in result.reason and "empty" in result.reason


def test_binary_files_fail_clearly(tmp_path: Path) -> None:
    png = HOSTILE / "image.png"
    result = one(png)  # named explicitly, so it is tried
    assert result.status == "failed"
    assert "image.png" in (result.reason or "") and "PNG image" in (result.reason or "")
    result = one(HOSTILE / "nul-heavy.txt")
    assert result.status == "failed" and "not a text file" in (result.reason or "")


def test_binary_in_directory_is_skipped_not_failed() -> None:
    results = {Path(r.path).name: r for r in ingest_paths([str(HOSTILE)])}
    assert results["image.png"].status == "skipped"
    assert results["escapes.txt"].status == "ok"


def test_batch_continues_after_failures() -> None:
    paths = [str(HOSTILE / "broken.json"), "/nope.txt", str(DATA_DIR / "article.md")]
    statuses = [r.status for r in ingest_paths(paths)]
    assert statuses == ["failed", "failed", "ok"]


def test_malformed_json_names_file_and_position() -> None:
    result = one(HOSTILE / "broken.json")
    assert result.status == "failed"
    assert "broken.json" in (result.reason or "") and "malformed JSON" in (result.reason or "")
    assert "line 1" in (result.reason or "")


def test_jsonl_mixed_good_and_bad_lines() -> None:
    result = one(HOSTILE / "mixed.jsonl")
    assert result.status == "ok"
    assert [a.title for a in result.articles] == ["Good one", "Good two"]
    failed = dict(result.failed_records)
    assert set(failed) == {"line 2", "line 3"}
    assert "malformed" in failed["line 2"] and "not a JSON object" in failed["line 3"]
    assert not any(has_unsafe_chars(f) for a in result.articles for f in displayed(a))


def test_all_bad_jsonl_fails(tmp_path: Path) -> None:
    target = tmp_path / "bad.jsonl"
    target.write_text("{oops\n[1]\n", encoding="utf-8")
    result = one(target)
    assert result.status == "failed" and "bad.jsonl" in (result.reason or "")


def test_broken_and_fake_feeds_fail() -> None:
    for name in ("broken.rss", "notafeed.rss"):
        result = one(HOSTILE / name)
        assert result.status == "failed", name
        assert name in (result.reason or "")
        assert "feed" in (result.reason or "")


def test_truncated_html_still_yields_text() -> None:
    result = one(HOSTILE / "truncated.html")
    assert result.status == "ok"
    article = result.articles[0]
    assert article.title == "Truncated"  # the ESC sequence inside <title> is gone entirely
    assert article.body.startswith("This page was cut off in the middle")


def test_ingest_text_malformed_json_raises_user_error() -> None:
    from parallax.model import ParallaxError

    with pytest.raises(ParallaxError, match="malformed JSON"):
        ingest_text("{not json", name="x.json")


# -- hostile corpus -----------------------------------------------------------------------


def test_hostile_corpus_fields_are_sanitised() -> None:
    results = list(ingest_paths([str(HOSTILE)]))
    articles = [a for r in results for a in r.articles]
    assert len(articles) >= 5
    for article in articles:
        for value in displayed(article):
            assert not has_unsafe_chars(value), (article.path, value)
            assert not any(ch in BIDI_CONTROLS for ch in value)
            assert "\x1b" not in value


def test_escape_sequences_removed_but_raw_kept() -> None:
    article = one(HOSTILE / "escapes.txt").articles[0]
    assert article.title == "Breaking news red today"
    assert "PWNED" not in article.body and "52;" not in article.body
    assert "evil.example" not in article.body
    assert "\x1b]52;c;" in article.raw  # provenance: raw is the file exactly
    assert article.raw == (HOSTILE / "escapes.txt").read_text(encoding="utf-8")


def test_markup_is_kept_literally_escaped_for_markdown() -> None:
    article = one(HOSTILE / "escapes.txt").articles[0]
    # Rich/Textual markup stays as text (escaped for Markdown), never interpreted here.
    assert "\\[@click=app.quit\\]q\\[/\\]" in article.body
    assert "\\[red\\]x\\[/\\]" in article.body
    md = one(HOSTILE / "frontmatter.md").articles[0]
    assert md.title == "Evil [b]bold[/b]"
    assert "[@click=app.quit]quit[/]" in md.body
    assert md.author == "Roe"


def test_deeply_nested_html_is_flattened_with_warning() -> None:
    result = one(HOSTILE / "deep.html")
    assert result.status == "ok"
    assert "Deep text inside many divs" in result.articles[0].body
    assert any("nested" in w for w in result.warnings)


def test_deeply_nested_json_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "deep.json"
    target.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = one(target)
    assert result.status == "failed"
    assert "deep.json" in (result.reason or "")


# -- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),
        (KOREAN, "euc-kr"),
        (JAPANESE, "shift_jis"),
        (KOREAN, "utf-16"),
        (FRENCH, "utf-16-be"),
        (FRENCH, "utf-8-sig"),
    ],
)
def test_encodings_decode_correctly(tmp_path: Path, text: str, encoding: str) -> None:
    target = tmp_path / "article.txt"
    target.write_bytes(f"A headline\n\n{text}\n".encode(encoding))
    result = one(target)
    assert result.status == "ok", result.reason
    article = result.articles[0]
    assert article.body == text.replace("-", "-")
    assert article.raw.startswith("A headline")  # no BOM in raw


def test_utf16_without_bom(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(f"A headline\n\n{FRENCH}\n".encode("utf-16-le"))
    assert one(target).articles[0].body == FRENCH


def test_mixed_encoding_replaces_bad_bytes_with_warning() -> None:
    result = one(HOSTILE / "mixed-encoding.txt")
    assert result.status == "ok"
    article = result.articles[0]
    assert "Café" in article.title
    assert "\ufffd" in article.body
    assert any("undecodable" in w for w in result.warnings)


# -- limits -------------------------------------------------------------------------------


def test_oversized_file_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "huge.txt"
    with target.open("wb") as fh:  # sparse: a 30 MB file that costs nothing to create
        fh.truncate(30 * 1024 * 1024)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        opened.append(self)
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    result = one(target)
    assert result.status == "failed"
    assert "huge.txt" in (result.reason or "") and "limit" in (result.reason or "")
    assert target not in opened


def test_size_limit_from_env_and_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    target.write_text("Headline\n\n" + "Words in a sentence here. " * 100, encoding="utf-8")
    assert one(target, max_bytes=100).status == "failed"
    monkeypatch.setenv("PARALLAX_MAX_BYTES", "100")
    assert one(target).status == "failed"
    assert one(target, max_bytes=10_000).status == "ok"


def test_pathological_long_line(tmp_path: Path) -> None:
    target = tmp_path / "long.txt"
    target.write_text("Title line\n\n" + "word " * 120_000 + "\n", encoding="utf-8")
    result = one(target)
    assert result.status == "ok"
    assert result.articles[0].title == "Title line"
    assert len(result.articles[0].body) > 500_000


def test_huge_json_array_is_capped_with_warning(tmp_path: Path) -> None:
    from parallax.ingest.limits import MAX_RECORDS

    target = tmp_path / "many.json"
    target.write_text(
        json.dumps([{"title": f"T{i}", "body": "x"} for i in range(MAX_RECORDS + 50)]),
        encoding="utf-8",
    )
    result = one(target)
    assert result.status == "ok"
    assert len(result.articles) == MAX_RECORDS
    assert any(str(MAX_RECORDS) in w for w in result.warnings)


def test_feed_with_thousands_of_items(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Item {i}</title><description>Body {i}</description></item>"
        for i in range(3000)
    )
    target = tmp_path / "big.rss"
    target.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>',
        encoding="utf-8",
    )
    result = one(target)
    assert result.status == "ok"
    assert len(result.articles) == 3000
    assert len({a.id for a in result.articles}) == 3000


def test_hostile_html_page_is_plain_safe_text() -> None:
    result = one(HOSTILE / "hostile.html")
    assert result.status == "ok"
    article = result.articles[0]
    assert article.title == "Hostile page evil"
    assert article.author == "Mallory Red"
    assert article.published is None  # no date guessed from the "Copyright 2014" footer
    assert "alert(1)" not in article.body and "color: red" not in article.body
    assert "PWNED" not in article.body and "evil.example" not in article.body
    assert "\\[@click=app.quit\\]quit\\[/\\]" in article.body
    assert "\x1b" in article.raw


def test_hostile_feed_items_are_sanitised() -> None:
    result = one(HOSTILE / "hostile.rss")
    assert result.status == "ok"
    first, second = result.articles
    assert first.title == "Item one [@click=app.quit]q[/]"  # a title is plain text, kept as is
    assert first.source == "Feed Title"
    assert first.agency == "Reuters"
    assert first.tags == ["Politics"]
    assert first.body == "Body one hidden"
    assert second.body == "Second body \\[link=http://evil\\]click\\[/link\\]"


def test_hostile_json_records_leave_no_escape_payloads() -> None:
    result = one(HOSTILE / "hostile.jsonl")
    assert result.status == "ok"
    first, second = result.articles
    assert first.title == "JSON title"
    assert (first.source, first.author, first.tags) == ("Outlet", "Jane Doe", ["tag"])
    # Sanitised before Markdown escaping, so no "]52;c;..." payload is left behind.
    assert first.body.startswith("First sentence. \\[red\\]Second\\[/\\] sentence.")
    assert "52;" not in first.body and "[31m" not in second.body
    assert second.published == "2014-02-13T10:28:00+00:00"  # {"$date": milliseconds}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_is_cut_before_parsing_when_over_the_item_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import parallax.ingest.feed as feed

    monkeypatch.setattr(feed, "MAX_RECORDS", 3)
    if kind == "rss":
        items = "".join(
            f"<item><title>I{i}</title><description>B{i}</description></item>" for i in range(10)
        )
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    else:
        items = "".join(
            f"<entry><title>I{i}</title><summary>B{i}</summary></entry>" for i in range(10)
        )
        doc = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{items}</feed>'
    target = tmp_path / f"f.{kind}"
    target.write_text(doc, encoding="utf-8")
    result = one(target)
    assert [a.title for a in result.articles] == ["I0", "I1", "I2"]
    assert any("more than 3 items" in w for w in result.warnings)
    assert not any("malformed" in w for w in result.warnings)  # the cut document is closed
