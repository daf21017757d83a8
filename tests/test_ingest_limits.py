"""Size and shape caps that keep huge input bounded, and real-dataset conventions."""

from __future__ import annotations

from pathlib import Path

from parallax.ingest import IngestResult, ingest_paths, ingest_text
from parallax.ingest.limits import MAX_EXTRACT_CHARS, MAX_PARAGRAPHS


def one(path: Path) -> IngestResult:
    (result,) = ingest_paths([str(path)])
    return result


def test_capture_with_more_paragraphs_than_the_cap_keeps_all_text(tmp_path: Path) -> None:
    n = MAX_PARAGRAPHS + 500
    paragraphs = [
        f"Paragraph number {i} of a very long capture, written as a sentence." for i in range(n)
    ]
    target = tmp_path / "long.txt"
    target.write_text(
        "A long capture\n\n" + "\n\n".join(paragraphs) + "\n\nShare\n", encoding="utf-8"
    )
    result = one(target)
    assert result.status == "ok"
    article = result.articles[0]
    assert article.title == "A long capture"
    assert article.body.startswith("Paragraph number 0 of")
    assert f"Paragraph number {n - 1} of" in article.body  # text past the cap is kept
    assert any("very long text" in w for w in result.warnings)


def test_huge_html_page_uses_the_linear_fallback(tmp_path: Path) -> None:
    para = "<p>Paragraph of text about what happened at the talks in Seoul.</p>"
    count = MAX_EXTRACT_CHARS // len(para) + 10
    page = (
        "<html><head><title>Huge page</title><script>var x = '<p>not text</p>';</script></head>"
        f"<body>{para * count}<p>The last &amp; final paragraph.</p></body></html>"
    )
    target = tmp_path / "huge.html"
    target.write_text(page, encoding="utf-8")
    result = one(target)
    assert result.status == "ok"
    article = result.articles[0]
    assert article.title == "Huge page"
    assert "not text" not in article.body and "<p>" not in article.body
    assert article.body.endswith("The last & final paragraph.")
    assert any("million characters" in w for w in result.warnings)


def test_dataset_outlet_codes_become_outlet_names() -> None:
    record = '{"source": "nyt", "title": "T", "body-paragraphs": [["One.", "Two."]]}'
    assert ingest_text(record, fmt="json")[0].source == "The New York Times"
    record = '{"source": "FOX", "title": "T", "body": "x"}'
    assert ingest_text(record, fmt="json")[0].source == "Fox News"
    record = '{"source": "Some Outlet", "title": "T", "body": "x"}'
    assert ingest_text(record, fmt="json")[0].source == "Some Outlet"
