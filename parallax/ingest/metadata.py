"""Metadata found in article text: dates, wire agencies, bylines, outlets, language.

These are general rules for how news pages write their metadata (date lines with a label,
"By ..." bylines, wire credits in parentheses, outlet names in URLs and file names), not
rules for particular files.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

# canonical agency name -> spellings (matched case-insensitively on word boundaries, except
# the short all-caps codes, which must be upper case so "ap" in prose is not the AP).
WIRES: dict[str, tuple[str, ...]] = {
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "AP": ("Associated Press", "AP"),
    "Reuters": ("Thomson Reuters", "Reuters"),
    "Yonhap": ("Yonhap News Agency", "Yonhap News", "Yonhap", "연합뉴스"),
    "Xinhua": ("Xinhua News Agency", "Xinhua", "新华社", "新華社", "신화통신", "신화사"),
    "Kyodo": ("Kyodo News", "Kyodo", "共同通信", "교도통신"),
    "dpa": ("Deutsche Presse-Agentur", "Deutsche Presse Agentur", "dpa", "DPA"),
    "ANSA": ("Agenzia Nazionale Stampa Associata", "ANSA"),
    "EFE": ("Agencia EFE", "EFE"),
    "UPI": ("United Press International", "UPI"),
    "Bloomberg": ("Bloomberg News", "Bloomberg"),
    "PA": ("Press Association", "PA Media", "PA"),
}
_SHORT_CODES = {"AFP", "AP", "dpa", "DPA", "ANSA", "EFE", "UPI", "PA"}
_WIRE_LOOKUP: dict[str, str] = {
    spelling.lower(): canon for canon, spellings in WIRES.items() for spelling in spellings
}

_WIRE_ALTS = "|".join(
    sorted((re.escape(s) for spellings in WIRES.values() for s in spellings), key=len, reverse=True)
)
_PAREN_WIRE = re.compile(rf"\((?:{_WIRE_ALTS})\)", re.IGNORECASE)
# "(Yonhap)", and the Korean/Chinese credit form "(서울=연합뉴스)" = "(Seoul=Yonhap)".
_TRAILING_WIRE = re.compile(
    rf"\s*\((?:[^()=\n]{{1,20}}=\s*)?(?P<wire>{_WIRE_ALTS})\)\s*$", re.IGNORECASE
)
# "SEOUL, Feb. 13 (Yonhap) -- ", "WASHINGTON (Reuters) - ", "PARIS (AFP) — "
_DATELINE = re.compile(
    rf"^(?P<dateline>[A-Z][A-Za-z0-9 .,'’-]{{1,60}}?\s*\((?P<wire>{_WIRE_ALTS})\)\s*(?:--|[-–—:])\s*"
    # Korean: "(서울=연합뉴스) 신용배 기자 = " (city=agency, then the reporter)
    rf"|\((?:[^()=\n]{{1,20}}=\s*)(?P<wire2>{_WIRE_ALTS})\)\s*(?:(?P<reporter>[가-힣]{{2,4}})\s*"
    rf"(?:기자|특파원)\s*)?=?\s*)"
)


def wire_name(text: str | None) -> str | None:
    """The canonical agency name if `text` (a byline or credit) *is* a wire service."""
    if not text:
        return None
    cleaned = re.sub(r"^(?:by|from)\s+", "", text.strip(), flags=re.IGNORECASE).strip(" .,-–—()")
    canon = _WIRE_LOOKUP.get(cleaned.lower())
    if canon is None:
        return None
    if cleaned in _SHORT_CODES or cleaned.upper() == cleaned or len(cleaned) > 4:
        return canon
    return None


def trailing_wire(text: str) -> re.Match[str] | None:
    """Match a wire credit like " (Yonhap)" closing a paragraph."""
    match = _TRAILING_WIRE.search(text)
    if match and wire_name(match.group("wire")):
        return match
    return None


def leading_dateline(text: str) -> re.Match[str] | None:
    """Match a wire dateline like "SEOUL, Feb. 13 (Yonhap) -- " opening a paragraph.

    The wire is in group "wire" (or "wire2" for the Korean "(서울=연합뉴스)" form, which may
    also name the "reporter"); see `dateline_wire`.
    """
    match = _DATELINE.match(text)
    if match and wire_name(dateline_wire(match)):
        return match
    return None


def dateline_wire(match: re.Match[str]) -> str:
    """The agency named by a `leading_dateline` match."""
    return match.group("wire") or match.group("wire2") or ""


# -- bylines ------------------------------------------------------------------------------

_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by|von|par|por)\s*[:：]?\s+(?P<name>\S.{0,99})$",
    re.IGNORECASE,
)


_KO_BYLINE = re.compile(r"^(?P<name>[가-힣]{2,4})\s*(?:기자|특파원|선임기자|논설위원)$")


def parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """Split a byline into (author, agency); None if `line` is not a byline.

    "By Agence France-Presse" is an agency, not an author; "By Jane Doe, AFP" or
    "By Jane Doe (AP)" are both.
    """
    korean = _KO_BYLINE.match(line.strip())
    if korean:
        return korean.group("name"), None  # "신용배 기자" (reporter Shin Yong-bae)
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    name = match.group("name").strip().rstrip(".")
    if len(name.split()) > 8 or re.search(r"[.!?]\s", name):
        return None
    agency = wire_name(name)
    if agency:
        return None, agency
    parts = re.split(
        r"\s*(?:,|\||/|\band\b(?=\s+(?:the\s+)?(?:" + _WIRE_ALTS + r")\b))\s*|\s*\(", name
    )
    author_parts: list[str] = []
    for part in parts:
        part = part.strip(" ()")
        if not part:
            continue
        found = wire_name(part)
        if found:
            agency = agency or found
        elif not re.fullmatch(
            r"(?i)(staff|correspondent|reporter|editor|senior .*|.*correspondent|.*writer)", part
        ):
            author_parts.append(part)
    author = ", ".join(author_parts) or None
    if author and author.isupper() and re.fullmatch(r"[A-Z .,'’-]+", author):
        author = author.title()  # "By MATTHEW LEE" (wire style) -> "Matthew Lee"
    return author, agency


# -- dates --------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_MONTH_RE = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# Named zones that are unambiguous enough to trust (not "CST", "IST", "ET").
ZONES: dict[str, str] = {
    "KST": "+09:00",
    "JST": "+09:00",
    "HKT": "+08:00",
    "SGT": "+08:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "BST": "+01:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
}
_ZONE_RE = r"Z|UTC|GMT|[+-]\d{2}:?\d{2}|" + "|".join(ZONES)
_TIME_RE = re.compile(
    r"^\s*(?:[,|@–—-]|\bat\b|T)?\s*(?P<h>\d{1,2})(?:[:h]|\.(?=\d{2}\s*(?:[ap]\.?\s?m\b|"
    + _ZONE_RE
    + r")))(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*(?P<tz>(?:" + _ZONE_RE + r")\b)?",
    re.IGNORECASE,
)
# A time written before the date: "Updated 10:28 AM ET, Thu February 13, 2014".
_TIME_BEFORE = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?P<tz>(?:" + _ZONE_RE + r")\b)?",
    re.IGNORECASE,
)
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])")),
    ("ymd", re.compile(r"\b(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})\b")),
    (
        "cjk",
        re.compile(r"(?P<y>\d{4})\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]"),
    ),
    ("num", re.compile(r"\b(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})\b")),
    (
        "mdy",
        re.compile(
            rf"\b{_MONTH_RE}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE},?\s+(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
)
_DATE_LABEL = re.compile(
    r"^(?:last\s+)?(?:updated|update|published|posted|modified|created|first published|"
    r"date|dated|issued|released|입력|수정|기사입력|更新|公開)\s*(?:on|at)?\s*[:：]?\s*",
    re.IGNORECASE,
)


def _tz(value: str | None) -> timezone | None:
    if not value:
        return None
    if value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    value = ZONES.get(value.upper(), value)
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", value)
    if not m:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)


def parse_date(text: str | None) -> str | None:
    """Find a date (and time) in `text` and return it as ISO 8601, or None.

    Numeric dates are read month-first ("02/13/2014") unless the first number cannot be a
    month; a time right after the date is kept, with its zone when one is written.
    """
    if not text:
        return None
    text = text.strip()[:300]
    try:
        if re.match(r"^[A-Za-z]{3},\s+\d", text):
            return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for kind, pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        try:
            year = int(groups["y"])
            if kind == "num":
                a, b = int(groups["a"]), int(groups["b"])
                month, day = (b, a) if a > 12 else (a, b)
            elif kind in ("mdy", "dmy"):
                key = groups["mon"].lower().rstrip(".")
                month, day = _MONTHS.get(key) or _MONTHS[key[:3]], int(groups["d"])
            else:
                month, day = int(groups["m"]), int(groups["d"])
            if not 1800 <= year <= 2200:
                continue
            stamp = datetime(year, month, day)
        except (KeyError, ValueError):
            continue
        tmatch = _TIME_RE.match(text[match.end() : match.end() + 40]) or _TIME_BEFORE.search(
            text[: match.start()]
        )
        if tmatch:
            try:
                hour, minute = int(tmatch.group("h")), int(tmatch.group("mi"))
                second = int(tmatch.group("s") or 0)
                ampm = (tmatch.group("ampm") or "").lower().replace(".", "").replace(" ", "")
                if ampm == "pm" and hour < 12:
                    hour += 12
                elif ampm == "am" and hour == 12:
                    hour = 0
                stamp = stamp.replace(
                    hour=hour, minute=minute, second=second, tzinfo=_tz(tmatch.group("tz"))
                )
                return stamp.isoformat()
            except ValueError:
                pass
        return stamp.date().isoformat()
    return None


def date_line(line: str) -> tuple[str, str, bool] | None:
    """If `line` is a date line ("Updated: 02/13/2014 10:28"), return (iso, raw, is_update).

    A bare date counts only when the line is short, so prose mentioning a date is not
    mistaken for metadata.
    """
    stripped = line.strip()
    label = _DATE_LABEL.match(stripped)
    if label:
        iso = parse_date(stripped[label.end() :])
        if iso:
            is_update = bool(re.match(r"(?i)(last\s+)?(updated?|modified|수정|更新)", stripped))
            return iso, stripped, is_update
        return None
    if len(stripped) <= 40 and len(stripped.split()) <= 7:
        iso = parse_date(stripped)
        if iso and not re.search(
            r"[a-z]{4,}\s+[a-z]{4,}", re.sub(_MONTH_RE, "", stripped, flags=re.I)
        ):
            return iso, stripped, False
    return None


# -- outlets ------------------------------------------------------------------------------

KNOWN_OUTLETS: dict[str, str] = {
    "koreaherald": "The Korea Herald",
    "koreatimes": "The Korea Times",
    "joongang": "JoongAng Daily",
    "chosun": "The Chosun Ilbo",
    "nytimes": "The New York Times",
    "washingtonpost": "The Washington Post",
    "theguardian": "The Guardian",
    "guardian": "The Guardian",
    "bbc": "BBC",
    "cnn": "CNN",
    "aljazeera": "Al Jazeera",
    "straitstimes": "The Straits Times",
    "japantimes": "The Japan Times",
    "scmp": "South China Morning Post",
    "wsj": "The Wall Street Journal",
    "ft": "Financial Times",
    "channelnewsasia": "CNA",
    "abc": "ABC News",
    "nknews": "NK News",
    "foxnews": "Fox News",
    "huffingtonpost": "HuffPost",
    "huffpost": "HuffPost",
    "usatoday": "USA Today",
    "latimes": "Los Angeles Times",
    "npr": "NPR",
    # short dataset codes (BASIL: "fox", "nyt", "hpo")
    "fox": "Fox News",
    "nyt": "The New York Times",
    "hpo": "HuffPost",
}
OUTLET_WORDS = re.compile(
    r"\b(herald|times|post|news|journal|daily|tribune|guardian|telegraph|gazette|chronicle|"
    r"observer|express|mail|star|standard|review|monitor|today|week|weekly|magazine|wire|"
    r"insider|ilbo|shimbun|sinmun|online|press|independent|economist|reporter|bulletin)\b",
    re.IGNORECASE,
)


def squash(text: str) -> str:
    """Lower-case letters and digits only: "The Korea Herald" -> "koreaherald" (no "the")."""
    text = re.sub(r"^\s*the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"[\W_]+", "", text.lower())


def source_from_url(url: str | None) -> str | None:
    """An outlet name from a URL's host ("www.koreaherald.com" -> "The Korea Herald")."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    labels = [
        x
        for x in host.lower().split(".")
        if x and x not in ("www", "m", "amp", "mobile", "news", "edition")
    ]
    if len(labels) < 2:
        return None
    core = (
        labels[-3]
        if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac")
        else labels[-2]
    )
    return KNOWN_OUTLETS.get(core, host.removeprefix("www."))


