"""Entities, quotes and figures estimated from plain text, for un-analysed articles.

Comparison must work before (or without) spaCy analysis: a user can compare two articles
straight after import with `--no-analyze`, and the property tests feed it arbitrary text.
These regex estimators are deliberately conservative: capitalised name sequences (keyed
by their lowercased words), text inside quotation marks with a nearby "said"-style
attribution, and numbers, amounts, percentages and calendar dates. The analysis package
does all of this better; its output is used whenever both articles have it.
"""

from __future__ import annotations

import re

from parallax.compare.text import words as _words
from parallax.model import Entity, Figure, Quote

# --------------------------------------------------------------------------------------
# Names

_NAME = re.compile(
    # An abbreviated title ("Sen. Chuck Schumer") belongs to the name that follows it.
    r"(?<![\w'’-])(?:(?:Sens?|Reps?|Gov|Gen|Dr|Mr|Mrs|Ms|Lt|Col|Sgt|Capt|Adm|Prof|St)\.[ \t]+)?"
    r"(?:[A-Z][\w’'.-]*[\w]|[A-Z])(?:[ \t]+(?:(?:of|de|del|da|van|von|al|bin|la|le)[ \t]+)?"
    r"(?:[A-Z][\w’'.-]*[\w]))*"
)
_TITLES = _words(
    """
    president secretary minister spokesman spokeswoman spokesperson senator sen rep gov
    governor gen general chief envoy ambassador premier chancellor king queen prince pope
    mr mrs ms dr leader chairman chairwoman director judge justice mayor counterpart officer
    analyst correspondent lt col capt adm sgt commander vice deputy former sens reps prof
    """
)
_ALIASES = {
    "us": "united states",
    "u.s": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u.k": "united kingdom",
    "britain": "united kingdom",
    "un": "united nations",
    "u.n": "united nations",
}
_NOT_NAMES = _words(
    """
    the a an and but or if in on at by for with from to of as it its he she they we i you
    this that these those there here his her their our my your when while after before
    although though however meanwhile also yet so then still even only just not no
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr
    """
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\"“‘(]\s*|\n\s*)$")


def _strip_title(text: str) -> str:
    """ "US Secretary of State John Kerry" -> "John Kerry": titles are not identities."""
    words = text.split()
    last = max((i for i, w in enumerate(words) if w.lower().rstrip(".") in _TITLES), default=-1)
    if last < 0 or last == len(words) - 1:
        return text
    rest = words[last + 1 :]
    if len(rest) >= 3 and rest[0] == "of":
        rest = rest[2:]
    return " ".join(rest)


def _name_key(text: str) -> str:
    words = text.lower().replace("’", "'").split()
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    key = " ".join(words)
    return _ALIASES.get(key, key)


def names(body: str) -> list[Entity]:
    """Capitalised word sequences that are probably names ("Park Geun-hye", "Seoul")."""
    found: list[Entity] = []
    for m in _NAME.finditer(body):
        text = re.split(r"['’]s\b", m.group(), maxsplit=1)[0].rstrip(".")
        stripped = _strip_title(text)
        offset = m.start() + len(text) - len(stripped)
        text = stripped
        key = _name_key(text)
        if not key or len(key) < 2 or key in _NOT_NAMES:
            continue
        titled = offset > m.start()  # "Mr. Kim": a title says a name follows
        at_start = not titled and bool(_SENTENCE_START.search(body[max(0, offset - 3) : offset]))
        if at_start and " " not in key and key == text.lower():
            # A lone capitalised word opening a sentence is usually just a word.
            continue
        if at_start and " " in text and text.split()[0].lower() in _NOT_NAMES:
            start = offset + len(text.split()[0]) + 1
            text = body[start : offset + len(text)]
        else:
            start = offset
        found.append(Entity(start, start + len(text), "NAME", text, f"name:{key}"))
    return found


