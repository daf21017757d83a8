"""Dates, times, numbers and money in a comparable normal form.

Two outlets write "Wednesday", "Feb. 12" and "February 12, 2014" for one day, and
"$1.5 million" or "1,500,000 dollars" for one amount; comparison needs them equal.
Everything here is pure string work (no spaCy), applied to the model's DATE, TIME,
MONEY, PERCENT, QUANTITY, CARDINAL and ORDINAL entities.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

FIGURE_KIND = {
    "DATE": "date",
    "TIME": "time",
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "cardinal",
    "ORDINAL": "ordinal",
}

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "a dozen": 12, "dozen": 12,
    "dozens": 24, "half": 0.5,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20, "thirtieth": 30, "hundredth": 100,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "mln": 1_000_000,
    "m": 1_000_000, "mn": 1_000_000, "billion": 1_000_000_000, "bln": 1_000_000_000,
    "bn": 1_000_000_000, "b": 1_000_000_000, "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000, "trn": 1_000_000_000_000,
}  # fmt: skip
_CURRENCY_SYMBOLS = [
    ("us$", "USD"), ("a$", "AUD"), ("c$", "CAD"), ("hk$", "HKD"), ("s$", "SGD"),
    ("nz$", "NZD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₩", "KRW"),
    ("₹", "INR"), ("₽", "RUB"),
]  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "cent": "USD-cent", "cents": "USD-cent",
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "gbp": "GBP", "yen": "JPY", "jpy": "JPY", "won": "KRW", "krw": "KRW",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "rupee": "INR",
    "rupees": "INR", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB",
    "francs": "CHF", "franc": "CHF",
}  # fmt: skip
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def _dec(value: Decimal | float | int) -> str:
    """A decimal number as a plain string without exponent or trailing zeros."""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_number(text: str) -> Decimal | None:
    """The first number in `text`: digits ("1,500", "3.5"), scale words ("1.5 million")
    and number words ("fifteen", "twenty-five", "three thousand")."""
    low = text.lower().replace("\u2009", "").replace("\u00a0", " ")
    m = _NUMBER.search(low)
    if m:
        try:
            value = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        except InvalidOperation:
            return None
        after = low[m.end() :].lstrip()
        sm = re.match(r"([a-z]+)\b", after)
        # "20m" is 20 million only for money; "20 m" of rope is metres
        if sm and sm.group(1) in _SCALES and (len(sm.group(1)) > 2 or currency(low) is not None):
            value *= _SCALES[sm.group(1)]
        return value
    return _parse_words(low)


def _parse_words(low: str) -> Decimal | None:
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    for word in _WORD.findall(low):
        parts = word.split("-")
        if all(p in _UNITS for p in parts):
            for p in parts:
                current += Decimal(str(_UNITS[p]))
            seen = True
        elif word in _UNITS:
            current += Decimal(str(_UNITS[word]))
            seen = True
        elif word in _SCALES and word not in {"k", "m", "b", "mn", "bn", "tn"} and seen:
            scale = _SCALES[word]
            current = (current or Decimal(1)) * scale
            if scale >= 1000:
                total += current
                current = Decimal(0)
        elif seen and word not in {"and"}:
            break
    if not seen:
        return None
    return total + current


def parse_ordinal(text: str) -> Decimal | None:
    low = text.lower().strip()
    m = re.match(r"(\d+)(?:st|nd|rd|th)\b", low)
    if m:
        return Decimal(m.group(1))
    if low in _ORDINALS:
        return Decimal(_ORDINALS[low])
    return None


def currency(text: str) -> str | None:
    low = text.lower()
    for symbol, code in _CURRENCY_SYMBOLS:
        if symbol in low:
            return code
    low = re.sub(r"\bper\s?cent\b", " ", low)  # "2.8 per cent" names no currency
    for word in re.findall(r"[a-z]+", low):
        if word in _CURRENCY_WORDS:
            return _CURRENCY_WORDS[word]
    return None


def normalize_figure(
    label: str, text: str, published: dt.date | None, context: str
) -> tuple[str | None, str | None]:
    """(value, unit) of a numeric entity; (None, None) when the text does not say."""
    if label == "DATE":
        return resolve_date(text, published, context), None
    if label == "TIME":
        return resolve_time(text), None
    if label == "ORDINAL":
        value = parse_ordinal(text)
        return (_dec(value) if value is not None else None), None
    if _is_range(text):
        return None, None  # "10 to 12 hours": no single comparable value
    value = parse_number(text)
    if value is None:
        return None, None
    if label == "MONEY":
        unit = currency(text)
        if unit == "USD-cent":
            return _dec(value / 100), "USD"
        return _dec(value), unit
    if label == "PERCENT":
        return _dec(value), "%"
    if label == "QUANTITY":
        return _dec(value), _quantity_unit(text)
    return _dec(value), None


def _is_range(text: str) -> bool:
    return bool(re.search(r"\d\s*(?:-|–|to|and)\s*\d|\b(?:between|to)\b.*\b\d", text.lower()))


def _quantity_unit(text: str) -> str | None:
    words = re.findall(r"[a-zA-Z]+", text)
    words = [w for w in words if w.lower() not in _SCALES and w.lower() not in _UNITS]
    return words[-1].lower() if words else None


# -- dates -------------------------------------------------------------------------------

# Tense markers of the clause a date sits in. A future in the past ("were expected to
# resume", "had been scheduled for") is past: the day meant is the one just gone.
_TENSE = re.compile(
    r"(?P<past>\b(?:was|were|had(?:\s+been)?)\s+(?:(?:not|originally|initially|also)\s+)?"
    r"(?:scheduled|set|slated|expected|due|supposed|planned|meant|going|about)\b)"
    r"|(?P<future>\b(?:will|shall|won't|wo\s+n't|(?:is|are|am)\s+(?:going\s+)?to|"
    r"(?:is|are|am)\s+(?:\w+ly\s+)?(?:due|set|slated|scheduled|expected|poised|likely|"
    r"planning|preparing)|plans?\s+to|would|scheduled|slated|planned|expected\s+to|upcoming|"
    r"due\s+to)\b"
    r"|\w'll\b)"
    r"|(?P<pasttense>\b(?:was|were|had|did|wasn't|weren't|hadn't|didn't|"
    r"met|said|told|left|went|came|took|began|saw|sat|held|spoke|wrote|gave|got|made|"
    r"found|felt|fell|rose|ran|won|lost|kept|sent|spent|brought|bought|thought|caught|"
    r"taught|fought|sought|led|fled|paid|laid|hit|struck|broke|chose|drove|flew|grew|"
    r"knew|threw|shook|stood|understood|became|forgot|ate|drank|sang|swam|rang|"
    r"[a-z]{2,}(?<!e)ed)\b)",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]—–]|\s-\s|\b(?:who|which|that|whose|whom|where|and|but|while|although|"
    r"though|because|whereas)\b",
    re.I,
)


def clause_tense(context: str) -> str | None:
    """ "past", "future" or None: the tense of the clause around a date.

    `context` is the sentence with the date replaced by "\x00" (or, for a caller that
    only has the words before the date, those words). The marker nearest the date in
    its own clause decides ("Kerry, who will travel to Beijing next, met Park on \x00":
    "met"); a clause without one ("In \x00, drills will begin") takes the nearest in
    the sentence.
    """
    if "\x00" not in context:
        context += "\x00"
    pos = context.index("\x00")
    lo = 0
    hi = len(context)
    for m in _CLAUSE_BREAK.finditer(context):
        if m.end() <= pos:
            lo = m.end()
        elif m.start() > pos:
            hi = m.start()
            break
    best: tuple[int, int, str] | None = None  # (outside own clause, distance, tense)
    for m in _TENSE.finditer(context):
        if m.start() <= pos < m.end():
            continue
        distance = pos - m.end() if m.end() <= pos else m.start() - pos
        outside = 0 if lo <= m.start() and m.end() <= hi else 1
        tense = "future" if m.group("future") else "past"
        if best is None or (outside, distance) < best[:2]:
            best = (outside, distance, tense)
    return best[2] if best else None


def parse_published(published: str | None) -> dt.date | None:
    """The date part of an ISO 8601 `Article.published` ("2014-02-13T10:28:00")."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_date(text: str, published: dt.date | None, context: str = "") -> str | None:
    """An ISO date (or "2014-02", "2014") for a DATE mention, relative to `published`.

    "Wednesday" in an article published Thursday 2014-02-13 -> "2014-02-12" (the most
    recent Wednesday, or the coming one when the date's clause speaks of the future:
    "will meet on Friday", see `clause_tense`); "In December" -> "2013-12" the same way;
    "February 5" takes the publication year; "yesterday" -> the day before; "a year ago"
    -> "2013"; "last week" -> the ISO week "2014-W06". Ranges ("1950-53") and vague spans
    ("recent years") give None. `context` is the date's sentence with the date replaced
    by "\x00" (or only the words before it).
    """
    low = text.lower().strip().rstrip(".,")
    low = re.sub(r"^(?:on|in|by|since|until|from|the)\s+", "", low)
    low = re.sub(r"'s$|’s$", "", low)
    # ISO dates
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", low)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d.isoformat() if d else None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", low)
    if m:  # US style: month/day/year
        d = _safe_date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        return d.isoformat() if d else None
    # "February 12, 2014", "Feb. 12", "Feb 12th 2014"
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", low)
    if m and m.group(1) in MONTHS:
        return _month_day(
            int(m.group(3)) if m.group(3) else None, MONTHS[m.group(1)], int(m.group(2)), published
        )
    # "12 February 2014", "12th of Feb"
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{4}))?", low)
    if m and m.group(2) in MONTHS:
        return _month_day(
            int(m.group(3)) if m.group(3) else None, MONTHS[m.group(2)], int(m.group(1)), published
        )
    # "Wednesday, February 12, 2014", "Wednesday Feb. 12"
    m = re.fullmatch(r"([a-z]+),?\s+(.+)", low)
    if m and m.group(1) in WEEKDAYS:
        inner = resolve_date(m.group(2), published, context)
        if inner and len(inner) == 10:
            return inner
    # "February 2014", "Feb. 2014"
    m = re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", low)
    if m and m.group(1) in MONTHS:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}"
    # "2014", "in 2007"
    m = re.fullmatch(r"(1[5-9]\d\d|20\d\d)", low)
    if m:
        return m.group(1)
    # "Feb. 13, 2014 - 09:09": a full date followed by a time
    m = re.match(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b(?!\s*[-–]\s*\d{4})", low)
    if m and m.group(1) in MONTHS:
        return _month_day(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)), published)
    if published is None:
        return None
    return _relative_date(low, published, context)


