"""Property tests: comparison never crashes on what ingest produces, and its output is sound.

Articles are built through `parallax.ingest.ingest_text` when ingest is available (so the
texts are exactly what the store would hold), otherwise from sanitised text directly.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.compare import compare_articles, similarity
from parallax.compare.matrix import story_matrix
from parallax.compare.text import segment
from parallax.ingest.sanitize import sanitize_text
from parallax.model import Article, Span

WORDS = [
    "Kerry",
    "Seoul",
    "U.S.",
    "N.",
    "Korea",
    "Feb.",
    "13",
    "1,000",
    "$5",
    "talks",
    "deal",
    "not",
    "without",
    "agreement",
    "said",
    '"',
    "“",
    "”",
    "'",
    ".",
    ",",
    "?",
    "!",
    "--",
    "-",
    "## ",
    "\n",
    "\n\n",
    "(Yonhap)",
    "denuclearisation",
    "12%",
    "Mr.",
    "Park Geun-hye",
    "\u202e",
    "\x1b[31m",
    "\x00",
    "é",
    "東京",
    "…",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
)


def _article(aid: str, text: str) -> Article:
    try:
        from parallax.ingest import ingest_text  # type: ignore[attr-defined]
    except ImportError:
        body = sanitize_text(text)
        return Article(id=aid, title=aid, body=body, raw=text)
    try:
        articles = ingest_text(text, name=f"{aid}.txt", fmt="markdown")
    except Exception:
        articles = []
    if articles:
        return articles[0]
    return Article(id=aid, title=aid, body=sanitize_text(text), raw=text)


def _check_side(sentences: list, other_len: int, body: str) -> None:
    for k, s in enumerate(sentences):
        assert s.index == k
        assert s.status in ("same", "paraphrase", "only")
        assert 0.0 <= s.score <= 1.0
        assert all(0 <= j < other_len for j in s.matches)
        assert (s.status == "only") == (not s.matches)
        assert body[s.start : s.end] == s.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_compare_never_crashes_and_indexes_are_valid(text_a: str, text_b: str) -> None:
    a, b = _article("a", text_a), _article("b", text_b)
    c = compare_articles(a, b)
    _check_side(c.sentences_a, len(c.sentences_b), a.body)
    _check_side(c.sentences_b, len(c.sentences_a), b.body)
    for s in c.sentences_a:  # links are symmetric
        for j in s.matches:
            assert s.index in c.sentences_b[j].matches
    assert 0.0 <= c.a_in_b <= 1.0 and 0.0 <= c.b_in_a <= 1.0
    for conflict in c.conflicts:
        assert conflict.status == "check"
        assert 0 <= conflict.a < len(c.sentences_a) and 0 <= conflict.b < len(c.sentences_b)
    json.dumps(c.to_dict())  # serialisable


@settings(max_examples=30, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_story_matrix_never_crashes(bodies: list[str]) -> None:
    articles = [_article(f"x{k}", t) for k, t in enumerate(bodies)]
    m = story_matrix(articles).to_dict()
    for row in m["facts"] + m["entities"] + m["quotes"] + m["figures"]:
        assert len(row["cells"]) == len(articles)
        assert all(0 <= k < len(articles) for k in row["sources"])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_similarity_is_bounded_and_total(a: str, b: str) -> None:
    score, same = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert isinstance(same, bool)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_segment_offsets_index_the_body(text: str) -> None:
    body = sanitize_text(text)
    caption = Span(0, min(len(body), 10))
    for s in segment(body, [caption]):
        assert body[s.start : s.end] == s.text
        assert s.text.strip()
        assert not (s.start < caption.end and caption.start < s.end)
