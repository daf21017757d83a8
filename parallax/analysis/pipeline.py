"""From body text to `Analysis`: the model's entities, corrected, keyed, with figures.

The model (spaCy's small English pipeline) is good but makes mistakes that matter to a
news reader and that simple rules fix: it puts titles into names ("Secretary of State
John Kerry"), runs entities across headline line breaks, gives the same name different
labels within one story, reads shouted headlines as one big name, and tags a surname
("Kerry") as a place. Each rule below is measured in `benchmarks/ner_conll.py`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from parallax.analysis.figures import FIGURE_KIND, normalize_figure, parse_published
from parallax.analysis.identity import (
    AliasTable,
    entity_key,
    key_class,
    normalize_name,
    person_name,
)
from parallax.analysis.quotes import SPEECH_VERBS, extract_quotes, gender_of
from parallax.analysis.spans import Ent as _Ent
from parallax.analysis.spans import fix_figures
from parallax.analysis.text import model_text, split_sentences
from parallax.model import Analysis, Entity, Figure, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def _words(text: str) -> list[str]:
    """A word list written as one string (long lists stay readable)."""
    return text.split()


NAMED = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "PRODUCT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
NUMERIC = frozenset(FIGURE_KIND)

# Words that precede a name without being part of it.
TITLES = frozenset(
    [
        "president",
        "vice",
        "secretary",
        "minister",
        "prime",
        "foreign",
        "defense",
        "defence",
        "state",
        "of",
        "the",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "maj",
        "capt",
        "captain",
        "adm",
        "admiral",
        "sgt",
        "sergeant",
        "cpl",
        "corporal",
        "pvt",
        "chancellor",
        "premier",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "judge",
        "justice",
        "mayor",
        "ambassador",
        "envoy",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "coach",
        "manager",
        "analyst",
        "professor",
        "prof",
        "rev",
        "reverend",
        "sheikh",
        "ayatollah",
        "cardinal",
        "bishop",
        "archbishop",
        "chief",
        "leader",
        "former",
        "late",
        "deputy",
        "acting",
        "u.s.",
        "us",
        "uk",
        "u.k.",
        "assistant",
        "undersecretary",
        "commissioner",
        "inspector",
        "detective",
        "officer",
        "lawmaker",
        "congressman",
        "congresswoman",
        "dame",
        "lord",
        "lady",
        "emperor",
        "empress",
        "director",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "skipper",
        "champion",
        "president-elect",
        "pm",
        "father",
        "rabbi",
        "imam",
        "pastor",
        "sir",
    ]
)
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>,;:!?*_#|`~-–—•·/\\"
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_SECRETARY_OF = re.compile(r"(?:secretary|minister|department|ministry)\s+of\s+(?:the\s+)?$", re.I)


def clean_entities(
    body: str,
    prepared: str,
    spans: Iterable[tuple[int, int, str]],
    aliases: AliasTable | None = None,
) -> list[_Ent]:
    """The model's spans after the boundary and label rules (offsets into `body`).

    `aliases` (the alias table) tells which parts of a hyphenated compound are places
    ("South Korea-US"); without it only the article's own place names do.
    """
    out: list[_Ent] = []
    for start, end, label in spans:
        for seg_start, seg_end in _split_lines(prepared, start, end):
            ent = _clean_one(body, prepared, seg_start, seg_end, label)
            if ent is not None:
                out.append(ent)
    out.sort(key=lambda e: (e.start, -e.end))
    merged: list[_Ent] = []
    for ent in out:
        if merged and ent.start < merged[-1].end:
            continue  # overlapping pieces: keep the first, longest
        merged.append(ent)
    merged = fix_figures(prepared, merged)
    merged = _split_compounds(prepared, merged, aliases)
    _consistent_labels(body, merged)
    ents = _korean_names(prepared, merged)
    _speakers_are_people(prepared, ents)
    return _propagate_names(prepared, ents)


# Korean surnames as romanised in news copy: "Paik Hak-Soon", "Min Kyung-wook".
_KOREAN_SURNAMES = (
    "Kim Lee Yi Rhee Park Pak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang Lim Im "
    "Han Oh Seo Suh Shin Kwon Hwang Ahn Song Yoo Yu Ryu Hong Jeon Jun Chun Ko Go Moon Mun Yang "
    "Son Sohn Bae Baek Paik Heo Huh Nam Noh Roh Ha Kwak Sung Cha Joo Ju Woo Koo Ku Min Na Jin "
    "Ji Eom Chae Won Bang Kong Hyun Ham Yeo Ban Pyo Byun Byeon Gil Seong Maeng Tak Ryoo Ok"
)
_KOREAN_SURNAME = rf"(?:{'|'.join(_KOREAN_SURNAMES.split())})"
_KOREAN_NAME = re.compile(
    rf"(?<![\w-]){_KOREAN_SURNAME} [A-Z][a-z]{{1,5}}-[a-zA-Z][a-z]{{1,5}}(?![\w-])"
)
# "Park Geun hye": the given name's second syllable written apart, in lower case. Only
# used to widen a name the model already took for a person ("Park Geun"), and only with
# a syllable that is not an English word ("Park Geun won the vote").
_KOREAN_SPACED = re.compile(
    rf"(?<![\w-]){_KOREAN_SURNAME} [A-Z][a-z]{{1,5}} "
    r"((?:[bcdghjkmnprstwy]|ch|kk|pp|ss|tt|jj|sh)?"
    r"(?:yeo|yae|wa|wo|we|wi|ya|yo|yu|ye|eo|eu|ae|oe|ui|ee|oo|a|e|i|o|u)(?:ng|n|m|k|l|p|t)?)"
    r"(?![\w-])"
)
_ENGLISH_SYLLABLES = frozenset(
    _words(
        "a an and as at be by do go he in is it me my no of oh ok on or so to up us we "
        "won son man men can pan ban tan yet bet get let met net pet set wet hit sit pit kit "
        "hot pot not got dot lot cut but nut put hut jet ten den hen pen men sun run gun bun "
        "dun nun pun tun bit yes ye wo ya yo hi ha ho ma pa mo pu tu ku bo wan won nor"
    )
)


def _korean_names(prepared: str, ents: list[_Ent]) -> list[_Ent]:
    """Korean names the model misses, cuts or mislabels ("Paik Hak-Soon, an analyst"
    found as a work of art): a known surname, then a hyphenated given name, is a person."""
    added: list[_Ent] = []
    for m in _KOREAN_NAME.finditer(prepared):
        if m.group().rsplit("-", 1)[1].lower() in _NOT_NAME_TAILS:
            continue
        overlapping = [e for e in ents if e.start < m.end() and m.start() < e.end]
        if overlapping:
            for e in overlapping:  # widen a cut name ("Min Kyung") to the whole of it
                if m.start() <= e.start and e.end <= m.end() and e.label in NAMED:
                    e.start, e.end, e.label = m.start(), m.end(), "PERSON"
            continue
        added.append(_Ent(m.start(), m.end(), "PERSON"))
    for m in _KOREAN_SPACED.finditer(prepared):
        if m.group(1) in _ENGLISH_SYLLABLES:
            continue
        for e in ents:
            if e.label == "PERSON" and e.start == m.start() and e.end == m.start(1) - 1:
                e.end = m.end()
    if not added:
        return ents
    return sorted([*ents, *added], key=lambda e: e.start)


# A name right before or after a speech verb is a person, whatever the model guessed
# ("Paik Hak-Soon said" tagged a work of art). Only weak labels are overridden: "the
# State Department said" is a body, "Seoul said" a government.
_RELABEL_SPEAKER = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})
_VERB_AFTER = re.compile(rf"[ \t]+(?:also[ \t]+)?(?:{SPEECH_VERBS})\b")
_VERB_BEFORE = re.compile(r"\b(?:said|says|added|adds|asked|wrote|told)[ \t]+$")
_NAME_WORDS = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}")


def _speakers_are_people(prepared: str, ents: list[_Ent]) -> None:
    for e in ents:
        if e.label not in _RELABEL_SPEAKER or not _NAME_WORDS.fullmatch(prepared[e.start : e.end]):
            continue
        if _VERB_AFTER.match(prepared, e.end) or _VERB_BEFORE.search(
            prepared, max(0, e.start - 12), e.start
        ):
            e.label = "PERSON"


_CAP_WORD = re.compile(r"[A-Z][\w'’]*")
_WORDS = re.compile(r"(?<![\w-])[\w-]+")


def _headline(text: str, pos: int) -> bool:
    """Is `pos` on a title-cased line ("Kerry Arrives in Seoul"), where capitals say nothing?"""
    line_start = text.rfind("\n", max(0, pos - 200), pos) + 1
    line_end = text.find("\n", pos, pos + 200)
    if (line_start == 0 and pos > 200) or (line_end < 0 and pos + 200 < len(text)):
        return False  # a line this long is prose, not a headline
    words = re.findall(
        r"[^\W\d_][\w'’-]*", text[line_start : line_end if line_end >= 0 else len(text)]
    )
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 2 and all(w[0].isupper() for w in long_words) and len(words) <= 15


def _propagate_names(prepared: str, ents: list[_Ent]) -> list[_Ent]:
    """Find the mentions the model missed of names it found elsewhere in the same article.

    The model labels a name in one sentence and misses it in the next ("Real Madrid"),
    and it rarely finds a bare surname in a headline ("KERRY ARRIVES IN SEOUL" when the
    story names John Kerry). A capitalised occurrence of a name (or of a full name's
    surname) the article already has becomes an entity with that name's label, when it
    stands alone (not inside a longer capitalised name) and, for single words, when the
    article never uses the word in lower case ("Park", "Young").
    """
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for e in ents:
        if e.label not in NAMED:
            continue
        text = prepared[e.start : e.end]
        words = text.split()
        if not words or not all(w[:1].isupper() for w in words):
            continue
        if len(text) > 2 and not any(ch.isdigit() for ch in text):
            names[text][e.label] += 1
        if e.label == "PERSON" and len(words) >= 2:
            surname = words[0] if len(words) == 2 and "-" in words[1] else words[-1]
            if len(surname) > 2 and surname.isalpha():
                names[surname]["PERSON"] += 1  # Korean order: "Park Geun-hye" -> "Park"
    if not names:
        return ents
    # single words also used in lower case are ordinary words here ("park", "young")
    lower_words = {w for w in _WORDS.findall(prepared) if w.islower()}
    usable = [n for n in names if " " in n or n.lower() not in lower_words]
    if not usable:
        return ents
    taken = bytearray(len(prepared))
    for e in ents:
        taken[e.start : e.end] = b"\x01" * (e.end - e.start)
    by_first: dict[str, list[str]] = defaultdict(list)
    for name in sorted(usable, key=len, reverse=True):
        by_first[name.split(" ", 1)[0]].append(name)
    added: list[_Ent] = []
    for m in _CAP_WORD.finditer(prepared):
        start = m.start()
        if start and (prepared[start - 1].isalnum() or prepared[start - 1] in "_-"):
            continue
        word = m.group()
        candidates = by_first.get(word) or by_first.get(re.split("['’]", word)[0]) or []
        for name in candidates:  # longest first
            end = start + len(name)
            if prepared.startswith(name, start) and (
                end == len(prepared) or not (prepared[end].isalnum() or prepared[end] in "_-")
            ):
                break
        else:
            continue
        if any(taken[start:end]):
            continue
        if not _headline(prepared, start) and not _stands_alone(prepared, start, end):
            continue
        taken[start:end] = b"\x01" * (end - start)
        added.append(_Ent(start, end, names[name].most_common(1)[0][0]))
    if not added:
        return ents
    return sorted([*ents, *added], key=lambda e: e.start)


def _stands_alone(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", max(0, start - 60), start) + 1
    before = text[max(line_start, start - 60) : start]
    prev_word = re.search(r"(\S+)\s*$", before)
    if (
        prev_word
        and _CAP_WORD.fullmatch(prev_word.group(1))
        and not before.rstrip().endswith((".", ":"))
    ):
        return False  # part of a longer name or a title we do not know
    after = text[end : end + 30]
    return not (after[:1] == " " and _CAP_WORD.match(after[1:]))  # "Kerry Foundation"


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An entity never runs across a line break (headline into paragraph, caption...)."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            pieces.append((pos, end))
            return pieces
        pieces.append((pos, nl))
        pos = nl + 1


def _clean_one(body: str, prepared: str, start: int, end: int, label: str) -> _Ent | None:
    def trim() -> None:
        nonlocal start, end
        while start < end and (prepared[start].isspace() or prepared[start] in _EDGE_PUNCT):
            start += 1
        while end > start and (prepared[end - 1].isspace() or prepared[end - 1] in _EDGE_PUNCT):
            end -= 1
        # a sentence period is not part of a name, but "U.S." and "Co." keep theirs
        if end > start and prepared[end - 1] == "." and label in NAMED:
            word = prepared[start:end].split()[-1]
            if word.count(".") == 1 and len(word) > 4:
                end -= 1

    trim()
    if end <= start:
        return None
    if label in NAMED:
        text = prepared[start:end]
        m = _LEADING_THE.match(text)
        if m and end - start > m.end():
            start += m.end()
        text = prepared[start:end]
        m2 = _TRAILING_POSSESSIVE.search(text)
        if m2 and m2.start() > 0:
            end = start + m2.start()
        trim()
        if label in _NO_TRAILING_NUMBERS:
            end = _strip_trailing_numbers(prepared, start, end)
        if label == "PERSON":
            start = _strip_titles(prepared, start, end)
            end = _extend_hyphenated(prepared, end)
        text = body[start:end]
        if not _looks_like_name(text) or text.replace(".", "").upper() in _COMMON_ACRONYMS:
            return None
        if _SECRETARY_OF.search(prepared[max(0, start - 30) : start]) and " " not in text:
            return None  # "Secretary of State": a title, not the organisation "State"
    if end <= start:
        return None
    return _Ent(start, end, label)


# Abbreviations of common nouns that the model takes for bodies or places ("North Korea's
# IOU", "10:00 GMT", "EPS rose"): words, not names; none is an entity in CoNLL-2003's gold
# annotations, several are among the model's false positives there.
_COMMON_ACRONYMS = frozenset(
    _words(
        "IOU IOUS GMT UTC EST EDT PST PDT CST CDT BST CET EPS GDP GNP CEO CFO COO CTO VIP ATM "
        "DIY FAQ RSVP ASAP AWOL POW ICBM WMD UAV SUV MVP IPO PHD MBA DNA TV DVD "
        "AM PM"
    )
)
_HYPHEN_TAIL = re.compile(r"-([^\W\d_]{2,6})(?![\w-])")
_NOT_NAME_TAILS = frozenset(
    [
        "led",
        "backed",
        "based",
        "style",
        "like",
        "era",
        "born",
        "made",
        "run",
        "owned",
        "linked",
        "era",
        "type",
        "born",
        "class",
        "wing",
    ]
)


def _extend_hyphenated(text: str, end: int) -> int:
    """Korean given names are hyphenated and the tokenizer cuts them: "Min Kyung" + "-wook"."""
    m = _HYPHEN_TAIL.match(text, end)
    if m and m.group(1).lower() not in _NOT_NAME_TAILS:
        return m.end()
    return end


_NO_TRAILING_NUMBERS = frozenset({"PERSON", "GPE", "LOC", "NORP"})
_TRAILING_NUMBER = re.compile(r"(?:\s+[-+(]?\d[\d.,:/()-]*)+$")


def _strip_trailing_numbers(text: str, start: int, end: int) -> int:
    """A score or phone number after a name is not part of it: "Andrew Park 72"."""
    m = _TRAILING_NUMBER.search(text, start, end)
    return m.start() if m and m.start() > start else end


def _strip_titles(text: str, start: int, end: int) -> int:
    while True:
        m = re.match(r"\S+\s+", text[start:end])
        if not m:
            return start
        word = m.group().strip().lower()
        rest = text[start + m.end() : end]
        if word.rstrip(",") not in TITLES or not rest[:1].isupper():
            return start
        start += m.end()


def _looks_like_name(text: str) -> bool:
    """A named entity has a capital letter or a caseless script (Korean, Chinese...)."""
    if len(text) > 80:
        return False
    return any(ch.isalpha() and (ch.isupper() or ch.lower() == ch.upper()) for ch in text)


def _consistent_labels(body: str, ents: list[_Ent]) -> None:
    """One name, one label within an article: relabel the minority by majority vote."""
    groups: dict[str, list[_Ent]] = defaultdict(list)
    for e in ents:
        if e.label in NAMED:
            groups[normalize_name(body[e.start : e.end])].append(e)
    for members in groups.values():
        if len(members) < 2:
            continue
        counts = Counter(e.label for e in members).most_common()
        top, n = counts[0]
        if n * 2 > len(members):
            for e in members:
                e.label = top


_COMPASS = frozenset({"north", "south", "east", "west"})
_COMPOUND_LABELS = frozenset({"GPE", "LOC", "NORP", "ORG"})
_COMPOUND_PART = re.compile(r"[^-–]+")
_HYPHENS = re.compile(r"[-–]")


def _split_compounds(prepared: str, ents: list[_Ent], aliases: AliasTable | None) -> list[_Ent]:
    """ "South Korea-US drills", "North-South Korea talks": two places, not one.

    A hyphenated name is split when every part is a place on its own: a place the article
    names elsewhere, one the alias table knows, or a compass word ("North", resolved to
    the article's country later).
    """
    places = {
        normalize_name(prepared[e.start : e.end])
        for e in ents
        if e.label in {"GPE", "LOC"} and not _HYPHENS.search(prepared[e.start : e.end])
    }
    places = {p for p in places if p}

    def known(part: str) -> bool:
        if not part[:1].isupper():
            return False
        normal = normalize_name(part)
        if normal in _COMPASS or normal in places:
            return True
        hit = aliases.lookup(normal) if aliases is not None else None
        return hit is not None and hit[0] == "gpe"

    out: list[_Ent] = []
    for e in ents:
        text = prepared[e.start : e.end]
        if e.label in _COMPOUND_LABELS and _HYPHENS.search(text):
            parts = [(m.start(), m.end()) for m in _COMPOUND_PART.finditer(text)]
            if len(parts) >= 2 and all(known(text[a:b].strip()) for a, b in parts):
                for a, b in parts:
                    piece = text[a:b]
                    a += len(piece) - len(piece.lstrip())
                    b -= len(piece) - len(piece.rstrip())
                    out.append(_Ent(e.start + a, e.start + b, "GPE"))
                continue
        out.append(e)
    return out


# Labels whose one-word mention may be a surname of a person named in full in the
# article. The small model tags a surname it does not know as a body, a place or a
# nationality ("Alatas said" ORG, "Pelosi said" GPE); of the 92 one-word ORG, NORP and FAC
# mentions resolved to a full name on CoNLL-2003, 84 are people, and F1 drops by 0.016
# without them. A place is re-read as a person only outside place context (see
# `place_context`): "Washington and Seoul agreed", "talks in Jordan", a dateline.
_SURNAME_LABELS = frozenset(
    {"PERSON", "ORG", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|from|at|into|near|across|toward|towards|via|outside|inside|visit|visits|"
    r"visited|visiting|leave|leaves|left|reach|reached|arrive|arrived)\s+(?:the\s+)?$"
)
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w'’-]*)[ \t]$")
# After a name opening a line: a dateline ("MADRID 1996-12-06", "SEOUL, Feb. 13 (Yonhap)").
_DATELINE_AFTER = re.compile(
    r"[ \t]+\d|,[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d|[ \t]*\((?:AP|AFP|Reuters|Yonhap)\)"
)
_COORDINATION = re.compile(r",?\s+(?:and|or|&)\s+")


def place_context(prepared: str, ents: Sequence[_Ent], i: int) -> bool:
    """Does the text around `ents[i]` say it is a place or a body, whatever name it shares
    with a person? Coordinated with one ("Washington and Seoul", "Ford or GM"), after a
    preposition of place ("in Jordan"), inside a longer name ("Real Madrid"), or opening
    a dateline ("MADRID 1996-12-06", "SEOUL, Feb. 13")."""
    e = ents[i]
    kinds = {"GPE", "LOC"} if e.label in _PLACE_LABELS else {e.label}
    for j in (i - 1, i + 1):
        if 0 <= j < len(ents) and ents[j].label in kinds:
            a, b = (ents[j].end, e.start) if j < i else (e.end, ents[j].start)
            if 0 <= b - a <= 8 and _COORDINATION.fullmatch(prepared, a, b):
                return True
    line_start = prepared.rfind("\n", 0, e.start) + 1
    if not prepared[line_start : e.start].strip() and _DATELINE_AFTER.match(prepared, e.end):
        return True
    if _PLACE_BEFORE.search(prepared, max(0, e.start - 20), e.start):
        return True
    m = _NAME_BEFORE.search(prepared, max(0, e.start - 30), e.start)
    return m is not None and m.group(1).lower() not in TITLES  # "Real Madrid", not "Father Reese"


_CLASS_LABEL = {"person": "PERSON", "org": "ORG", "gpe": "GPE", "norp": "NORP"}
# Countries named by a compass word and a name: "the North" in a story about North and
# South Korea is North Korea. ("South Carolina" does not make "the South" a state.)
_COMPASS_COUNTRIES = frozenset(
    {
        "north korea",
        "south korea",
        "south africa",
        "south sudan",
        "north macedonia",
        "east timor",
        "east germany",
        "west germany",
        "north vietnam",
        "south vietnam",
        "north yemen",
        "south yemen",
        "south ossetia",
        "north cyprus",
        "northern ireland",
    }
)


def surname_of(text: str) -> str:
    """The normal surname of a full name: the last word, or the first in a Korean name
    written family name first ("Park Geun-hye", "Park Geun hye", "Kim Jong Un")."""
    stripped = text.strip()
    words = stripped.split()
    if (
        len(words) >= 2
        and re.fullmatch(_KOREAN_SURNAME, words[0])
        and (
            (len(words) == 2 and "-" in words[1])
            or _KOREAN_SPACED.fullmatch(stripped)
            or (len(words) == 3 and all(len(w) <= 5 and w[:1].isupper() for w in words[1:]))
        )
    ):
        return normalize_name(words[0])
    normal = person_name(normalize_name(stripped)).split()
    return normal[-1] if normal else ""


def gender_before(text: str, start: int) -> str | None:
    """ "m" or "f" when a title or word just before a name says ("Mr. Trump", "the first
    lady, Melania Trump", "spokeswoman Jen Psaki"), else None."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text[max(0, start - 24) : start])[-2:]]
    return gender_of(words)


