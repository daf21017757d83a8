"""The sanitiser that keeps terminal escapes, bidi tricks and controls out of displayed text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parallax.ingest.sanitize import has_unsafe_chars, sanitize_line, sanitize_text, terminal_safe


def test_removes_osc_csi_and_controls() -> None:
    text = "a\x1b]0;title\x07b\x1b[31mc\x1b[0m\x1b]52;c;Zm9v\x07d\x1b]8;;http://e\x1b\\e\x1b]8;;\x1b\\f\x00g\x85h"
    assert sanitize_text(text) == "abcdefgh"


def test_unterminated_osc_does_not_swallow_the_article() -> None:
    assert sanitize_text("one\x1b]0;title\ntwo\nthree") == "one\ntwo\nthree"


def test_removes_bidi_overrides_keeps_zwj() -> None:
    assert sanitize_text("x\u202eevil\u202cy\u2066z\u2069") == "xevilyz"
    assert sanitize_text("क्\u200dष") == "क्\u200dष"


def test_newlines_kept_in_text_folded_in_lines() -> None:
    assert sanitize_text("a\r\nb\rc\n\td") == "a\nb\nc\n\td"
    assert sanitize_line("  a\n b\t c  ") == "a b c"
    assert sanitize_line(None) is None


def test_markup_is_left_as_text() -> None:
    assert sanitize_text("[red]x[/] [@click=app.quit]q") == "[red]x[/] [@click=app.quit]q"


def test_surrogates_become_replacement_char() -> None:
    assert sanitize_text("a\ud800b") == "a\ufffdb"


def test_terminal_safe_makes_escapes_visible() -> None:
    assert terminal_safe("a\x1b[31mb\u202e") == "a\\x1b[31mb\\u202e"


@given(st.text())
def test_sanitised_text_is_safe_and_idempotent(text: str) -> None:
    once = sanitize_text(text)
    assert not has_unsafe_chars(once)
    assert sanitize_text(once) == once
    line = sanitize_line(text) or ""
    assert "\n" not in line and not has_unsafe_chars(line)


@given(st.text())
def test_terminal_safe_output_has_no_controls(text: str) -> None:
    assert not has_unsafe_chars(terminal_safe(text).replace("\n", "").replace("\t", ""))