def source_from_name(name: str) -> str | None:
    """An outlet from a file name shaped like "{agency}-{outlet}-{date}-{slug}".

    Only names that carry a date are trusted, and only the tokens before the date that are
    not a wire agency; anything else is too ambiguous to call a source.
    """
    stem = re.split(r"[\\/]", name)[-1].rsplit(".", 1)[0].lower()
    match = re.search(r"(?:^|[-_ ])(\d{4}[-_]?\d{2}[-_]?\d{2})(?:[-_ ]|$)", stem)
    if not match:
        return None
    tokens = [t for t in re.split(r"[-_ ]+", stem[: match.start()]) if t]
    outlets = [t for t in tokens if t not in _WIRE_LOOKUP and not t.isdigit()]
    if not outlets:
        return None
    token = outlets[0]
    return KNOWN_OUTLETS.get(token, token)


def hint_matches_outlet(line: str, hints: list[str]) -> bool:
    """True if an outlet-like `line` is named by a URL/file name hint ("koreaherald")."""
    key = squash(line)
    return len(key) >= 3 and any(key in squash(h) for h in hints if h)


# -- language -----------------------------------------------------------------------------

_EN_WORDS = frozenset(
    re.findall(r"\w+", "the of and to in a is that for on was with said by as it at from")
)


_SCRIPTS: dict[str, re.Pattern[str]] = {
    "ko": re.compile("[\uac00-\ud7a3]"),
    "ja": re.compile("[\u3040-\u30ff]"),
    "zh": re.compile("[\u4e00-\u9fff]"),
    "ru": re.compile("[\u0400-\u04ff]"),
    "ar": re.compile("[\u0600-\u06ff]"),
    "latin": re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]"),
}


def guess_language(text: str) -> str | None:
    """A cheap script-and-stopword guess ("en", "ko", "ja", "zh", ...), or None.

    Good enough to label captures; metadata from front matter, JSON or feeds wins over it.
    """
    sample = text[:5000]
    # One C-level regex count per script (a Python loop per character dominated ingest).
    counts = {lang: len(pattern.findall(sample)) for lang, pattern in _SCRIPTS.items()}
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < 20:
        return None
    if best == "zh" and counts["ja"] > counts["zh"] // 10:
        return "ja"
    if best != "latin":
        return best
    words = re.findall(r"[a-z]+", sample.lower())
    if words and sum(w in _EN_WORDS for w in words) / len(words) > 0.12:
        return "en"
    return None