class Identity:
    """Keys for one article's entities, resolving short forms to full names in it."""

    def __init__(self, body: str, ents: Sequence[_Ent], aliases: AliasTable) -> None:
        self.aliases = aliases
        self._by_surname: dict[str, set[str]] = defaultdict(set)
        self._full: dict[str, str] = {}
        self._compass: dict[str, set[str]] = defaultdict(set)
        genders: dict[str, set[str]] = defaultdict(set)
        for e in ents:
            text = body[e.start : e.end]
            if e.label in {"GPE", "LOC"}:
                key = entity_key(e.label, text, aliases)
                cls, _, name = key.partition(":")
                first = name.split(" ", 1)[0]
                if cls == "gpe" and first in _COMPASS and name in _COMPASS_COUNTRIES:
                    self._compass[first].add(key)
                continue
            if e.label != "PERSON":
                continue
            normal = person_name(normalize_name(text))
            if len(normal.split()) < 2:
                continue
            key = entity_key("PERSON", text, aliases)
            self._full[normal] = key
            self._by_surname[surname_of(text)].add(key)
            gender = gender_before(body, e.start)
            if gender:
                genders[key].add(gender)
        self._gender = {k: next(iter(v)) for k, v in genders.items() if len(v) == 1}

    def person_for(self, text: str, gender: str | None = None) -> str | None:
        """The key of the one full name in this article that `text` is, or is the
        surname of; with `gender` ("Mr. Trump": "m"), a full name known to be of the
        other gender is not it (the first lady Melania Trump)."""
        normal = person_name(normalize_name(text))
        if normal in self._full:
            return self._full[normal]
        words = normal.split()
        if len(words) != 1:
            return None
        keys = self._by_surname.get(words[0], set())
        if gender is not None:
            keys = {k for k in keys if self._gender.get(k, gender) == gender}
        return next(iter(keys)) if len(keys) == 1 else None

    def key(
        self, label: str, text: str, *, place: bool = False, gender: str | None = None
    ) -> tuple[str, str] | None:
        """(label, key) for a named mention, or None when it names nothing we can tell.

        A full name the article gives a person is that person whatever the model's label
        ("PARK GEUN-HYE" in a headline tagged ORG); a bare surname becomes the person
        unless `place` says the text around it makes it a place or a body (see
        `place_context`); `gender` is what a title before it says ("Mr."). "The North"
        is the article's North Korea, or nothing when the article has no such country.
        """
        normal = normalize_name(text)
        if label != "PERSON" and normal in _COMPASS:
            keys = self._compass.get(normal, set())
            if len(keys) == 1:
                return "GPE", next(iter(keys))
            if normal in {"north", "south"}:
                return None  # "the South": Korea's, America's, Italy's? Say nothing.
        hit = self.aliases.lookup(normal)
        if hit is None or hit[0] == "person":
            full = self._full.get(person_name(normal)) if " " in normal else None
            if full is not None:
                return "PERSON", full
            if label == "PERSON" or (
                (label in _SURNAME_LABELS or label in _PLACE_LABELS) and not place
            ):
                person = self.person_for(text, gender)
                if person is not None:
                    return "PERSON", person
        key = entity_key(label, text, self.aliases)
        # A name the alias table knows has a known kind: "UAE" is a place, "Yonhap" a body;
        # the label follows the key so that the two never disagree.
        cls = key.split(":", 1)[0]
        if cls != key_class(label):
            label = _CLASS_LABEL.get(cls, label)
        return label, key


