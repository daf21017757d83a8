"""Preparing article text for the model, and splitting it into sentences.

Both work on offsets of the original body: the text given to the model has exactly the
same length as the body (Markdown syntax blanked out, shouted lines re-cased), so every
span the model returns is already a span of the body.
"""

from __future__ import annotations

import bisect
import re

from parallax.analysis.quotes import SPEECH_VERBS, find_quote_spans
from parallax.model import Span

# -- model input -------------------------------------------------------------------------

_LINE_MARKUP = re.compile(
    r"^(?P<m>[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+)+)", re.M
)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")
_IMAGE_OPEN = re.compile(r"!\[")
_EMPHASIS = re.compile(r"(?:\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])|`+|\|)")
_BRACKET_OPEN = re.compile(r"\[(?=[^\]\n]*\]\()")

# Short words kept upper case when re-casing a shouted line: acronyms, not words.
_COMMON_SHORT = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "and",
        "or",
        "but",
        "nor",
        "not",
        "no",
        "yes",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "as",
        "if",
        "so",
        "up",
        "out",
        "off",
        "over",
        "get",
        "got",
        "win",
        "won",
        "set",
        "put",
        "cut",
        "hit",
        "run",
        "new",
        "old",
        "big",
        "top",
        "key",
        "two",
        "one",
        "six",
        "ten",
        "all",
        "any",
        "our",
        "we",
        "he",
        "his",
        "her",
        "she",
        "him",
        "why",
        "how",
        "say",
        "says",
        "said",
        "vs",
        "v",
        "de",
        "la",
        "le",
        "du",
        "van",
        "von",
        "bin",
        "al",
        "el",
    ]
)
_LONG_RUN = re.compile(r"\S{200,}")
_UPPER_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def model_text(body: str) -> str:
    """The body as the model should see it; same length, same offsets.

    - Markdown syntax (heading marks, list bullets, emphasis, link targets, table bars)
      becomes spaces, so "## Kerry" or "**Seoul**" do not confuse the tokenizer and a
      URL is never read as an organisation.
    - Lines written in capitals (headlines, datelines) are re-cased: the model learnt
      that capitals mean names, so it reads "KERRY ARRIVES IN SEOUL" as one entity.
    """
    chars = list(body)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    for m in _LINE_MARKUP.finditer(body):
        blank(m.start("m"), m.end("m"))
    for m in _RULE.finditer(body):
        blank(m.start(), m.end())
    for m in _LINK_TARGET.finditer(body):
        blank(m.start(), m.end())
    for m in _IMAGE_OPEN.finditer(body):
        blank(m.start(), m.end())
    for m in _BRACKET_OPEN.finditer(body):
        blank(m.start(), m.end())
    for m in _EMPHASIS.finditer(body):
        blank(m.start(), m.end())
    for m in _LONG_RUN.finditer(body):
        # spaCy's tokenizer is quadratic in the length of a run without spaces
        # ('""""...', base64): a space every 100 characters keeps it linear.
        for i in range(m.start() + 100, m.end(), 100):
            chars[i] = " "
    text = "".join(chars)
    return _recase_shouting(text)


def _recase_shouting(text: str) -> str:
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        out.append(_recase_line(line) if _is_shouting(line) else _recase_dateline(line))
    return "".join(out)


def _is_shouting(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 8:
        return False
    upper = sum(1 for c in letters if c.isupper())
    words = [w for w in _UPPER_WORD.findall(line) if len(w) > 1]
    return upper >= 0.9 * len(letters) and len(words) >= 2


def _recase_word(word: str, first_in_line: bool) -> str:
    bare = word.strip(".'’-")
    if len(bare) <= 3 and bare.lower() not in _COMMON_SHORT:
        return word  # an acronym (US, UN, EU, AFP) stays as written
    if "." in bare:
        return word  # "U.S.", "N.K."
    if bare.lower() in _COMMON_SHORT and not first_in_line:
        return _same_length(word, word.lower())
    recased = word[0] + _same_length(word[1:], word[1:].lower())
    return recased


def _same_length(original: str, changed: str) -> str:
    return changed if len(changed) == len(original) else original


def _recase_line(line: str) -> str:
    parts: list[str] = []
    pos = 0
    first = True
    for m in _UPPER_WORD.finditer(line):
        parts.append(line[pos : m.start()])
        parts.append(_recase_word(m.group(), first))
        first = False
        pos = m.end()
    parts.append(line[pos:])
    return "".join(parts)


_DATELINE = re.compile(
    r"^([ \t]*)([A-Z][A-Z'’.-]{3,}(?: [A-Z][A-Z'’.-]+)*)(?=[ \t]*[,(]|[ \t]+[-–—]|[ \t]+\d{4}-\d\d-\d\d)"
)


def _recase_dateline(line: str) -> str:
    """ "SEOUL, Feb. 13 (Yonhap) --": the place in capitals opening a wire story."""
    m = _DATELINE.match(line)
    if not m:
        return line
    return line[: m.start(2)] + _recase_line(m.group(2)) + line[m.end(2) :]


# -- sentences ---------------------------------------------------------------------------

# Words that end in a period without ending a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "reps",
        "sens",
        "pres",
        "supt",
        "insp",
        "det",
        "rev",
        "fr",
        "hon",
        "amb",
        "atty",
        "dept",
        "corp",
        "inc",
        "ltd",
        "co",
        "bros",
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "figs",
        "approx",
        "est",
        "etc",
        "vs",
        "v",
        "al",
        "cf",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "ala",
        "ark",
        "del",
        "ga",
        "ky",
        "md",
        "mo",
        "mont",
        "ariz",
        "calif",
        "colo",
        "conn",
        "fla",
        "ill",
        "ind",
        "kan",
        "mass",
        "mich",
        "minn",
        "miss",
        "neb",
        "nev",
        "okla",
        "ore",
        "pa",
        "tenn",
        "tex",
        "va",
        "wash",
        "wis",
        "wyo",
        "op",
        "ed",
        "pp",
    ]
)
# Words that, capitalised after "U.S." or "a.m.", show that a new sentence has begun.
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "however",
        "meanwhile",
        "still",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "although",
        "though",
        "as",
        "since",
        "some",
        "many",
        "most",
        "all",
        "no",
        "one",
        "officials",
    ]
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*|\n")
_MONTH_ABBR = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)