# --------------------------------------------------------------------------------------
# Quotes

_QUOTE_CURLY = re.compile(r"“([^“”]{1,2000})”")
_SPEECH = r"(?:said|says|added|told|stressed|warned|noted|insisted|explained|asked|quoted)"
_SPEAKER_AFTER = re.compile(
    r"^[\s,]*(?:[\"”’']\s*)?(?:,\s*)?(?P<who>(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})"
    r"|he|she|they|(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:official|spokesman|spokeswoman|"
    r"spokesperson|analyst|minister|source|officer|diplomat|expert|president|secretary))"
    r"(?:,[^,.]{0,80},)?\s+" + _SPEECH
)
_SPEAKER_AFTER_INVERTED = re.compile(
    r"^[\s,]*" + _SPEECH + r"\s+(?P<who>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}|"
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:official|spokesman|spokeswoman|analyst|minister))"
)
_SPEAKER_BEFORE = re.compile(
    r"(?P<who>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}|he|she|they)\s+"
    + _SPEECH
    + r"(?:\s+\w+){0,3}\s*[:,]?\s*$"
)
_PRONOUNS = frozenset({"he", "she", "they"})


def _straight_quotes(body: str) -> list[tuple[int, int]]:
    """Pairs of straight double quotes, paired within each paragraph."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", body):
        marks = [para.start() + m.start() for m in re.finditer(r'"', para.group())]
        for k in range(0, len(marks) - 1, 2):
            spans.append((marks[k] + 1, marks[k + 1]))
    return spans


def _speaker(body: str, start: int, end: int) -> str | None:
    after = body[end + 1 : end + 160]
    m = _SPEAKER_AFTER.match(after) or _SPEAKER_AFTER_INVERTED.match(after)
    if m:
        return m.group("who").strip().rstrip(".,;:")
    before = body[max(0, start - 120) : max(0, start - 1)]
    m2 = _SPEAKER_BEFORE.search(before)
    if m2:
        return m2.group("who").strip()
    # "..., " Paik.  (a bare name after the quote)
    m3 = re.match(r"^[\s,\"”]*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s*[.;]", after)
    if m3:
        return m3.group(1)
    return None


def quotes(body: str) -> list[Quote]:
    """Text inside double quotation marks, with the speaker when attribution is nearby."""
    spans = [(m.start(1), m.end(1)) for m in _QUOTE_CURLY.finditer(body)]
    spans += _straight_quotes(body)
    out: list[Quote] = []
    for start, end in sorted(set(spans)):
        text = body[start:end].strip()
        if not re.search(r"\w", text) or "\n\n" in text:
            continue
        lead = len(body[start:end]) - len(body[start:end].lstrip())
        s = start + lead
        out.append(Quote(s, s + len(text), text, _speaker(body, start, end)))
    return out


# --------------------------------------------------------------------------------------
# Figures

_MONTHS = {
    m: i + 1
    for i, names_ in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names_
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_FIGURE = re.compile(
    # Cheap first test: a figure starts with a digit, a currency sign or a month name.
    r"(?=[\d$€£¥]|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun))"
    r"(?:(?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)"
    r"|(?P<date>" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:\s*[-–]\s*(?P<day2>\d{1,2}))?"
    r"(?:,?\s+(?P<year>\d{4}))?\b)"
    r"|(?P<date2>(?P<dday>\d{1,2})\s+(?P<dmonth>" + _MONTH_RE + r")(?:\s+(?P<dyear>\d{4}))?\b)"
    r"|(?P<ndate>\b(?P<nm>\d{1,2})/(?P<nd>\d{1,2})/(?P<ny>\d{4})\b)"
    r"|(?P<slash>\b(?P<sm>\d{1,2})/(?P<sd>\d{1,2})\b(?!/))"
    r"|(?P<time>\b\d{1,2}:\d{2}\b(?:\s?[ap]\.?m\.?)?)"
    r"|(?P<money>(?P<cur>[$€£¥])\s?(?P<mnum>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<mscale>thousand|million|billion|trillion|bn|m)\b)?)"
    r"|(?P<percent>(?P<pnum>\d[\d,]*(?:\.\d+)?)\s?(?:%|percent\b|per\s+cent\b))"
    r"|(?P<years>\b(?P<y1>1[89]\d{2}|20\d{2})\s*[-–]\s*(?P<y2>\d{2,4})\b)"
    r"|(?P<number>(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<nscale>thousand|million|billion|"
    r"trillion)\b)?(?:[-\s](?P<unit>[a-z]+))?))",
)
_UNITS = _words(
    """
    year years month months week weeks day days hour hours minute minutes people person
    soldiers troops dead killed deaths injured km kilometers kilometres miles meters metres
    tons tonnes dollars won yen yuan euros pounds percent times votes seats members
    """
)


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def figures(body: str) -> list[Figure]:
    """Numbers, amounts, percentages, years and calendar dates stated in `body`."""
    out: list[Figure] = []
    for m in _FIGURE.finditer(body):
        g = m.groupdict()
        text = m.group().strip()
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        end = start + len(text)
        if g["weekday"]:
            out.append(Figure(start, end, text, "date", text.lower()))
        elif g["date"]:
            month = _MONTHS[re.sub(r"\W", "", g["date"].split()[0]).lower()]
            day = int(g["day"])
            if not 1 <= day <= 31:
                continue
            value = f"{g['year'] + '-' if g['year'] else ''}{month:02d}-{day:02d}"
            if g["day2"]:
                value += f"/{int(g['day2']):02d}"
            out.append(Figure(start, end, text, "date", value))
        elif g["date2"]:
            month = _MONTHS[re.sub(r"\W", "", g["dmonth"]).lower()]
            day = int(g["dday"])
            if not 1 <= day <= 31:
                continue
            value = f"{g['dyear'] + '-' if g['dyear'] else ''}{month:02d}-{day:02d}"
            out.append(Figure(start, end, text, "date", value))
        elif g["ndate"]:
            month, day = int(g["nm"]), int(g["nd"])
            if 1 <= month <= 12 and 1 <= day <= 31:
                out.append(Figure(start, end, text, "date", f"{g['ny']}-{month:02d}-{day:02d}"))
        elif g["slash"]:
            month, day = int(g["sm"]), int(g["sd"])
            value = f"{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else text
            out.append(Figure(start, end, text, "date" if value != text else "cardinal", value))
        elif g["time"]:
            out.append(Figure(start, end, text, "time", text.lower().replace(".", "")))
        elif g["money"]:
            n = _num(g["mnum"])
            if n is None:
                continue
            n *= _SCALE.get((g["mscale"] or "").lower(), 1)
            out.append(Figure(start, end, text, "money", _fmt(n), g["cur"]))
        elif g["percent"]:
            n = _num(g["pnum"])
            if n is not None:
                out.append(Figure(start, end, text, "percent", _fmt(n), "%"))
        elif g["years"]:
            y2 = g["y2"]
            if len(y2) == 2:
                y2 = g["y1"][:2] + y2
            out.append(Figure(start, end, text, "date", f"{g['y1']}/{y2}"))
        elif g["number"]:
            n = _num(g["num"])
            if n is None:
                continue
            n *= _SCALE.get((g["nscale"] or "").lower(), 1)
            unit = (g["unit"] or "").lower()
            if unit and unit not in _UNITS:
                unit = ""
                end = m.start("num") + len(g["num"])
                text = body[start:end]
            kind = "date" if 1800 <= n <= 2100 and not unit and "," not in g["num"] else "cardinal"
            unit_norm = unit.rstrip("s") if unit else None
            out.append(Figure(start, end, text, "quantity" if unit else kind, _fmt(n), unit_norm))
    return out