def build_analysis(
    body: str,
    prepared: str,
    doc_spans: Iterable[tuple[int, int, str]],
    *,
    published: str | None,
    aliases: AliasTable,
    version: str,
    model: str,
    sentences: list[Span] | None = None,
) -> Analysis:
    """Assemble one article's `Analysis` from the model's raw entity spans."""
    if sentences is None:
        sentences = split_sentences(body)
    starts = [s.start for s in sentences]
    ents = clean_entities(body, prepared, doc_spans, aliases)
    identity = Identity(body, ents, aliases)
    pub = parse_published(published)
    entities: list[Entity] = []
    figures: list[Figure] = []
    for i, e in enumerate(ents):
        text = body[e.start : e.end]
        if e.label in NUMERIC:
            context = _clause_of(body, sentences, starts, e.start, e.end)
            value, unit = normalize_figure(e.label, text, pub, context)
            norm = value if value is not None else normalize_name(text)
            key = f"{e.label.lower()}:{norm}" + (f" {unit}" if unit and value is not None else "")
            entities.append(Entity(e.start, e.end, e.label, text, key, value))
            if e.label != "ORDINAL":  # "the first time", "third round": not a fact to compare
                figures.append(Figure(e.start, e.end, text, FIGURE_KIND[e.label], value, unit))
            continue
        keyed = identity.key(
            e.label,
            text,
            place=e.label != "PERSON" and place_context(prepared, ents, i),
            gender=gender_before(body, e.start) if " " not in text else None,
        )
        if keyed is None:
            continue
        label, key = keyed
        entities.append(Entity(e.start, e.end, label, text, key, None))
    quotes = extract_quotes(body, sentences, entities, identity.person_for)
    return Analysis(
        version=version,
        model=model,
        sentences=sentences,
        entities=entities,
        quotes=quotes,
        figures=figures,
    )


