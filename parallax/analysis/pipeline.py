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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parallax.analysis.figures import FIGURE_KIND, normalize_figure, parse_published
from parallax.analysis.identity import AliasTable, entity_key, normalize_name, person_name
from parallax.analysis.quotes import extract_quotes
from parallax.analysis.text import model_text, split_sentences
from parallax.model import Analysis, Entity, Figure, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

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
    ]
)
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>,;:!?*_#|`~-–—•·/\\"
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_SECRETARY_OF = re.compile(r"(?:secretary|minister|department|ministry)\s+of\s+(?:the\s+)?$", re.I)


@dataclass(slots=True)
class _Ent:
    start: int
    end: int
    label: str


def clean_entities(body: str, prepared: str, spans: Iterable[tuple[int, int, str]]) -> list[_Ent]:
    """The model's spans after the boundary and label rules (offsets into `body`)."""
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
    _consistent_labels(body, merged)
    return _propagate_names(prepared, _korean_names(prepared, merged))


# Korean surnames as romanised in news copy: "Paik Hak-Soon", "Min Kyung-wook".
_KOREAN_SURNAMES = (
    "Kim Lee Yi Rhee Park Pak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang Lim Im "
    "Han Oh Seo Suh Shin Kwon Hwang Ahn Song Yoo Yu Ryu Hong Jeon Jun Chun Ko Go Moon Mun Yang "
    "Son Sohn Bae Baek Paik Heo Huh Nam Noh Roh Ha Kwak Sung Cha Joo Ju Woo Koo Ku Min Na Jin "
    "Ji Eom Chae Won Bang Kong Hyun Ham Yeo Ban Pyo Byun Byeon Gil Seong Maeng Tak Ryoo Ok"
)
_KOREAN_NAME = re.compile(
    rf"(?<![\w-])(?:{'|'.join(_KOREAN_SURNAMES.split())}) [A-Z][a-z]{{1,5}}-[a-zA-Z][a-z]{{1,5}}(?![\w-])"
)


def _korean_names(prepared: str, ents: list[_Ent]) -> list[_Ent]:
    """Korean names the model misses or cuts ("Paik Hak-Soon, an analyst"): a known
    surname, then a hyphenated given name."""
    added: list[_Ent] = []
    for m in _KOREAN_NAME.finditer(prepared):
        if m.group().rsplit("-", 1)[1].lower() in _NOT_NAME_TAILS:
            continue
        overlapping = [e for e in ents if e.start < m.end() and m.start() < e.end]
        if overlapping:
            for e in overlapping:  # widen a cut name ("Min Kyung") to the whole of it
                if e.label == "PERSON" and m.start() <= e.start and e.end <= m.end():
                    e.start, e.end = m.start(), m.end()
            continue
        added.append(_Ent(m.start(), m.end(), "PERSON"))
    if not added:
        return ents
    return sorted([*ents, *added], key=lambda e: e.start)


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
        if not _looks_like_name(text):
            return None
        if _SECRETARY_OF.search(prepared[max(0, start - 30) : start]) and " " not in text:
            return None  # "Secretary of State": a title, not the organisation "State"
    if end <= start:
        return None
    return _Ent(start, end, label)


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


_ALIAS_LABEL = {
    ("gpe", "ORG"): "GPE",
    ("gpe", "PERSON"): "GPE",
    ("gpe", "NORP"): "GPE",
    ("org", "GPE"): "ORG",
    ("org", "LOC"): "ORG",
    ("org", "PERSON"): "ORG",
    ("person", "ORG"): "PERSON",
    ("person", "GPE"): "PERSON",
}


