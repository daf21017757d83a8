"""Make untrusted article text safe to store and show.

Article text comes from the open web. Terminal escape sequences in it can retitle the
window, write the clipboard (OSC 52) or spoof links (OSC 8); bidirectional override
characters can make text read differently from what it is. Every displayed field goes
through `sanitize_text` at ingest, and every string the CLI writes goes through
`terminal_safe` as a second line of defence (stored data may predate a rule).
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P|X|^|_ ... ST), and two-character escapes. Their 8-bit C1 forms are covered too.
# An unterminated string sequence ends at the line end, so one stray ESC ] cannot swallow
# the rest of an article.
_ESCAPE_SEQ = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                 # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|\Z)  # OSC, DCS...
  | \x1b[ -/]*[0-~]?                                   # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)

# Bidirectional embedding/override/isolate controls and other invisible format characters
# that can reorder or hide text. ZWJ/ZWNJ (U+200C/D) are kept: scripts need them.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)
_OTHER_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\ufff9\ufffa\ufffb")

_KEEP = frozenset("\n\t")


def _is_control(ch: str) -> bool:
    if ch in _KEEP:
        return False
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


# One C-level regex pass drops every unwanted code point (a character class scan is much
# faster than `str.translate` with a dict on non-ASCII text, or a Python loop).
_REMOVE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS | _OTHER_INVISIBLE)) + "]+"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")


def sanitize_text(text: str, *, keep_newlines: bool = True) -> str:
    """Remove escape sequences, C0/C1 controls and bidi controls from `text`.

    Newlines and tabs survive (unless `keep_newlines` is False, for one-line fields such
    as titles, where all whitespace runs become one space); CRLF and lone CR become LF.
    Surrogates (from undecodable input) become U+FFFD.
    """
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQ.sub("", text)
    text = _REMOVE.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    if not keep_newlines:
        text = _WHITESPACE.sub(" ", text).strip()
    return text


def sanitize_line(text: str | None) -> str | None:
    """Sanitise a one-line field (title, source, author...): no newlines, trimmed."""
    if text is None:
        return None
    return sanitize_text(text, keep_newlines=False)


_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Make any string safe to write to a terminal: controls shown as visible escapes.

    Unlike `sanitize_text` this loses nothing: ESC becomes the visible text "\\x1b", so a
    user inspecting `raw` sees exactly what was there without the terminal acting on it.
    One C-level regex pass (clean text, the usual case, is returned as it is), so
    `show --raw` of a 20 MB capture does not crawl through a Python loop per character.
    """
    return _TERMINAL_UNSAFE.sub(_visible, text)


def has_unsafe_chars(text: str) -> bool:
    """True if `text` holds anything `sanitize_text` would remove (for tests and doctor)."""
    return any(
        _is_control(ch) or ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cs" for ch in text
    )
