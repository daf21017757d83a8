"""Note anchors: made from an exact passage, re-found after the body changes, and
reported as orphaned (never re-attached to a guess) when the passage is gone."""

from __future__ import annotations

import pytest

from parallax.anchors import AnchorError, is_orphaned, locate, make_anchor
from parallax.model import Anchor, ParallaxError, Span

BODY = (
    "U.S. Secretary of State John Kerry arrived in Seoul on Thursday.\n\n"
    "He said the allies would not accept North Korea as a nuclear state. "
    "North Korea made no immediate comment.\n\n"
    "Kerry then left for Beijing."
)


def test_anchor_records_passage_context_and_offsets() -> None:
    quote = "would not accept North Korea"
    anchor = make_anchor(BODY, quote)
    assert anchor.quote == quote
    assert BODY[anchor.start : anchor.end] == quote
    assert BODY[: anchor.start].endswith(anchor.prefix)
    assert BODY[anchor.end :].startswith(anchor.suffix)
    assert anchor.prefix and anchor.suffix
    assert locate(anchor, BODY) == Span(anchor.start, anchor.end)


def test_passage_not_in_body_is_a_clear_error() -> None:
    with pytest.raises(AnchorError, match="not found"):
        make_anchor(BODY, "Kerry arrived in Tokyo")
    assert issubclass(AnchorError, ParallaxError)


def test_ambiguous_passage_says_how_to_disambiguate() -> None:
    with pytest.raises(AnchorError, match=r"2 times.*longer passage.*--occurrence"):
        make_anchor(BODY, "North Korea")
    anchor = make_anchor(BODY, "North Korea", occurrence=2)
    assert BODY[anchor.start : anchor.end] == "North Korea"
    assert anchor.start == BODY.index("North Korea made")


def test_empty_passage_is_refused() -> None:
    with pytest.raises(AnchorError, match="empty"):
        make_anchor(BODY, "   ")


def test_whitespace_in_the_quote_may_differ_from_the_body() -> None:
    anchor = make_anchor(BODY, "on Thursday. He said")
    assert anchor.quote == "on Thursday.\n\nHe said"
    assert locate(anchor, BODY) == Span(anchor.start, anchor.end)


def test_refound_by_context_when_text_is_inserted_before_it() -> None:
    anchor = make_anchor(BODY, "no immediate comment")
    edited = "Editor's note: updated.\n\n" + BODY
    span = locate(anchor, edited)
    assert span is not None
    assert edited[span.start : span.end] == "no immediate comment"
    assert span.start == anchor.start + len("Editor's note: updated.\n\n")


def test_refound_by_unique_quote_when_context_changed() -> None:
    anchor = make_anchor(BODY, "left for Beijing")
    edited = BODY.replace("Kerry then", "The secretary later")
    span = locate(anchor, edited)
    assert span is not None
    assert edited[span.start : span.end] == "left for Beijing"


def test_orphaned_when_passage_is_gone() -> None:
    anchor = make_anchor(BODY, "no immediate comment")
    edited = BODY.replace("no immediate comment", "a statement")
    assert locate(anchor, edited) is None
    assert is_orphaned(anchor, edited)
    assert not is_orphaned(None, edited)


def test_not_reattached_to_an_ambiguous_guess() -> None:
    # The stored context no longer matches and the passage now occurs twice: orphaned,
    # rather than attached to whichever occurrence comes first.
    anchor = Anchor(quote="North Korea", prefix="zzz ", suffix=" yyy", start=5, end=16)
    assert locate(anchor, BODY) is None


def test_stale_offsets_are_not_trusted_blindly() -> None:
    anchor = make_anchor(BODY, "Seoul")
    shifted = "Seoul: " + BODY.replace("in Seoul on", "in the capital on")
    # The offsets now point at other words; the unique passage is found at its new place.
    span = locate(anchor, shifted)
    assert span == Span(0, 5)