def _month_day(year: int | None, month: int, day: int, published: dt.date | None) -> str | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        d = _safe_date(year, month, day)
        # "December 30" in a story published January 2 means last December.
        if d is not None and (d - published).days > 200:
            d = _safe_date(year - 1, month, day)
        elif d is not None and (published - d).days > 200:
            d = _safe_date(year + 1, month, day)
    else:
        d = _safe_date(year, month, day)
    return d.isoformat() if d else None


def _relative_date(low: str, published: dt.date, context: str) -> str | None:
    one_day = dt.timedelta(days=1)
    simple = {
        "today": published,
        "tonight": published,
        "this morning": published,
        "this afternoon": published,
        "this evening": published,
        "yesterday": published - one_day,
        "last night": published - one_day,
        "tomorrow": published + one_day,
    }
    if low in simple:
        return simple[low].isoformat()
    m = re.fullmatch(
        r"(last|this|next|coming)?\s*([a-z]+)(?:\s+(?:morning|afternoon|evening|night))?", low
    )
    if m and m.group(2) in WEEKDAYS:
        target = WEEKDAYS[m.group(2)]
        qualifier = m.group(1)
        delta = (target - published.weekday()) % 7  # days ahead, 0..6
        if qualifier == "next" or (
            qualifier in {None, "this", "coming"} and clause_tense(context) == "future"
        ):
            days = delta if delta else (7 if qualifier == "next" else 0)
        elif qualifier == "last":
            days = -((published.weekday() - target) % 7 or 7)
        else:
            days = -((published.weekday() - target) % 7)
        return (published + dt.timedelta(days=days)).isoformat()
    if low in {"this year", "the year"}:
        return f"{published.year:04d}"
    if low == "last year":
        return f"{published.year - 1:04d}"
    if low == "next year":
        return f"{published.year + 1:04d}"
    if low in {"this month", "the month", "later this month", "earlier this month"}:
        return f"{published.year:04d}-{published.month:02d}"
    if low in {"last month"}:
        first = published.replace(day=1) - one_day
        return f"{first.year:04d}-{first.month:02d}"
    if low in {"next month"}:
        nxt = (published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return f"{nxt.year:04d}-{nxt.month:02d}"
    m = re.fullmatch(
        r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3}) "
        r"(day|week|month|year)s? ago",
        low,
    )
    if m:
        n = parse_number(m.group(1))
        if n is None:
            return None
        count = int(n)
        unit = m.group(2)
        if unit == "day":
            return (published - dt.timedelta(days=count)).isoformat()
        if unit == "week":
            return (published - dt.timedelta(days=7 * count)).isoformat()
        if unit == "month":
            index = published.year * 12 + published.month - 1 - count
            return f"{index // 12:04d}-{index % 12 + 1:02d}"
        return f"{published.year - count:04d}"  # "a year ago": that year
    m = re.fullmatch(r"(?:(?:earlier|later|early|late) )?(last|this|next) week", low)
    if m:
        shift = {"last": -7, "this": 0, "next": 7}[m.group(1)]
        year, week, _ = (published + dt.timedelta(days=shift)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    return _bare_month(low, published, context)


_BARE_MONTH = re.compile(
    r"(?:(?:early|late|mid-?|the (?:end|start|beginning|middle) of)\s*)?"
    r"(?:(last|this|next)\s+)?([a-z]+)\.?(?:,?\s+(last|this|next) year)?"
)


def _bare_month(low: str, published: dt.date, context: str) -> str | None:
    """ "In December" in a story published in February: last December when the clause is
    in the past, next when in the future, else the nearer one ("2013-12")."""
    m = _BARE_MONTH.fullmatch(low)
    if not m or m.group(2) not in MONTHS:
        return None
    month = MONTHS[m.group(2)]
    year = published.year
    if m.group(3):  # "December last year"
        year += {"last": -1, "this": 0, "next": 1}[m.group(3)]
        return f"{year:04d}-{month:02d}"
    qualifier = m.group(1)
    if qualifier == "this" or (month == published.month and qualifier is None):
        return f"{year:04d}-{month:02d}"
    ahead = (month - published.month) % 12  # months until the next one
    behind = (published.month - month) % 12  # months since the last one
    if qualifier == "last":
        direction = "past"
    elif qualifier == "next":
        direction = "future"
    else:
        direction = clause_tense(context) or ""
        if not direction:
            if ahead == behind:
                return None
            direction = "future" if ahead < behind else "past"
    if direction == "future":
        index = year * 12 + published.month - 1 + (ahead or 12)
    else:
        index = year * 12 + published.month - 1 - (behind or 12)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_CLOCK = re.compile(
    r"(\d{1,2})(?::|\.)(\d{2})\s*(a\.?m\.?|p\.?m\.?)?|(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)", re.I
)


def resolve_time(text: str) -> str | None:
    """ "10:28", "3 p.m.", "3:30pm" -> "HH:MM" (24 h); vaguer times give None."""
    low = text.lower()
    if low.strip() in {"noon", "midday"}:
        return "12:00"
    if low.strip() == "midnight":
        return "00:00"
    m = _CLOCK.search(low)
    if not m:
        return None
    if m.group(1):
        hour, minute, ampm = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        hour, minute, ampm = int(m.group(4)), 0, m.group(5)
    if ampm:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"
