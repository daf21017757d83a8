"""Ingest of each supported format and of the two bundled seed captures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from parallax.ingest import IngestResult, ingest_paths, ingest_text
from parallax.model import Article
from tests.conftest import AFP_SEED, DATA_DIR, YONHAP_SEED


def one(path: Path) -> IngestResult:
    results = list(ingest_paths([str(path)]))
    assert len(results) == 1
    return results[0]


@pytest.fixture(scope="module")
def afp() -> Article:
    result = one(AFP_SEED)
    assert result.status == "ok", result.reason
    return result.articles[0]


@pytest.fixture(scope="module")
def yonhap() -> Article:
    result = one(YONHAP_SEED)
    assert result.status == "ok", result.reason
    return result.articles[0]


# -- seeds --------------------------------------------------------------------------------


def test_afp_seed_metadata(afp: Article) -> None:
    assert afp.title == "Kerry due in Seoul after rare North-South Korea talks"
    assert afp.agency == "AFP"
    assert afp.author is None  # the byline is the agency, not a person
    assert afp.published == "2014-02-13T10:28:00"
    assert afp.published_raw is not None and "02/13/2014 10:28" in afp.published_raw
    assert afp.source == "xinmsn"  # named by the page's own "... on xinmsn" promo line
    assert afp.format == "capture"
    assert afp.language == "en"
    assert afp.raw == AFP_SEED.read_text(encoding="utf-8")


def test_afp_seed_body(afp: Article) -> None:
    body = afp.body
    assert body.startswith("US Secretary of State John Kerry headed to Seoul")
    assert body.endswith('after the South-US army drill is over," he added.')
    assert "Kerry due in Seoul after rare North-South Korea talks" not in body
    assert "\n## Kerry to seek China pressure on North Korea\n" in body
    for junk in ("xinmsn", "938LIVE", "938 Live", "Capital 958", "facebook", "Updated:"):
        assert junk not in body
    reasons = {r.reason for r in afp.removed}
    assert "repeated-headline" in reasons
    assert any("938LIVE" in r.text for r in afp.removed)


def test_afp_seed_caption_kept_and_marked(afp: Article) -> None:
    assert len(afp.captions) == 1
    span = afp.captions[0]
    caption = afp.body[span.start : span.end]
    assert caption.startswith(
        "US Secretary of State John Kerry talks to reporters at Andrews Air Force Base"
    )
    assert caption.endswith("by Evan Vucci")


def test_yonhap_seed(yonhap: Article) -> None:
    assert yonhap.source == "The Korea Herald"
    assert yonhap.agency == "Yonhap"
    assert yonhap.author == "신용배"
    assert yonhap.title == "In Seoul, Kerry to seek assurance of no gap on N. Kore policy"
    assert yonhap.published == "2014-02-13T09:09:00"
    assert yonhap.published_raw is not None and "Feb. 13, 2014 - 09:09" in yonhap.published_raw
    assert yonhap.raw == YONHAP_SEED.read_text(encoding="utf-8")
    body = yonhap.body
    assert body.startswith("U.S. Secretary of State John Kerry will seek to make sure")
    assert body.endswith("before returning to Washington early next week.")
    for junk in ("Link copied", "소아쌤", "(Yonhap)", "Published", "The Korea Herald"):
        assert junk not in body
    credit = [r for r in yonhap.removed if r.text == "(Yonhap)"]
    assert credit and yonhap.raw[credit[0].offset :].startswith("(Yonhap)")


def test_removed_offsets_point_into_raw(afp: Article, yonhap: Article) -> None:
    for article in (afp, yonhap):
        assert article.removed
        for item in article.removed:
            assert article.raw[item.offset : item.offset + len(item.text)] == item.text


def test_reimport_is_idempotent(afp: Article) -> None:
    again = ingest_text(AFP_SEED.read_text(encoding="utf-8"), name=AFP_SEED.name)
    assert again[0].id == afp.id
    assert again[0].body == afp.body


def test_directory_recurses_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(
        YONHAP_SEED.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / ".hidden.txt").write_text(
        "Secret title\n\nSecret body text here.", encoding="utf-8"
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("nope", encoding="utf-8")
    results = list(ingest_paths([str(tmp_path)]))
    assert [Path(r.path).name for r in results] == ["a.txt"]
    assert results[0].articles[0].agency == "Yonhap"


def test_source_comes_from_the_text_when_there_is_no_file_name() -> None:
    (result,) = ingest_paths(["-"], stdin=io.BytesIO(AFP_SEED.read_bytes()))
    afp = result.articles[0]
    assert afp.source == "xinmsn"
    text = (
        "Title here\n\nSome long prose sentence that goes on and on for the test here.\n\n"
        "Follow us on Facebook\n\nMore from the Daily Planet\n"
    )
    assert ingest_text(text)[0].source == "The Daily Planet"  # not "Facebook"


def test_stdin_dash() -> None:
    data = YONHAP_SEED.read_bytes()
    results = list(ingest_paths(["-"], stdin=io.BytesIO(data)))
    assert results[0].path == "-"
    assert results[0].status == "ok"
    assert results[0].articles[0].source == "The Korea Herald"


# -- other captures -----------------------------------------------------------------------


def test_generic_capture_with_nav_dateline_and_related_footer() -> None:
    article = one(DATA_DIR / "reuters-capture.txt").articles[0]
    assert article.title == "Oil prices rise as supply fears grow"
    assert article.author == "Jane Smith"
    assert article.agency == "Reuters"
    assert article.published == "2015-03-03T16:05:00"
    assert article.body.startswith("Oil prices rose on Tuesday")
    for junk in ("Home | World", "Share this", "Tweet", "Related Coverage", "OPEC meets"):
        assert junk not in article.body
    caption = article.body[article.captions[0].start : article.captions[0].end]
    assert caption.endswith("REUTERS/Michael Kooren")


def test_capture_escapes_accidental_markdown() -> None:
    text = "A headline here\n\n# not a heading but a hashtag line in the story text, really.\n\n1. This line starts with a number and should not become a list item.\n\nStars *like this* and [brackets] stay literal in the rendered article text."
    article = ingest_text(text, name="x.txt")[0]
    assert "\\# not a heading" in article.body
    assert "1\\. This line" in article.body
    assert "\\*like this\\*" in article.body
    assert "\\[brackets\\]" in article.body


# -- markdown, html, json, feeds ----------------------------------------------------------


def test_markdown_front_matter() -> None:
    article = one(DATA_DIR / "article.md").articles[0]
    assert article.title == "Kerry lands in Seoul"
    assert article.source == "The Example Times"  # a {name: ...} mapping
    assert article.author == "Jane Doe"
    assert article.published == "2014-02-13T10:28:00"
    assert article.url == "https://www.example.com/kerry"
    assert article.format == "markdown"
    assert article.body.startswith("US Secretary of State John Kerry *arrived*")
    assert "## Talks" in article.body
    assert "title:" not in article.body
    assert article.tags == ["diplomacy", "North Korea"]  # "#" stripped, duplicates merged


def test_html_main_text_and_metadata() -> None:
    article = one(DATA_DIR / "article.html").articles[0]
    assert article.title == "Kerry in Seoul"
    assert article.author == "Jane Roe"
    assert article.source == "Example News"
    assert article.published == "2014-02-13T10:28:00+09:00"
    assert article.body.startswith("US Secretary of State John Kerry arrived in Seoul")
    assert "Home" not in article.body and "Copyright" not in article.body
    assert article.format == "html"


def test_json_array_with_basil_paragraphs() -> None:
    result = one(DATA_DIR / "basil.json")
    first, second = result.articles
    assert first.title == "Kerry heads to Seoul"
    assert first.source == "Fox News"
    assert first.agency == "AP" and first.author is None
    assert first.published == "2014-02-13"
    assert first.body == (
        "Secretary of State John Kerry headed to Seoul on Thursday. He will meet President "
        "Park Geun-hye.\n\nThe trip comes a day after rare talks between the two Koreas."
    )
    assert second.title == "Kerry arrives in South Korea"
    assert second.source == "The Daily Example"
    assert second.author == "Jane Doe"
    assert second.published == "2014-02-13T11:00:00+09:00"
    assert second.body == "Kerry arrived in Seoul.\n\nHe met officials."
    assert first.raw.startswith("{") and '"uuid": "a1"' in first.raw
    assert first.id != second.id


def test_json_wrapper_object() -> None:
    titles = [a.title for a in one(DATA_DIR / "wrapped.json").articles]
    assert titles == ["A", "B"]


def test_jsonl_bad_line_fails_by_line_number_and_keeps_good_records() -> None:
    result = one(DATA_DIR / "articles.jsonl")
    assert result.status == "ok"
    assert [a.title for a in result.articles] == ["One", "Three"]
    [(record, reason)] = result.failed_records
    assert record == "line 2" and "malformed JSON" in reason
    one_, three = result.articles
    assert one_.agency == "Reuters" and one_.source == "Daily Planet"
    assert one_.body == "First sentence. Second sentence.\n\nPara two."
    assert three.body == "Hello world\n\nSecond"  # HTML in a JSON body becomes text
    assert three.source == "Pub"
    assert three.published == "2014-02-13T10:28:00+00:00"  # a Unix timestamp


def test_rss_feed_one_article_per_item() -> None:
    result = one(DATA_DIR / "feed.rss")
    first, second = result.articles
    assert (first.title, second.title) == ("Item one", "Item two")
    assert first.source == "Example Feed"
    assert first.agency == "AP"
    assert first.published == "2014-02-13T10:28:00+09:00"
    assert first.body == "Body one"
    assert first.url == "https://ex.com/1"
    assert first.raw.startswith("<item>") and "Item one" in first.raw
    assert first.format == "feed"
    assert first.tags == ["Politics"] and second.tags == []


def test_atom_feed() -> None:
    article = one(DATA_DIR / "atom.xml").articles[0]
    assert article.title == "Atom entry one"
    assert article.author == "John Roe"
    assert article.body == "First paragraph.\n\nSecond paragraph."
    assert article.published == "2014-02-13T10:28:00+00:00"


def test_format_sniffed_without_extension(tmp_path: Path) -> None:
    for src, fmt in (("feed.rss", "feed"), ("basil.json", "json"), ("article.html", "html")):
        target = tmp_path / src.split(".")[0]
        target.write_bytes((DATA_DIR / src).read_bytes())
        result = one(target)
        assert result.status == "ok", result.reason
        assert result.articles[0].format == fmt


def test_ingest_text_explicit_format() -> None:
    articles = ingest_text('{"title": "T", "body": "B text."}', fmt="json")
    assert articles[0].title == "T" and articles[0].body == "B text."
    assert ingest_text("   \n", fmt="markdown") == []


def test_wire_capture_generalises_beyond_the_seeds() -> None:
    """A differently laid-out page: menu bar with abbreviations, font widget, wire dateline,
    credits, copyright notice and a related-stories footer."""
    result = one(DATA_DIR / "ap-capture.txt")
    article = result.articles[0]
    assert article.title == "Kerry arrives in Seoul for talks on North Korea"
    assert article.agency == "AP"  # from the "SEOUL, South Korea (AP) —" dateline
    assert article.author == "Matthew Lee"  # wire-style upper-case byline normalised
    assert article.published == "2014-02-13T10:28:00+00:00"
    assert article.body.startswith("Secretary of State John Kerry arrived in Seoul")
    assert article.body.endswith("at the border village of Panmunjom.")
    for junk in ("Top Stories", "A A", "Advertisement", "Reporting by", "Copyright", "Related"):
        assert junk not in article.body
    reasons = {r.reason for r in article.removed}
    assert {"navigation", "dateline", "credits", "copyright", "promo"} <= reasons
    captions = [article.body[c.start : c.end] for c in article.captions]
    assert captions == [
        "Secretary of State John Kerry speaks to reporters in Seoul. (AP Photo/Ahn Young-joon)"
    ]


def test_hard_wrapped_capture_joins_lines_into_paragraphs() -> None:
    text = (
        "Talks end without a deal\n\n"
        "The two Koreas ended their highest-level talks in years\n"
        "without an agreement, officials in Seoul said on\n"
        "Thursday, but both sides agreed to keep talking.\n\n"
        "A second paragraph follows here, also wrapped at a\n"
        "fixed width by the program that saved the page.\n\n"
        "Related stories\nTalks resume\nFamilies meet\n"
    )
    article = ingest_text(text, name="wrapped.txt")[0]
    promo = [r for r in article.removed if r.reason == "promo"]
    assert [r.text for r in promo] == ["Related stories\nTalks resume\nFamilies meet"]
    assert text[promo[0].offset :].startswith(promo[0].text)
    assert article.title == "Talks end without a deal"
    assert article.body.split("\n\n") == [
        "The two Koreas ended their highest-level talks in years without an agreement, "
        "officials in Seoul said on Thursday, but both sides agreed to keep talking.",
        "A second paragraph follows here, also wrapped at a fixed width by the program "
        "that saved the page.",
    ]


def test_source_tags_are_sanitised_deduplicated_and_capped() -> None:
    record = {
        "title": "Tagged",
        "body": "Some text.",
        "keywords": ["\x1b]0;pwned\x07Politics", "+politics", "-Asia", "\u202eAsia"]
        + [f"t{i}" for i in range(500)],
    }
    import json

    article = ingest_text(json.dumps(record), name="t.json")[0]
    assert article.tags[:2] == ["Politics", "Asia"]
    assert len(article.tags) == 30
    assert ingest_text('{"title": "x", "body": "y", "tags": "a, b ,a"}', fmt="json")[0].tags == [
        "a",
        "b",
    ]


def test_html_saved_with_txt_extension_is_read_as_html(tmp_path: Path) -> None:
    target = tmp_path / "page.txt"
    target.write_bytes((DATA_DIR / "article.html").read_bytes())
    article = one(target).articles[0]
    assert article.format == "html"
    assert article.title == "Kerry in Seoul" and "<p>" not in article.body


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Updated: 02/13/2014 10:28", "2014-02-13T10:28:00"),
        ("Published : Feb. 13, 2014 - 09:09", "2014-02-13T09:09:00"),
        ("Posted: 13/02/2014 10:28", "2014-02-13T10:28:00"),
        ("Thu 13 Feb 2014 10.28 GMT", "2014-02-13T10:28:00+00:00"),
        ("February 13, 2014 at 10:28 p.m. EST", "2014-02-13T22:28:00-05:00"),
        ("Thursday, February 13, 2014, 9:09 AM KST", "2014-02-13T09:09:00+09:00"),
        ("Updated 10:28 AM ET, Thu February 13, 2014", "2014-02-13T10:28:00"),
        ("2014년 2월 13일 09:09", "2014-02-13T09:09:00"),
        ("2014-02-13T10:28:00+09:00", "2014-02-13T10:28:00+09:00"),
        ("13 February 2014", "2014-02-13"),
    ],
)
def test_common_date_lines(line: str, iso: str) -> None:
    from parallax.ingest.metadata import date_line

    found = date_line(line)
    assert found is not None and found[0] == iso and found[1] == line


def test_prose_mentioning_a_date_is_not_a_date_line() -> None:
    from parallax.ingest.metadata import date_line

    assert date_line("The talks were held on February 12, 2014 in the border village.") is None


def test_removed_offsets_point_into_raw_for_every_format() -> None:
    for name in ("article.md", "ap-capture.txt", "reuters-capture.txt"):
        for article in one(DATA_DIR / name).articles:
            assert article.removed, name
            for item in article.removed:
                if item.offset >= 0:
                    assert article.raw[item.offset :].startswith(item.text), (name, item)
    text = "\n\n#   Spaced   title\n\nBody text of the note."
    md = ingest_text(text, name="x.md")[0]
    assert md.title == "Spaced title"
    assert [text[r.offset :].startswith(r.text) for r in md.removed] == [True]


def test_korean_wire_capture_in_euc_kr() -> None:
    """Korean conventions: outlet line naming the wire, "입력" date label, the
    "(서울=연합뉴스) 신용배 기자 =" dateline, a "사진:" caption and a "(끝)" end mark."""
    result = one(DATA_DIR / "yonhap-ko-euckr.txt")
    assert result.status == "ok"
    assert any("decoded as" in w for w in result.warnings)  # legacy encoding was detected
    article = result.articles[0]
    assert article.title == "케리 美국무 서울 도착…북핵 공조 논의"
    assert (article.source, article.agency, article.author) == ("연합뉴스", "Yonhap", "신용배")
    assert article.published == "2014-02-13T09:09:00"
    assert article.language == "ko"
    assert article.body.startswith("존 케리 미국 국무장관이 13일 서울을 방문해")
    assert "연합뉴스) 신용배" not in article.body and "(끝)" not in article.body
    captions = [article.body[c.start : c.end] for c in article.captions]
    assert captions == ["사진: 케리 장관이 13일 서울에 도착하고 있다. (연합뉴스 자료사진)"]
    assert article.raw == (DATA_DIR / "yonhap-ko-euckr.txt").read_bytes().decode("euc-kr")


def test_seed_outlets_and_titles_come_from_page_structure(monkeypatch: pytest.MonkeyPatch) -> None:
    """No table of outlet names and no file name is needed: the outlet line at the top
    of the page ("The Korea Herald") and the site a page's promo names ("... on xinmsn")
    are found from where they sit, so any outlet laid out the same way works."""
    from parallax.ingest import metadata

    monkeypatch.setattr(metadata, "KNOWN_OUTLETS", {})
    for seed, source, title in (
        (AFP_SEED, "xinmsn", "Kerry due in Seoul after rare North-South Korea talks"),
        (
            YONHAP_SEED,
            "The Korea Herald",
            "In Seoul, Kerry to seek assurance of no gap on N. Kore policy",
        ),
    ):
        (article,) = ingest_text(seed.read_text(encoding="utf-8"), fmt="capture")
        assert (article.source, article.title) == (source, title)
    renamed = YONHAP_SEED.read_text(encoding="utf-8").replace(
        "The Korea Herald", "The Busan Tribune"
    )
    (article,) = ingest_text(renamed, fmt="capture")
    assert article.source == "The Busan Tribune"
    assert "The Busan Tribune" not in article.body


def test_seed_byline_and_date_lines_are_removed_and_kept(afp: Article, yonhap: Article) -> None:
    removed = {(r.reason, r.text) for r in afp.removed + yonhap.removed}
    assert ("dateline", "Updated: 02/13/2014 10:28 | By Agence France-Presse") in removed
    assert ("byline", "By 신용배") in removed
    assert ("dateline", "Published : Feb. 13, 2014 - 09:09") in removed
    for article in (afp, yonhap):
        assert not any(
            line.startswith(("By ", "Updated", "Published")) for line in article.body.splitlines()
        )


def test_ids_ignore_line_endings_and_trailing_whitespace(tmp_path: Path) -> None:
    text = YONHAP_SEED.read_text(encoding="utf-8").replace(" \n", "\n").rstrip("\n") + "\n"
    variants = {
        "lf.txt": text.encode(),
        "crlf.txt": text.replace("\n", "\r\n").encode(),
        "cr.txt": text.replace("\n", "\r").encode(),
        "spaces.txt": text.replace("\n", "  \t\n").encode() + b"\n\n   \n",
        "bom.txt": b"\xef\xbb\xbf" + text.encode(),
        "utf16.txt": text.replace("\n", "\r\n").encode("utf-16"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    results = list(ingest_paths([str(tmp_path / n) for n in variants]))
    ids = {r.path: r.articles[0].id for r in results}
    assert len(set(ids.values())) == 1, ids
    # ... while raw keeps the file's own line endings (nothing is ever lost).
    crlf = next(r for r in results if r.path.endswith("crlf.txt"))
    assert "\r\n" in crlf.articles[0].raw
    # A real change is a new article.
    changed = text.replace("officials said Wednesday", "officials said Tuesday")
    assert ingest_text(changed, name="x.txt")[0].id not in ids.values()


def test_capture_with_section_breadcrumb_and_name_in_city_byline() -> None:
    [result] = list(ingest_paths([str(DATA_DIR / "guardian-capture.txt")]))
    article = result.articles[0]
    assert article.title == "Kerry arrives in Seoul as the two Koreas agree to keep talking"
    assert article.source == "The Guardian"
    assert article.author == "Justin McCurry"
    assert article.published == "2014-02-13T04:28:00-05:00"
    assert article.body.startswith("John Kerry arrived in Seoul on Thursday")
    assert article.body.endswith("travelling with Kerry to the region.")
    for junk in ("Share", "Topics", "Asia Pacific", "World", "McCurry in Seoul"):
        assert junk not in article.body
    removed = [(r.reason, r.text) for r in article.removed]
    assert removed[:4] == [
        ("source-line", "The Guardian"),
        ("stray-word", "World"),
        ("section-label", "North Korea"),
        ("title", "Kerry arrives in Seoul as the two Koreas agree to keep talking"),
    ]
    assert ("byline", "Justin McCurry in Seoul") in removed
    [caption] = [article.body[c.start : c.end] for c in article.captions]
    assert caption.endswith("Photograph: Jung Yeon-je/AFP/Getty Images")


def test_capture_where_the_outlet_credits_itself_like_a_wire() -> None:
    [result] = list(ingest_paths([str(DATA_DIR / "cnn-capture.txt")]))
    article = result.articles[0]
    assert (article.source, article.author, article.agency) == ("CNN", "Elise Labott", None)
    assert article.published == "2014-02-13T10:28:00"
    assert article.body.startswith("Secretary of State John Kerry arrived in Seoul")
    assert article.body.endswith("the official said.")
    for junk in ("(CNN)", "contributed to this report", "Paid Content", "More from CNN"):
        assert junk not in article.body
    removed = {(r.reason, r.text) for r in article.removed}
    assert ("dateline", "(CNN) --") in removed
    assert ("credits", "CNN's Jethro Mullen contributed to this report.") in removed
    captions = [article.body[c.start : c.end] for c in article.captions]
    assert captions[-1].endswith("Hide Caption 1 of 5")
    for item in article.removed:
        assert article.raw[item.offset : item.offset + len(item.text)] == item.text


def test_capture_with_a_caption_label_line() -> None:
    [result] = list(ingest_paths([str(DATA_DIR / "bbc-capture.txt")]))
    article = result.articles[0]
    assert (article.title, article.source) == (
        "John Kerry in Seoul for talks on North Korea",
        "BBC News",
    )
    assert article.published == "2014-02-13"
    assert article.body.startswith("US Secretary of State John Kerry has arrived")
    for junk in ("Share this with", "Image caption", "Related Topics", "Weather"):
        assert junk not in article.body
    captions = [article.body[c.start : c.end] for c in article.captions]
    assert captions == [
        "Mr Kerry (left) was greeted at the airport by US and South Korean officials"
    ]