# A short attribution after a quotation ending in . ! or ?: `"Why?" Mr. Gowdy added.`
_ATTRIBUTION = re.compile(
    rf"[ \t]+(?:[\w'’-]+\.?[ \t]+){{0,5}}?(?:{SPEECH_VERBS})(?:[ \t]+[\w'’-]+){{0,3}}[ \t]*[.!?,:;]",
    re.I,
)


def split_sentences(body: str) -> list[Span]:
    """Sentence spans of a news body (whitespace trimmed, never empty).

    Every line break ends a sentence (Markdown paragraphs, headings, captions), except a
    soft wrap inside running prose. A period ends one unless it belongs to an
    abbreviation ("Feb. 13", "Mr. Kerry", "N. Korea", "U.S. officials"); closing quote
    marks stay with the sentence they close. A quotation of several sentences stays one
    sentence together with its attribution (`"Why speculate? We should wait," Mr. Gowdy
    added.`), as news style guides and BASIL's annotators treat it: the unit a reader
    compares across outlets is the quoted statement.
    """
    quoted = [
        (r.open_mark, r.close_mark if r.close_mark >= 0 else r.end) for r in find_quote_spans(body)
    ]
    opens = [q[0] for q in quoted]
    spans: list[Span] = []
    start = 0
    n = len(body)
    for m in _END.finditer(body):
        end = m.end()
        if m.group() == "\n":
            if _soft_wrap(body, m.start()):
                continue
            _add(body, spans, start, m.start())
            start = end
            continue
        if end < n and not body[end].isspace():
            continue  # "3.5", "U.S.-led", "e.g.,"
        if not _ends_sentence(body, m.start(), end):
            continue
        i = bisect.bisect_left(opens, m.start()) - 1
        if i >= 0 and m.start() < quoted[i][1] < end and _ATTRIBUTION.match(body, end):
            continue  # `... right choice?" Mr. Gowdy added.`
        _add(body, spans, start, end)
        start = end
    _add(body, spans, start, n)
    return spans


def _add(body: str, spans: list[Span], start: int, end: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def _soft_wrap(body: str, nl: int) -> bool:
    """A single newline inside prose wrapped at a fixed width is not a sentence end."""
    line_start = body.rfind("\n", 0, nl) + 1
    line = body[line_start:nl]
    nxt = body[nl + 1 : nl + 2]
    return (
        len(line) >= 50
        and bool(nxt)
        and nxt.islower()
        and not line.rstrip().endswith((".", "!", "?", ":", '"', "”"))
    )


def _ends_sentence(body: str, dot: int, end: int) -> bool:
    if body[dot] != ".":
        return _next_word_starts_sentence(body, end, strict=False)
    m = re.search(r"([\w.'’-]*)$", body[max(0, dot - 40) : dot])
    word = m.group(1) if m else ""
    bare = word.lower().strip("'’")
    if bare in _ABBREVIATIONS:
        if bare in _MONTH_ABBR:
            return _next_word_starts_sentence(body, end, strict=True)
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "N. Korea", "John F. Kennedy"
    if "." in word:  # "U.S.", "a.m.", "D.C."
        return _next_word_starts_sentence(body, end, strict=True)
    return _next_word_starts_sentence(body, end, strict=False)


def _next_word_starts_sentence(body: str, end: int, *, strict: bool) -> bool:
    rest = body[end : end + 40].lstrip(" \t")
    if not rest or rest[0] == "\n":
        return True
    m = re.match(r"[\"'“‘(\[]*([\w’'-]+)", rest)
    if not m:
        return not strict
    word = m.group(1)
    if strict:
        return word.lower() in _SENTENCE_STARTERS and word[0].isupper()
    return word[0].isupper() or word[0].isdigit() or rest[0] in "\"'“‘"
