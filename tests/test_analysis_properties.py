"""Property tests: analysis never crashes, and every offset it returns is exact."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.analysis import analyze_texts
from parallax.analysis.quotes import extract_quotes
from parallax.analysis.text import model_text, split_sentences
from parallax.model import Analysis

# Text that looks like news copy gone wrong: names, quote marks of every kind,
# Markdown, line breaks, abbreviations, numbers, non-Latin scripts and odd code points.
PIECES = st.sampled_from(
    [
        "Kerry", "John Kerry", "Park Geun-hye", "U.S.", "N. Korea", "Feb. 13", "said", "he",
        " ", " ", "\n", "\n\n", '"', "“", "”", "'", "‘", "’", ",", ".", "!", "?", "#", "**",
        "[", "](http://x.y/z)", "-", "—", "$1.5 million", "Wednesday", "3 p.m.", "10%",
        "소아쌤", "北京", "\u200b", "\ufeff", "\t", "SEOUL", "the", "official", "told",
    ]
)  # fmt: skip
NEWSISH = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map("".join)


def check(body: str, analysis: Analysis) -> None:
    for e in analysis.entities:
        assert 0 <= e.start < e.end <= len(body)
        assert body[e.start : e.end] == e.text
    for q in analysis.quotes:
        assert 0 <= q.start < q.end <= len(body)
        assert body[q.start : q.end] == q.text
    for f in analysis.figures:
        assert body[f.start : f.end] == f.text
    for s in analysis.sentences:
        assert 0 <= s.start < s.end <= len(body)


@given(st.one_of(NEWSISH, st.text(max_size=200)))
@settings(max_examples=200, deadline=None)
def test_rules_never_crash_and_keep_offsets(body: str) -> None:
    prepared = model_text(body)
    assert len(prepared) == len(body)
    sentences = split_sentences(body)
    for s in sentences:
        assert body[s.start : s.end].strip() == body[s.start : s.end]
    for q in extract_quotes(body, sentences, [], lambda _n: None):
        assert body[q.start : q.end] == q.text


@pytest.mark.slow
@given(st.lists(st.one_of(NEWSISH, st.text(max_size=120)), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_analysis_never_crashes_and_offsets_are_exact(bodies: list[str]) -> None:
    for body, analysis in zip(bodies, analyze_texts(bodies, "2014-02-13"), strict=True):
        check(body, analysis)


INGEST_FORMATS = ("capture", "markdown", "html")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", INGEST_FORMATS)
def test_analysis_of_what_ingest_produces(fmt: str) -> None:
    """Whatever ingest makes of hostile text, analysis runs and its offsets hold."""
    if importlib.util.find_spec(f"parallax.ingest.{fmt}") is None:
        pytest.skip(f"the {fmt} parser of parallax.ingest is not there yet")
    from parallax.analysis import analyze_articles
    from parallax.ingest import ingest_text
    from parallax.model import ParallaxError

    @given(NEWSISH)
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def run(text: str) -> None:
        try:
            articles = ingest_text(text, name=f"fuzz.{fmt}", fmt=fmt)
        except ParallaxError:
            return  # ingest refused the input with a user-facing error: nothing to analyse
        for article, analysis in zip(articles, analyze_articles(articles), strict=True):
            check(article.body, analysis)

    run()