class Identity:
    """Keys for one article's entities, resolving short forms to full names in it."""

    def __init__(self, body: str, ents: Sequence[_Ent], aliases: AliasTable) -> None:
        self.aliases = aliases
        self._by_token: dict[str, set[str]] = defaultdict(set)
        self._full: dict[str, str] = {}
        for e in ents:
            if e.label != "PERSON":
                continue
            normal = person_name(normalize_name(body[e.start : e.end]))
            words = normal.split()
            if len(words) < 2:
                continue
            key = entity_key("PERSON", body[e.start : e.end], aliases)
            self._full[normal] = key
            self._by_token[words[0]].add(key)
            self._by_token[words[-1]].add(key)

    def person_for(self, text: str) -> str | None:
        """The key of the one full name in this article that `text` is a short form of."""
        normal = person_name(normalize_name(text))
        if normal in self._full:
            return self._full[normal]
        words = normal.split()
        if len(words) != 1:
            return None
        keys = self._by_token.get(words[0], set())
        return next(iter(keys)) if len(keys) == 1 else None

    def key(self, label: str, text: str) -> tuple[str, str]:
        """(label, key) for a named mention; a bare surname becomes the person it names."""
        normal = normalize_name(text)
        hit = self.aliases.lookup(normal)
        # The article's own full name wins over the alias table for a person's bare
        # surname ("Obama" in a story naming only Michelle Obama); a known place or body
        # ("US", "NATO") is never read as a surname.
        if (hit is None or hit[0] == "person") and (label == "PERSON" or " " not in normal):
            person = self.person_for(text)
            if person is not None:
                return "PERSON", person
        key = entity_key(label, text, self.aliases)
        # A name the alias table knows has a known kind: "UAE" is a place, "NATO" a body.
        return _ALIAS_LABEL.get((key.split(":", 1)[0], label), label), key


def build_analysis(
    body: str,
    prepared: str,
    doc_spans: Iterable[tuple[int, int, str]],
    *,
    published: str | None,
    aliases: AliasTable,
    version: str,
    model: str,
) -> Analysis:
    """Assemble one article's `Analysis` from the model's raw entity spans."""
    sentences = split_sentences(body)
    starts = [s.start for s in sentences]
    ents = clean_entities(body, prepared, doc_spans)
    identity = Identity(body, ents, aliases)
    pub = parse_published(published)
    entities: list[Entity] = []
    figures: list[Figure] = []
    for e in ents:
        text = body[e.start : e.end]
        if e.label in NUMERIC:
            context = _context_before(body, sentences, starts, e.start)
            value, unit = normalize_figure(e.label, text, pub, context)
            norm = value if value is not None else normalize_name(text)
            key = f"{e.label.lower()}:{norm}" + (f" {unit}" if unit and value is not None else "")
            entities.append(Entity(e.start, e.end, e.label, text, key, value))
            figures.append(Figure(e.start, e.end, text, FIGURE_KIND[e.label], value, unit))
            continue
        label, key = identity.key(e.label, text)
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


def _context_before(body: str, sentences: Sequence[Span], starts: Sequence[int], pos: int) -> str:
    """The clause before a date, to tell "will meet on Friday" from "met on Friday"."""
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return body[max(sentences[i].start, pos - 60) : pos]
    return ""


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
    """Analyse many bodies with one `nlp.pipe` pass (batched, long bodies in pieces)."""
    prepared = [model_text(b[:MAX_ANALYZED]) + b[MAX_ANALYZED:] for b in bodies]
    pieces: list[tuple[int, int, int]] = []  # body index, start, end
    for i, prep in enumerate(prepared):
        pieces.extend((i, s, e) for s, e in chunks(prep[:MAX_ANALYZED]))
    spans: list[list[tuple[int, int, str]]] = [[] for _ in bodies]
    texts = (prepared[i][s:e] for i, s, e in pieces)
    for (i, s, _e), doc in zip(pieces, nlp.pipe(texts, batch_size=max(1, batch_size)), strict=True):
        spans[i].extend((a + s, b + s, label) for a, b, label in doc_spans(doc))
    return [
        build_analysis(
            body, prep, ents, published=pub, aliases=aliases, version=version, model=model
        )
        for body, prep, pub, ents in zip(bodies, prepared, published, spans, strict=True)
    ]