def _clause_of(
    body: str, sentences: Sequence[Span], starts: Sequence[int], start: int, end: int
) -> str:
    """The sentence around a date with the date itself masked as "\x00": the tense of the
    clause it sits in tells "will meet on Friday" from "met on Friday" (see
    `figures.clause_tense`)."""
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and sentences[i].start <= start < sentences[i].end:
        s = sentences[i]  # a clause lies within reach of its date: 150 characters
        return body[max(s.start, start - 150) : start] + "\x00" + body[end : min(s.end, end + 150)]
    return "\x00"


def doc_spans(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


CHUNK = 50_000
"""Longest piece of text given to the model at once: spaCy refuses texts over
`nlp.max_length` (1,000,000 characters) and its memory grows with text length, so long
bodies are cut at paragraph (else line, else word) boundaries and the pieces' entities
shifted back to body offsets."""


def chunks(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, each at most `size` long, cut at a break if possible."""
    size = size or CHUNK
    pieces: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > size:
        limit = start + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, start + size // 2, limit)
            if cut >= 0:
                cut += len(sep)
                break
        if cut <= start:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, n))
    return pieces


MAX_ANALYZED = 2_000_000
"""Characters of a body that are analysed (about 300,000 words, half a minute): a body
beyond that is not an article but a dump or an attack, and analysis must end in bounded
time; entities and quotes are found in its first `MAX_ANALYZED` characters only."""


def run(
    nlp: Language,
    bodies: Sequence[str],
    published: Sequence[str | None],
    *,
    aliases: AliasTable,
    version: str,
    model: str,
    batch_size: int = 32,
) -> list[Analysis]:
    """Analyse many bodies with one `nlp.pipe` pass (batched, long bodies in pieces).

    The model sees our sentence boundaries: spaCy's recognizer never runs an entity over
    a token marked as a sentence start, and with the parser disabled it has none of its
    own. (Where copy has no punctuation at all, "February 12, 2014 Kerry left", the date
    is cut in `spans.fix_figures`.)
    """
    prepared = [model_text(b[:MAX_ANALYZED]) + b[MAX_ANALYZED:] for b in bodies]
    sentences = [split_sentences(b) for b in bodies]
    pieces: list[tuple[int, int, int]] = []  # body index, start, end
    for i, prep in enumerate(prepared):
        pieces.extend((i, s, e) for s, e in chunks(prep[:MAX_ANALYZED]))

    def piece_doc(k: int) -> Doc:
        i, s, e = pieces[k]
        doc = nlp.make_doc(prepared[i][s:e])
        mark_sentences(doc, [p.start - s for p in sentences[i] if s < p.start < e])
        return doc

    piece_spans = [
        doc_spans(doc)
        for doc in nlp.pipe(
            (piece_doc(k) for k in range(len(pieces))), batch_size=max(1, batch_size)
        )
    ]
    spans: list[list[tuple[int, int, str]]] = [[] for _ in bodies]
    for (i, s, _e), found in zip(pieces, piece_spans, strict=True):
        spans[i].extend((a + s, b + s, label) for a, b, label in found)
    return [
        build_analysis(
            body,
            prep,
            ents,
            published=pub,
            aliases=aliases,
            version=version,
            model=model,
            sentences=sents,
        )
        for body, prep, pub, ents, sents in zip(
            bodies, prepared, published, spans, sentences, strict=True
        )
    ]


def mark_sentences(doc: Doc, starts: Sequence[int]) -> None:
    """Mark the first token at or after each character offset in `starts` (sorted) as a
    sentence start, so that no entity is run across it."""
    if not starts or len(doc) < 2:
        return
    from spacy.attrs import IDX

    idx = doc.to_array(IDX)
    for t in set(idx.searchsorted(starts).tolist()):
        if 0 < t < len(doc):
            doc[t].is_sent_start = True
