"""Entity spans between the model and the keys, and the rules that fix numeric ones.

The model's DATE, MONEY, PERCENT, QUANTITY and CARDINAL spans feed the figure comparison,
where a wrong span is a wrong fact: "2.8 per cent" read as money (the model tags it MONEY
and "cent" looks like a currency), "3.5 trillion won" cut before its currency and tagged
QUANTITY, "US$20m and £5.2 billion" as one amount, "The days are long gone" as a date, an
age ("the 45-year-old") as a date, "six" in "six-party talks" as a count of something.
The rules here are pure string work on the model's input text (same offsets as the body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Ent:
    """One entity span while rules work on it (offsets into the body)."""

    start: int
    end: int
    label: str


_PERCENT_WORDS = re.compile(r"\b(?:per\s?cent|percent|pct)\b|%", re.I)
_PERCENT_AFTER = re.compile(r"[ \t]*(?:per[ \t]?cent|percent|pct)\b|%", re.I)
# Currency words that follow an amount ("3.5 trillion won", "20 million yuan"). Not
# "pounds" or "cents": "5 pounds" is as often a weight, "cents" a part of a dollar the
# model already tags.
_CURRENCY_AFTER = re.compile(
    r"[ \t]+(?:dollars?|euros?|yen|yuan|renminbi|rupees?|roubles?|rubles?|francs?|won)\b",
    re.I,
)
_SCALE_END = re.compile(
    r"(?:hundred|thousand|million|billion|trillion|mln|bln|bn|tn|\d{1,3}(?:,\d{3})+)$", re.I
)
_AMOUNT_SPLIT = re.compile(r",?\s+(?:and|or)\s+|,\s+")
_RANGE_START = re.compile(r"\b(?:between|from)\s", re.I)
_HAS_CURRENCY = re.compile(
    r"(?:us|a|c|hk|s|nz)?\$|[€£¥₩₹₽]|\b(?:dollars?|euros?|pounds?|sterling|yen|yuan|won|"
    r"rupees?|rubles?|roubles?|francs?)\b",
    re.I,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_DAY = re.compile(rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTHS}", re.I)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_DATE_CORE = re.compile(
    rf"(?:(?:{_MONTH_DAY.pattern})(?:,?\s+(?:1[5-9]|20)\d\d)?|(?:1[5-9]|20)\d\d)(?=\s)", re.I
)
_DATE_WORDS = re.compile(
    rf"^(?:{_MONTHS}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|day|eve|night|ad|bc|ce|bce)\b",
    re.I,
)
# "The days are long gone", "the years": a generic time, not a date.
_VAGUE_DATE = re.compile(r"(?:the\s+)(?:days|weeks|months|years|decades)", re.I)
_FREQUENCY = re.compile(
    r"(?:bi-?|semi-?)?(?:annual(?:ly)?|daily|weekly|monthly|yearly|quarterly|nightly|hourly|"
    r"biennial|annum)",
    re.I,
)
_AGE = re.compile(
    r"(?:the\s+)?(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]old|aged\s+\d{1,3}", re.I
)
_COMPOUND_AFTER = re.compile(r"-[^\W\d_]")


def date_overrun(text: str) -> int | None:
    """Where a DATE span that runs on into a name should end ("February 12, 2014 Kerry"
    -> after "2014"), or None when it does not. The model does this where a caption or
    dateline has no punctuation between a date and the next sentence."""
    m = _DATE_CORE.match(text)
    if not m:
        return None
    rest = text[m.end() :].lstrip()
    if not rest[:1].isupper() or _DATE_WORDS.match(rest):
        return None  # "February 12 Eve"-like names and "Feb. 13, 2014 - 09:09" stay
    return m.end()


def fix_figures(text: str, ents: list[Ent]) -> list[Ent]:
    """The numeric spans corrected (`ents` sorted by start; returns a new sorted list)."""
    out: list[Ent] = []
    for e in ents:
        label = e.label
        if label not in {"DATE", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "TIME"}:
            out.append(e)
            continue
        span = text[e.start : e.end]
        if label == "DATE":
            cut = date_overrun(span)
            if cut is not None:
                e.end = e.start + cut
                span = text[e.start : e.end]
            if _VAGUE_DATE.fullmatch(span) or _FREQUENCY.fullmatch(span):
                continue
            if _AGE.fullmatch(span):
                e.label = "CARDINAL"  # an age: comparable as a number, not a date
        elif label in {"MONEY", "QUANTITY", "CARDINAL"}:
            if _PERCENT_WORDS.search(span):
                e.label = "PERCENT"  # "2.8 per cent" is not 2.8 hundredths of a dollar
            elif label != "MONEY" and (m := _PERCENT_AFTER.match(text, e.end)):
                e.end, e.label = m.end(), "PERCENT"  # "2.8" + " per cent"
            elif (label != "MONEY" and _currency_follows(text, e)) or (
                label == "QUANTITY"
                and _HAS_CURRENCY.search(span)
                and not re.search(r"\bpounds?\b", span, re.I)
            ):
                e.label = "MONEY"
            elif label == "CARDINAL" and _COMPOUND_AFTER.match(text, e.end):
                continue  # "six-party talks": part of a name, not a count
        if e.label == "MONEY":
            out.extend(_split_amounts(text, e))
            continue
        out.append(e)
    return _merge_dates(text, out)


def _currency_follows(text: str, e: Ent) -> bool:
    """ "3.5 trillion" + " won": extends `e` over the currency word when one follows."""
    m = _CURRENCY_AFTER.match(text, e.end)
    if not m:
        return False
    if m.group().strip().lower() == "won" and not _SCALE_END.search(text[e.start : e.end]):
        return False  # "3 won" is more likely a verb than three Korean won
    e.end = m.end()
    return True


def _split_amounts(text: str, e: Ent) -> list[Ent]:
    """ "US$20m and £5.2 billion": two amounts, each with its own currency."""
    span = text[e.start : e.end]
    if _RANGE_START.search(text, max(0, e.start - 9), e.start + 8):
        return [e]  # "between $10 million and $12 million": one (vague) amount
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _AMOUNT_SPLIT.finditer(span):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(span)))
    if len(pieces) < 2 or not all(
        re.search(r"\d", span[a:b]) and _HAS_CURRENCY.search(span[a:b]) for a, b in pieces
    ):
        return [e]
    return [Ent(e.start + a, e.start + b, "MONEY") for a, b in pieces]


def _merge_dates(text: str, ents: list[Ent]) -> list[Ent]:
    """ "February 12" + ", " + "2014" tagged apart: one date."""
    out: list[Ent] = []
    for e in ents:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label == e.label == "DATE"
            and re.fullmatch(r",?[ \t]?", text[prev.end : e.start])
            and _MONTH_DAY.fullmatch(text[prev.start : prev.end])
            and _YEAR.fullmatch(text[e.start : e.end])
        ):
            prev.end = e.end
            continue
        out.append(e)
    return out
