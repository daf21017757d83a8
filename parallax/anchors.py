"""Note anchors: attach a note to an exact passage and find it again later.

An anchor stores the passage itself, some context on each side and its offsets into
`Article.body`. Offsets alone would silently point at the wrong words if the body ever
changes (a re-clean, a migration), so `locate` checks the text before trusting them, then
falls back to the passage with its context, then to the passage alone when it is unique.
If none of those works the note is *orphaned*: the reader and the CLI show it as such and
never re-attach it to a guess.
"""

from __future__ import annotations

import re

from parallax.model import Anchor, ParallaxError, Span

CONTEXT_CHARS = 32
"""How much text on each side of the passage is kept to re-find it."""


class AnchorError(ParallaxError):
    """The passage a note should be attached to is not in the article, or not unique."""


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `needle`."""
    found: list[int] = []
    if not needle:
        return found
    i = haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _flexible_matches(body: str, quote: str) -> list[tuple[int, int]]:
    """Matches of `quote` where any run of whitespace may match any other run.

    A passage copied from a terminal or typed into a shell rarely keeps the body's line
    breaks, so "exact" means exact words and punctuation, not exact whitespace.
    """
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def _preview(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def make_anchor(body: str, quote: str, *, occurrence: int | None = None) -> Anchor:
    """Anchor a note to the passage `quote` of `body`.

    Args:
        body: the article body the offsets index into.
        quote: the exact passage (whitespace between words may differ from the body's).
        occurrence: which occurrence to use (1-based) when the passage occurs more than
            once; without it an ambiguous passage is an error.

    Raises:
        AnchorError: the passage is empty, not found, or occurs more than once (the
            message says how to make it unique).
    """
    if not quote or not quote.strip():
        raise AnchorError(
            "the --quote passage is empty; give the exact words to attach the note to"
        )
    spans = [(s, s + len(quote)) for s in _occurrences(body, quote)]
    if not spans:
        spans = _flexible_matches(body, quote)
    if not spans:
        raise AnchorError(
            f"passage not found in the article: {_preview(quote)!r}; copy it exactly from "
            "`parallax show ID` (words and punctuation must match)"
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(spans):
            raise AnchorError(
                f"the passage occurs {len(spans)} time(s); occurrence must be 1..{len(spans)}"
            )
        start, end = spans[occurrence - 1]
    elif len(spans) > 1:
        raise AnchorError(
            f"the passage {_preview(quote)!r} occurs {len(spans)} times in the article; "
            "quote a longer passage (include a few words before or after it) so it is unique, "
            "or pick one with --occurrence N"
        )
    else:
        start, end = spans[0]
    return Anchor(
        quote=body[start:end],
        prefix=body[max(0, start - CONTEXT_CHARS) : start],
        suffix=body[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def locate(anchor: Anchor, body: str) -> Span | None:
    """Where the anchored passage is in `body` now, or None if the note is orphaned.

    Tried in order: the stored offsets (when the text there is still the passage), the
    passage with its stored context (the occurrence nearest the old offset), and the
    passage alone when it occurs exactly once.
    """
    quote = anchor.quote
    if not quote:
        return None
    if 0 <= anchor.start <= anchor.end <= len(body) and body[anchor.start : anchor.end] == quote:
        return Span(anchor.start, anchor.end)
    context = anchor.prefix + quote + anchor.suffix
    starts = _occurrences(body, context)
    if starts:
        best = min(starts, key=lambda s: abs(s + len(anchor.prefix) - anchor.start))
        begin = best + len(anchor.prefix)
        return Span(begin, begin + len(quote))
    alone = _occurrences(body, quote)
    if len(alone) == 1:
        return Span(alone[0], alone[0] + len(quote))
    return None


def is_orphaned(anchor: Anchor | None, body: str) -> bool:
    """True for an anchored note whose passage can no longer be found (never for an
    unanchored note: it belongs to the whole article)."""
    return anchor is not None and locate(anchor, body) is None
