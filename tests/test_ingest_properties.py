"""Property tests: whatever bytes or text arrive, ingest reports instead of crashing, and
every displayed field comes out free of control, escape and bidi-override characters."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.ingest import FORMATS, ingest_paths, ingest_text
from parallax.ingest.common import IngestError
from parallax.ingest.sanitize import has_unsafe_chars
from parallax.model import Article

NASTY = st.sampled_from(
    [
        "\x1b]0;t\x07",
        "\x1b[31m",
        "\x1b]52;c;AAAA\x07",
        "\x1b]8;;http://x\x1b\\",
        "\u202e",
        "\u2066",
        "\x00",
        "\x9b",
        "\r\n",
        "[@click=app.quit]",
        "[red]",
        "- x -",
        "By AFP",
        "(Yonhap)",
        "Updated: 02/13/2014 10:28",
        "<p>",
        "</div>",
        "{",
        "[",
        "---\n",
        "# ",
        "\ufeff",
        "\ud800",
    ]
)
TEXTY = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=25).map("".join)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_article(article: Article) -> None:
    for value in (
        article.title,
        article.body,
        article.source,
        article.agency,
        article.author,
        article.published,
        article.published_raw,
        article.url,
        article.language,
        *article.tags,
        *(r.text for r in article.removed),
    ):
        if value:
            assert not has_unsafe_chars(value), repr(value)
            assert "\x1b" not in value
    if article.published_raw is not None or article.title:
        assert "\n" not in article.title
    for span in article.captions:
        assert 0 <= span.start < span.end <= len(article.body)
    assert article.id and article.format in FORMATS


@SETTINGS
@given(text=TEXTY, fmt=st.sampled_from([None, *FORMATS]))
def test_ingest_text_never_crashes(text: str, fmt: str | None) -> None:
    try:
        articles = ingest_text(text, name="fuzz.txt", fmt=fmt)
    except IngestError:
        return  # a user-facing refusal (malformed JSON, broken feed) is allowed
    for article in articles:
        check_article(article)
        assert article.raw is not None


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=300), TEXTY.map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
    suffix=st.sampled_from(["-", ".txt", ".md", ".html", ".json", ".jsonl", ".rss", ""]),
)
def test_ingest_paths_never_raises_on_any_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if suffix == "-":
            results = list(ingest_paths(["-"], stdin=io.BytesIO(data)))
        else:
            target = Path(tmp) / f"input{suffix}"
            target.write_bytes(data)
            results = list(ingest_paths([str(target)]))
    assert len(results) == 1
    result = results[0]
    assert result.status in ("ok", "skipped", "failed")
    if result.status != "ok":
        assert result.reason and result.reason.startswith(result.path)
        # The batch-protecting catch-all must not be what handled it: that means a bug.
        assert "could not parse as" not in result.reason, result.reason
    for article in result.articles:
        check_article(article)


@SETTINGS
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(
                ["title", "body", "source", "author", "date", "url", "text", "byline", "tags"]
            ),
            st.one_of(
                st.none(),
                st.integers(),
                TEXTY,
                st.lists(st.one_of(TEXTY, st.lists(TEXTY, max_size=3)), max_size=3),
                st.dictionaries(st.just("name"), TEXTY, max_size=1),
            ),
        ),
        max_size=4,
    )
)
def test_json_records_of_any_shape(records: list[dict[str, object]]) -> None:
    import json

    text = "\n".join(json.dumps(r) for r in records)
    try:
        articles = ingest_text(text, name="fuzz.jsonl")
    except IngestError:
        return
    for article in articles:
        check_article(article)


MD_PIECES = st.sampled_from(
    [
        *"ab 1.)-+*#_`[]()<>!|~\\&;=:/\"'\t",
        *("&amp;", "&copy;", "http://x.y", "1. ", "- ", "# ", "> ", "```", "***", "===", "---"),
        *("- - -", "[@click=app.quit]", "<script>", "![i](u)"),
    ]
)


@SETTINGS
@given(st.lists(MD_PIECES, min_size=1, max_size=20).map("".join))
def test_escaped_text_renders_as_it_reads(line: str) -> None:
    """Article prose put into the Markdown body renders as exactly that prose: no accidental
    lists, headings, rules, emphasis, links, HTML or entities."""
    import html
    import re

    from markdown_it import MarkdownIt

    from parallax.ingest.clean import escape_markdown

    line = line.strip()
    rendered = MarkdownIt("commonmark").render(escape_markdown(line))
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(text.split()) == " ".join(line.split()), rendered
