"""Direct quotations and who said them, from punctuation and attribution patterns.

News copy is regular: a quotation sits between quote marks and is attributed by a
speech verb next to it (`"...," a State Department official told reporters`,
`"...," said the official`, `Kerry said: "..."`). Real copy is also messy: straight and
curly marks, a quotation split by its attribution, a quotation running over several
paragraphs, and mismatched marks (`from a "noun" to a 'verb," he said`). This module
handles those and otherwise prefers to say nothing: a wrong speaker misleads a reader
more than a missing one, so a speaker is only given when an attribution pattern holds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parallax.model import Entity, Quote, Span


def _words(text: str) -> list[str]:
    """A word list written as one string (long lists stay readable)."""
    return text.split()


DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
DOUBLE = '"' + DOUBLE_OPEN + DOUBLE_CLOSE
SINGLE = "'‘’‚‹›"
_OPEN_BEFORE = set(" \t\n([{—–-/") | set(DOUBLE)
_CLOSE_AFTER = set(" \t\n.,;:!?)]}—–-") | set(DOUBLE)

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|explained|explains|"
    "asked|asks|insisted|insists|warned|warns|declared|declares|stated|states|remarked|"
    "continued|replied|replies|responded|wrote|writes|argued|argues|claimed|claims|"
    "recalled|recalls|acknowledged|admitted|announced|urged|cautioned|predicted|suggested|"
    "complained|conceded|confirmed|countered|quipped|observed|maintained|emphasized|"
    "emphasised|tweeted|exclaimed|shouted|whispered|testified|concluded|agreed|"
    "pointed out|went on|reiterated|vowed|pledged|promised|lamented|joked|boasted"
)
# Verbs that can come before their subject: `"...," said the official`.
INVERTIBLE = (
    "said|says|added|adds|asked|asks|wrote|writes|continued|explained|noted|stressed|"
    "insisted|warned|recalled|replied|declared|argued|observed|remarked|countered|quipped"
)
_ADVERBS = r"(?:(?:also|later|then|again|further|previously|recently|once|had|has|have|would|was|were|has\s+since|reportedly|repeatedly|simply|only|flatly|bluntly)\s+)*"
_NP = r"[^,;:!?\"“”«»\n]{1,90}?"
_PRONOUNS = {"he", "she", "they", "we", "i"}
_LEADING_JUNK = re.compile(
    r"^(?:(?:but|and|so|then|also|as|while|when|yet|however|still)\s+)+", re.I
)

# Nouns that make a description a plausible speaker ("a senior U.S. government official").
_SPEAKER_NOUNS = frozenset(
    [
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "spokesmen",
        "analyst",
        "analysts",
        "minister",
        "ministers",
        "secretary",
        "president",
        "presidents",
        "source",
        "sources",
        "diplomat",
        "diplomats",
        "expert",
        "experts",
        "professor",
        "lawmaker",
        "lawmakers",
        "senator",
        "senators",
        "leader",
        "leaders",
        "ministry",
        "agency",
        "police",
        "military",
        "government",
        "statement",
        "report",
        "witness",
        "witnesses",
        "resident",
        "residents",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "officer",
        "officers",
        "commander",
        "chief",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "ambassador",
        "envoy",
        "negotiator",
        "negotiators",
        "representative",
        "representatives",
        "member",
        "members",
        "spokesmen",
        "prosecutor",
        "prosecutors",
        "lawyer",
        "lawyers",
        "attorney",
        "judge",
        "researcher",
        "researchers",
        "economist",
        "economists",
        "scientist",
        "scientists",
        "doctor",
        "doctors",
        "mayor",
        "governor",
        "candidate",
        "candidates",
        "activist",
        "activists",
        "observer",
        "observers",
        "critic",
        "critics",
        "executive",
        "executives",
        "ceo",
        "founder",
        "author",
        "veteran",
        "student",
        "students",
        "teacher",
        "worker",
        "workers",
        "farmer",
        "official's",
        "man",
        "woman",
        "people",
        "person",
        "mother",
        "father",
        "son",
        "daughter",
        "wife",
        "husband",
        "friend",
        "neighbor",
        "neighbour",
        "owner",
        "manager",
        "coach",
        "player",
        "players",
        "fan",
        "fans",
        "department",
        "office",
        "house",
        "council",
        "committee",
        "party",
        "campaign",
        "company",
        "group",
        "union",
        "board",
        "court",
        "army",
        "navy",
        "embassy",
        "administration",
        "team",
        "white",
    ]
)


@dataclass(slots=True)
class _Raw:
    start: int  # quoted words, marks excluded
    end: int
    open_mark: int
    close_mark: int  # -1 when the quotation runs on into the next paragraph
    continued: bool = False


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int
    key: str | None
    pronoun: bool


def find_quote_spans(body: str) -> list[_Raw]:
    """Pair quote marks paragraph by paragraph; unbalanced leftovers are dropped."""
    out: list[_Raw] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body)]
    for index, (p_start, p_end) in enumerate(paragraphs):
        open_at = -1
        open_kind = ""
        single_closers: list[int] = []
        for i in range(p_start, p_end):
            c = body[i]
            if c not in DOUBLE and c not in SINGLE:
                continue
            prev = body[i - 1] if i > p_start else " "
            nxt = body[i + 1] if i + 1 < p_end else " "
            if c in DOUBLE:
                if open_at < 0:
                    if c in DOUBLE_CLOSE and not _opens(prev, nxt):
                        continue
                    open_at, open_kind, single_closers = i, "d", []
                elif open_kind == "d" or not _opens(prev, nxt) or c in DOUBLE_CLOSE:
                    out.append(_Raw(open_at + 1, i, open_at, i))
                    open_at = -1
                else:  # the single mark before was an apostrophe ("'90s"): reopen here
                    open_at, open_kind, single_closers = i, "d", []
                continue
            # single marks: apostrophes inside words are neither
            if prev.isalnum() and nxt.isalnum():
                continue
            if open_at < 0:
                if c in "'‘‚‹" and _opens(prev, nxt):
                    open_at, open_kind = i, "s"
            elif open_kind == "s":
                if _closes(prev, nxt):
                    out.append(_Raw(open_at + 1, i, open_at, i))
                    open_at = -1
            elif _closes(prev, nxt):
                single_closers.append(i)
        if open_at >= 0:
            if open_kind == "d" and single_closers:
                close = single_closers[-1]  # `"...,' he said`: mismatched closing mark
                out.append(_Raw(open_at + 1, close, open_at, close))
            elif open_kind == "d" and index + 1 < len(paragraphs):
                nxt_start = paragraphs[index + 1][0]
                if body[nxt_start] in '"“„«':  # a quotation running on to the next paragraph
                    out.append(_Raw(open_at + 1, p_end, open_at, -1, continued=True))
    return out


def _opens(prev: str, nxt: str) -> bool:
    return (prev in _OPEN_BEFORE or prev.isspace()) and not nxt.isspace()


def _closes(prev: str, nxt: str) -> bool:
    return not prev.isspace() and (nxt in _CLOSE_AFTER or nxt.isspace())


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return start, end


_AFTER_QUOTED = re.compile(
    rf"^\s*,?\s*(?:he|she|they|it)\s+quoted\s+(?P<sp>{_NP})\s+as\s+(?:saying|telling)", re.I
)
_AFTER_INVERTED = re.compile(
    rf"^\s*,?\s*(?:{INVERTIBLE})\s+(?P<sp>{_NP})\s*(?=[,.;:!?]|$|\s+(?:who|in|on|at|during|after|before|when|while|as|adding|to|from|of)\b)",
    re.I,
)
_AFTER_SUBJECT = re.compile(rf"^\s*,?\s*(?P<sp>{_NP})\s+{_ADVERBS}(?:{SPEECH_VERBS})\b", re.I)
_AFTER_NAME_ONLY = re.compile(r"^\s*,?\s*(?P<sp>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\s*\.?\s*$")
_AFTER_ACCORDING = re.compile(rf"^\s*,?\s*according\s+to\s+(?P<sp>{_NP})\s*(?=[,.;:!?]|$)", re.I)
_BEFORE_SUBJECT = re.compile(
    rf"(?P<sp>{_NP})\s+{_ADVERBS}(?:{SPEECH_VERBS})(?:\s+(?:reporters|journalists|the\s+\w+|him|her|them|us|me|\w+))?\s*(?:[,:]|\bthat\b|\bas\s+saying\b)?\s*$",
    re.I,
)
_BEFORE_TAIL = re.compile(
    rf"(?<![\w-])(?:{SPEECH_VERBS})(?:\s+[\w'’.-]+){{0,2}}\s*(?:[,:]|\bthat\b|\bas\s+saying\b)?\s*$",
    re.I,
)
_VERB = re.compile(rf"(?<![\w-])(?:{SPEECH_VERBS})(?![\w-])", re.I)
_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|then|again|further|previously|recently|once|had|has|have|would|was|were|since|reportedly|repeatedly|simply|only|flatly|bluntly|first|now|still|[a-z]+ly))*\s*$",
    re.I,
)
_ANY_INVERTED = re.compile(
    rf"(?:^|,)\s*(?:{INVERTIBLE})\s+(?P<sp>[^,;:!?\"“”«»\n\x00]{{1,90}}?)\s*(?=[,.;:!?]|$)", re.I
)


def extract_quotes(
    body: str,
    sentences: Sequence[Span],
    entities: Sequence[Entity],
    name_key: Callable[[str], str | None],
) -> list[Quote]:
    """Every quotation in `body` with its speaker where an attribution says who.

    Args:
        body: the article body.
        sentences: its sentence spans (attribution is looked for within the sentence).
        entities: its entities (a speaker naming a PERSON/ORG gets that entity's key).
        name_key: resolves a bare name ("Paik") to a key from the article's people.
    """
    raws = find_quote_spans(body)
    ctx = _Context(body, raws, sentences, entities, name_key)
    quotes: list[Quote] = []
    speakers: list[_Speaker | None] = []
    kept: list[_Raw] = []
    for index, raw in enumerate(raws):
        start, end = _trim(body, raw.start, raw.end)
        if not any(ch.isalnum() for ch in body[start:end]):
            continue
        speaker = _attribute(ctx, index)
        quotes.append(Quote(start=start, end=end, text=body[start:end]))
        speakers.append(speaker)
        kept.append(raw)
    _split_quotations(ctx.attr, kept, speakers)
    _continue_speakers(body, kept, speakers)
    _resolve_pronouns(ctx, quotes, speakers)
    # A quotation running on to the next paragraph is attributed where it ends.
    for i in range(len(quotes) - 1, -1, -1):
        if kept[i].continued and speakers[i] is None and i + 1 < len(quotes):
            speakers[i] = speakers[i + 1]
    for quote, speaker in zip(quotes, speakers, strict=True):
        if speaker is not None:
            quote.speaker = speaker.text
            quote.speaker_key = speaker.key
    return quotes


_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "one",
        "another",
        "his",
        "her",
        "their",
        "its",
        "our",
        "two",
        "three",
        "several",
        "many",
        "some",
        "both",
        "other",
        "senior",
        "top",
        "former",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "over",
        "about",
        "at",
        "in",
        "on",
        "from",
        "with",
        "after",
        "before",
        "during",
        "against",
        "into",
        "than",
        "to",
        "via",
        "under",
    ]
)
# Words that make a would-be speaker phrase a clause ("the women's claims were", "Ms. Rice
# demurred when").
_CLAUSE_WORDS = frozenset(
    _words(
        "is are was were when while whether because although though if until unless whereas "
        "did does didn't doesn't don't not never can't couldn't wouldn't won't"
    )
)
_ABBREV_DOT = re.compile(
    r"(?<!\w)(Mr|Mrs|Ms|Dr|Gov|Sen|Sens|Rep|Reps|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|Cpl|Pvt"
    r"|St|Jr|Sr|Prof|Rev|Mt|Ft|Hon|Amb|Atty|Supt|Insp|Det|Pres|Co|Corp|Inc|Ltd|[A-Z])\."
)


def mask_abbreviations(text: str) -> str:
    """`text` with the periods of abbreviations and initials ("Gov.", "U.S.", "J.") made
    into a one-dot leader, so that attribution patterns read a period as a sentence end;
    same length, so offsets hold."""
    return _ABBREV_DOT.sub(lambda m: m.group(1) + "\u2024", text)


_WINDOW = 300  # characters around a quotation searched for its attribution


class _Context:
    """One article's text and indexes, so attribution stays linear on huge inputs."""

    def __init__(
        self,
        body: str,
        raws: Sequence[_Raw],
        sentences: Sequence[Span],
        entities: Sequence[Entity],
        name_key: Callable[[str], str | None],
    ) -> None:
        self.body = body
        self.attr = mask_abbreviations(body)
        self.raws = raws
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.entities = sorted(
            (e for e in entities if e.label in {"PERSON", "ORG", "GPE", "NORP"}),
            key=lambda e: e.start,
        )
        self.entity_starts = [e.start for e in self.entities]
        self.name_key = name_key

    def sentence_of(self, pos: int) -> Span | None:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return None

    def entities_within(self, start: int, end: int) -> list[Entity]:
        lo = bisect.bisect_left(self.entity_starts, start)
        hi = bisect.bisect_left(self.entity_starts, end)
        return [e for e in self.entities[lo:hi] if e.end <= end]


def _attribute(ctx: _Context, index: int) -> _Speaker | None:
    body, attr, raws = ctx.body, ctx.attr, ctx.raws
    raw = raws[index]
    if raw.close_mark >= 0:
        sent = ctx.sentence_of(raw.close_mark) or Span(raw.close_mark, len(body))
        after_start = raw.close_mark + 1
        after_end = min(sent.end, after_start + _WINDOW)
        if index + 1 < len(raws) and raws[index + 1].open_mark < after_end:
            after_end = raws[index + 1].open_mark
        after = attr[after_start:after_end]
        for pattern in (_AFTER_QUOTED, _AFTER_ACCORDING, _AFTER_INVERTED, _AFTER_SUBJECT):
            m = pattern.match(after)
            if m:
                sp = _speaker(ctx, after_start + m.start("sp"), after_start + m.end("sp"))
                if sp is not None:
                    return sp
        m = _AFTER_NAME_ONLY.match(after)
        comma = body[raw.close_mark - 1] == "," or after.lstrip().startswith(",")
        if m and comma:
            sp = _speaker(
                ctx, after_start + m.start("sp"), after_start + m.end("sp"), name_only=True
            )
            if sp is not None:
                return sp
    sentence = ctx.sentence_of(raw.open_mark)
    before_start = max(sentence.start if sentence else 0, raw.open_mark - _WINDOW)
    if index > 0 and raws[index - 1].close_mark >= before_start:
        before_start = raws[index - 1].close_mark + 1
    before = attr[before_start : raw.open_mark]
    # cheap test of the last words first: most quotations have no `X said: "` before them
    m = _BEFORE_SUBJECT.search(before) if _BEFORE_TAIL.search(before[-60:]) else None
    if m:
        sp = _speaker(ctx, before_start + m.start("sp"), before_start + m.end("sp"))
        if sp is not None:
            return sp
    # Last resort: an attribution elsewhere in the same sentence, outside any quotation
    # ("...take "convincing steps," he said, adding that ... "a verb".")
    if sentence is None:
        return None
    close = raw.close_mark if raw.close_mark >= 0 else raw.end
    win_start = max(sentence.start, raw.open_mark - _WINDOW)
    win_end = min(sentence.end, close + _WINDOW)
    masked = list(attr[win_start:win_end])
    for j in _overlapping(raws, index, win_start, win_end):
        other = raws[j]
        lo = max(other.open_mark, win_start)
        hi = min(other.close_mark if other.close_mark >= 0 else other.end, win_end - 1)
        if hi >= lo:
            masked[lo - win_start : hi + 1 - win_start] = "\x00" * (hi + 1 - lo)
    text = "".join(masked)
    for m in _VERB.finditer(text):
        # the clause before a speech verb: "he said, adding that ..."
        clause_start = max(0, m.start() - 90)
        clause = text[clause_start : m.start()]
        cut = max(clause.rfind(ch) for ch in ',;:!?"“”«»\n\x00')
        if cut < 0 and clause_start > 0:
            continue  # no clause boundary within reach: not a short subject
        np_start = clause_start + cut + 1
        np_end = clause_start + len(_TRAILING_ADVERBS.sub("", clause))
        if np_end > np_start:
            sp = _speaker(ctx, win_start + np_start, win_start + np_end)
            if sp is not None:
                return sp
    for m in _ANY_INVERTED.finditer(text):
        sp = _speaker(ctx, win_start + m.start("sp"), win_start + m.end("sp"))
        if sp is not None:
            return sp
    return None


def _overlapping(raws: Sequence[_Raw], index: int, start: int, end: int) -> list[int]:
    """Indexes of quotations (sorted, disjoint) that overlap [start, end), near `index`."""
    out = [index]
    j = index - 1
    while j >= 0 and (raws[j].close_mark < 0 or raws[j].close_mark >= start):
        out.append(j)
        j -= 1
    j = index + 1
    while j < len(raws) and raws[j].open_mark < end:
        out.append(j)
        j += 1
    return out


def _speaker(
    ctx: _Context, start: int, end: int, *, name_only: bool = False, embedded: bool = True
) -> _Speaker | None:
    """A cleaned speaker phrase at body[start:end], or None if it does not look like one.

    A phrase holding another speech verb is a clause: with `embedded`, the subject of the
    last verb is the speaker ("Police said the man shouted": "the man"); without, there
    is none (reported speech inside reported speech names no antecedent for "he").
    """
    body, attr, name_key = ctx.body, ctx.attr, ctx.name_key
    inner = None
    for found in _VERB.finditer(attr, start, end):
        if found.group().islower():  # "United States" is no verb
            inner = found
    cut = False
    if inner is not None and inner.end() < end:
        if not embedded:
            return None
        start = inner.end()
        m_that = re.match(r"\s+that\b", attr[start:end], re.I)
        if m_that:
            start += m_that.end()
        cut = True
    text = body[start:end]
    lead = len(text) - len(text.lstrip(" ,\x00"))
    start += lead
    text = text.strip(" ,\x00")
    if "(" in text:  # "Rep. Michele Bachmann (R-Minn.)": the name, not the party tag
        text = text[: text.index("(")].rstrip()
    m = _LEADING_JUNK.match(text)
    if m:
        start += m.end()
        text = text[m.end() :]
    end = start + len(text)
    if not text or "\x00" in text:
        return None
    words = text.split()
    if len(words) > 12 or re.search(r"\.\s", attr[start:end]):
        return None  # too long, or runs over a sentence end ("Mo. The resolution")
    if words[0].lower() in _PREPOSITIONS:
        return None  # "at the convention said"
    if any(w in _CLAUSE_WORDS for w in words) or (
        cut and any(w.lower() in _PREPOSITIONS or w == "that" for w in words)
    ):
        return None  # a clause, not who spoke: "Ms. Rice demurred when", "told X that Y"
    low = text.lower()
    if low in _PRONOUNS:
        return _Speaker(text, start, end, None, pronoun=True)
    if words[0].lower() in _PRONOUNS:
        return None  # "He also referred to past reports that the White House"
    if low.split()[0] in {
        "who",
        "which",
        "that",
        "it",
        "this",
        "there",
        "what",
        "reporters",
        "you",
    }:
        return None
    inside = ctx.entities_within(start, end)
    key = _speaker_key(text, start, end, inside, name_key)
    last = re.sub(r"[^\w]", "", words[-1].lower())
    if name_only:  # `"...," Paik.` - the name alone after the quotation's comma
        return _Speaker(text, start, end, key, pronoun=False)
    if any(w.lower() in _PREPOSITIONS for w in words[1:]) and last not in _SPEAKER_NOUNS:
        return None  # "the partisan brawl over Medicare", "a letter to Malia on Facebook"
    first = words[0]
    if first.islower() and first not in _DETERMINERS and last not in _SPEAKER_NOUNS:
        return None  # "whether he was suggesting that ...", "the brawl continued"
    if key is not None or inside or last in _SPEAKER_NOUNS:
        return _Speaker(text, start, end, key, pronoun=False)
    # A capitalised name the model missed ("Paik said") is still a speaker.
    if all(w[:1].isupper() for w in words) and len(words) <= 4:
        return _Speaker(text, start, end, name_key(text), pronoun=False)
    return None


def _speaker_key(
    text: str, start: int, end: int, inside: Sequence[Entity], name_key: Callable[[str], str | None]
) -> str | None:
    people = [e for e in inside if e.label == "PERSON"]
    if people and people[-1].end >= end - 1:
        return people[-1].key  # "President Park Geun-hye", "Paik Hak-Soon"
    orgs = [e for e in inside if e.label == "ORG"]
    if orgs:
        bare = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I).strip()
        if orgs[-1].text.strip() == bare or orgs[-1].text.strip().endswith(bare):
            return orgs[-1].key  # "the State Department said"
    return name_key(text)


_BETWEEN_PARTS = re.compile(r"[ \t]*,?[ \t]*[^.!?\"“”«»\n]{1,120},[ \t]*")


def _split_quotations(attr: str, raws: Sequence[_Raw], speakers: list[_Speaker | None]) -> None:
    """`"This," said the official, "is a turning point."` - the second part of a quotation
    split by its attribution has the first part's speaker. (The attribution sits between
    the parts, so the second part finds none of its own.) `attr` is the body with
    abbreviation dots masked ("said Gov. Rick Perry, ")."""
    body = attr
    for i in range(1, len(raws)):
        prev, raw, sp = raws[i - 1], raws[i], speakers[i - 1]
        if speakers[i] is not None or sp is None or prev.close_mark < 0:
            continue
        if not (prev.close_mark < sp.start and sp.end <= raw.open_mark):
            continue  # the first part's speaker is not the words between the parts
        after = body[prev.close_mark + 1 : raw.open_mark].lstrip(" \t")
        if body[prev.close_mark - 1] != "," and after[:1] != ",":
            continue  # `"Stop." said the official. "Go."`: two sentences, not one split
        if _BETWEEN_PARTS.fullmatch(body, prev.close_mark + 1, raw.open_mark):
            speakers[i] = sp


def _continue_speakers(body: str, raws: Sequence[_Raw], speakers: list[_Speaker | None]) -> None:
    """`"The border is a struggle," said Gov. Rick Perry. "We will act."` - a quotation that
    stands alone as a sentence right after an attributed one, in the same paragraph,
    continues the same speaker."""
    for i in range(1, len(raws)):
        prev, raw = raws[i - 1], raws[i]
        if speakers[i] is not None or speakers[i - 1] is None or prev.close_mark < 0:
            continue
        between = body[prev.close_mark + 1 : raw.open_mark]
        if "\n" in between or not re.search(r"[.!?]\s*$", between):
            continue  # another paragraph, or the quotation is inside a sentence
        end = raw.close_mark if raw.close_mark >= 0 else raw.end
        line_end = body.find("\n", end)
        after = body[end + 1 : line_end if line_end >= 0 else len(body)]
        if re.fullmatch(r"[\s.!?,;:]*", after) or (
            re.match(r"\s+[\"“A-Z]", after) and body[end - 1 : end] in ".!?"
        ):
            speakers[i] = speakers[i - 1]


def _masked(ctx: _Context) -> str:
    """The attribution text with every quotation blanked: words inside quotations are
    not the article's own attributions or mentions."""
    chars = list(ctx.attr)
    for raw in ctx.raws:
        end = raw.close_mark if raw.close_mark >= 0 else raw.end
        chars[raw.open_mark : end + 1] = "\x00" * (end + 1 - raw.open_mark)
    return "".join(chars)


def _speech_events(ctx: _Context, text: str) -> list[tuple[int, _Speaker]]:
    """Every named speaker in the text: "the official added", "Kerry said", with where the
    attribution ends. Reported speech counts: it makes its subject the one "he" refers to."""
    events: list[tuple[int, _Speaker]] = []
    for m in _VERB.finditer(text):
        clause_start = max(0, m.start() - 90)
        clause = text[clause_start : m.start()]
        cut = max(clause.rfind(ch) for ch in ',;:!?"“”«»\n.\x00')
        if cut < 0 and clause_start > 0:
            continue
        np_start = clause_start + cut + 1
        np_end = clause_start + len(_TRAILING_ADVERBS.sub("", clause))
        if np_end > np_start:
            sp = _speaker(ctx, np_start, np_end, embedded=False)
            if sp is not None and not sp.pronoun:
                events.append((m.end(), sp))
    return events


# -- who "he" and "she" are ----------------------------------------------------------------

_MALE = frozenset(
    _words(
        "mr sir king prince lord duke baron emperor spokesman chairman congressman businessman "
        "councilman policeman man father son husband brother boy actor nephew uncle grandfather "
        "gentleman monk"
    )
)
_FEMALE = frozenset(
    _words(
        "mrs ms miss madam madame dame lady queen princess duchess baroness empress spokeswoman "
        "chairwoman congresswoman businesswoman councilwoman policewoman woman mother daughter "
        "wife sister girl actress niece aunt grandmother nun"
    )
)
# Nouns that describe one person ("the official", "a South Korean diplomat"), and their
# plurals: a description is a mention as much as a name is.
_PERSON_NOUNS = frozenset(
    _words(
        "official spokesman spokeswoman spokesperson analyst minister secretary president diplomat "
        "expert professor lawmaker senator leader witness resident aide adviser advisor officer "
        "commander chief director chairman chairwoman ambassador envoy negotiator representative "
        "prosecutor lawyer attorney judge researcher economist scientist doctor mayor governor "
        "candidate activist observer critic executive founder author veteran student teacher "
        "worker farmer man woman mother father son daughter wife husband friend owner manager "
        "coach player counterpart missionary victim suspect king queen premier chancellor "
        "congressman congresswoman businessman businesswoman actor actress journalist reporter "
        "editor source"
    )
)
_PLURAL_NOUNS = frozenset(
    _words(
        "officials analysts ministers diplomats experts lawmakers senators leaders witnesses "
        "residents aides advisers advisors officers negotiators representatives prosecutors "
        "lawyers researchers economists scientists doctors activists observers critics executives "
        "students teachers workers farmers men women people players sources"
    )
)
_NOT_MODIFIER = frozenset(
    _words(
        "the a an of to in on at with for from by and or but was were is are be been said says "
        "has had have will would that which who whom this these those it its"
    )
)
_DESCRIPTION = re.compile(
    r"(?<![\w'’-])(?:(?i:the|a|an|another|one|his|her|their|its)|[A-Z][\w-]*['’]s)\s+"
    rf"(?P<mods>(?:(?!(?i:{'|'.join(sorted(_NOT_MODIFIER))})\b)[\w'’.-]+\s+){{0,4}}?)"
    rf"(?P<noun>{'|'.join(sorted(_PERSON_NOUNS | _PLURAL_NOUNS, key=len, reverse=True))})"
    r"(?![\w'’-])"
)
_ADJECTIVE_NOUNS = frozenset({"official", "chief", "executive", "representative"})
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_NAME_AFTER = re.compile(r"\s+[A-Z][\w'’-]+")
_APPOSITIVE = re.compile(r"\s*,\s*(?:a|an|the)\s+(?:[\w'’.-]+\s+){0,4}?(?P<noun>[a-z]+)\b")


@dataclass(slots=True)
class _Mention:
    """A person mentioned outside quotations, by name or by description."""

    start: int
    end: int
    text: str
    key: str | None
    ref: str  # what two mentions of one person share: the key, else the description's noun
    gender: str | None  # "m", "f" or None (unknown)
    plural: bool


def gender_of(words: Sequence[str]) -> str | None:
    """ "m" or "f" when the (lower-case) words say one and only one of them, else None."""
    found = {"m" for w in words if w in _MALE} | {"f" for w in words if w in _FEMALE}
    return found.pop() if len(found) == 1 else None


def _mentions(ctx: _Context, text: str) -> list[_Mention]:
    """People mentioned outside quotations, in order, with what gender the copy gives
    them ("spokeswoman Jen Psaki", "Mr. Kerry", "Paik Hak-Soon, an analyst")."""
    people = [
        e for e in ctx.entities if e.label == "PERSON" and "\x00" not in text[e.start : e.end]
    ]
    named_at = {e.start: e for e in people}
    votes: dict[str, set[str]] = {}
    descriptions: list[_Mention] = []
    for m in _DESCRIPTION.finditer(text):
        noun = m.group("noun")
        nxt = _NEXT_WORD.match(text, m.end()) if noun in _ADJECTIVE_NOUNS else None
        if nxt and nxt.group(1).endswith("s") and not _VERB.fullmatch(nxt.group(1)):
            continue  # "their highest-level official talks": an adjective
        mods = [w.lower().strip(".") for w in m.group("mods").split()]
        gender = gender_of([*mods, noun])
        after = _NAME_AFTER.match(text, m.end())
        named = named_at.get(after.start() + 1) if after else None
        if named is not None:
            # "Kerry's spokeswoman Jen Psaki", "presidential spokesman Min Kyung-wook": a
            # title; the person is the name that follows
            if gender and named.key:
                votes.setdefault(named.key, set()).add(gender)
            continue
        if re.search(r"\bas\s+$", text[max(0, m.start() - 4) : m.start()]):
            continue  # "identifying as a tea party candidate": the subject again, not another
        descriptions.append(
            _Mention(
                m.start(),
                m.end(),
                ctx.body[m.start() : m.end()],
                None,
                noun,
                gender,
                noun in _PLURAL_NOUNS,
            )
        )
    appositives: set[int] = set()
    out: list[_Mention] = []
    for e in people:
        before = re.findall(r"[A-Za-z]+", text[max(0, e.start - 30) : e.start])[-2:]
        gender = gender_of([w.lower() for w in before])
        appositive = _APPOSITIVE.match(text, e.end)
        if appositive:  # "Paik Hak-Soon, an analyst at ...": this person, not another
            gender = gender or gender_of([appositive.group("noun")])
            appositives.update(range(appositive.start(), appositive.end()))
        if gender and e.key:
            votes.setdefault(e.key, set()).add(gender)
        out.append(_Mention(e.start, e.end, e.text, e.key, e.key or e.text, gender, False))
    out.extend(d for d in descriptions if d.start not in appositives)
    genders = {k: next(iter(v)) for k, v in votes.items() if len(v) == 1}
    for mention in out:
        if mention.key in genders:
            mention.gender = genders[mention.key]
    out.sort(key=lambda x: x.start)
    return out


# Heads of speaker phrases that name a body, never "he" or "she" ("The board said").
_BODY_NOUNS = frozenset(
    _words(
        "ministry agency police military government statement report department office house "
        "council committee party campaign company group union board court army navy embassy "
        "administration team"
    )
)


def _speaker_ref(sp: _Speaker) -> str:
    """What identifies a speaker across mentions: its key, else its head noun."""
    if sp.key:
        return sp.key
    words = re.findall(r"[a-z]+", sp.text.lower())
    nouns = [w for w in words if w in _PERSON_NOUNS or w in _PLURAL_NOUNS or w in _BODY_NOUNS]
    return nouns[-1] if nouns else sp.text.lower()


def _resolve_pronouns(
    ctx: _Context, quotes: Sequence[Quote], speakers: list[_Speaker | None]
) -> None:
    """ "he added" after a quotation by Paik means Paik - when nothing else could be meant.

    The antecedent is the latest speaker (a quotation's, or reported speech: "Kerry said
    the talks were useful"). Any other person mentioned since whose gender and number fit
    the pronoun - named, or described as a subject ("The South Korean foreign minister
    welcomed him") - makes it ambiguous, and it stays "she". When the latest speaker
    cannot be meant ("he" after "spokeswoman Jen Psaki", "she" after "the board") and
    exactly one person mentioned since fits, as a subject ("Asked about it, the official
    declined"), that person is meant.
    """
    if not any(sp is not None and sp.pronoun for sp in speakers):
        return
    text = _masked(ctx)
    events = _speech_events(ctx, text)
    events.extend(
        (q.end, sp) for q, sp in zip(quotes, speakers, strict=True) if sp and not sp.pronoun
    )
    events.sort(key=lambda e: e[0])
    positions = [e[0] for e in events]
    mentions = _mentions(ctx, text)
    starts = [m.start for m in mentions]
    subject = _first_in_sentence(ctx, text, mentions)
    genders: dict[str | None, str] = {m.key: m.gender for m in mentions if m.key and m.gender}
    for i, (quote, sp) in enumerate(zip(quotes, speakers, strict=True)):
        if sp is None or not sp.pronoun:
            continue
        pronoun = sp.text.lower()
        if pronoun not in {"he", "she", "they"}:
            continue  # "I" and "we" are the speaker's own voice: nothing to resolve
        want = ({"he": "m", "she": "f"}.get(pronoun), pronoun == "they")
        k = bisect.bisect_left(positions, quote.start) - 1
        last: _Speaker | None = None
        since = max(0, quote.start - 600)
        if k >= 0 and quote.start - events[k][0] <= 2500:
            pos, last = events[k]
            since = pos
            if last.pronoun:
                continue  # the quotation before was "he said" and nobody could tell who
        lo = bisect.bisect_left(starts, since)
        hi = bisect.bisect_left(starts, quote.start)
        between = [
            m for m in mentions[lo:hi] if last is None or not (last.start <= m.start < last.end)
        ]
        # Who else could be meant: a person named since, or described since where a
        # subject stands ("The South Korean foreign minister welcomed him", "Asked about
        # it, the official declined"); "from one president to another" is no one new.
        rivals = [
            m
            for m in between
            if _fits(want, m.gender, m.plural) and (m.key is not None or subject[id(m)])
        ]
        found = _antecedent(last, rivals, subject, genders, want)
        if found is not None:
            speakers[i] = found
        # the next "he said" looks back to this one: to whom it was given, or to nobody
        at = bisect.bisect_left(positions, quote.end)
        positions.insert(at, quote.end)
        events.insert(at, (quote.end, speakers[i] or sp))


def _fits(want: tuple[str | None, bool], gender: str | None, plural: bool) -> bool:
    """Can someone of `gender` ("m", "f", None: unknown) and number be the pronoun that
    `want` (its gender, whether plural) stands for?"""
    return plural == want[1] and gender in {None, want[0]}


def _antecedent(
    last: _Speaker | None,
    rivals: Sequence[_Mention],
    subject: dict[int, bool],
    genders: dict[str | None, str],
    want: tuple[str | None, bool],
) -> _Speaker | None:
    """The speaker a pronoun refers to (see `_resolve_pronouns`), or None."""
    if last is not None:
        ref = _speaker_ref(last)
        gender = genders.get(last.key) or gender_of(re.findall(r"[a-z]+", last.text.lower()))
        body_speaker = ref in _BODY_NOUNS or (last.key or "").startswith(("org:", "gpe:"))
        if _fits(want, gender, _is_plural(last.text)) and not (body_speaker and want[0]):
            if all(m.ref == ref for m in rivals):
                return _Speaker(last.text, last.start, last.end, last.key, False)
            return None
        rivals = [m for m in rivals if m.ref != ref]
    if want[1] or not rivals or len({m.ref for m in rivals}) > 1:
        return None  # a group is too often a body or a crowd to name from a mention
    m = rivals[-1]
    if subject[id(m)]:
        return _Speaker(m.text, m.start, m.end, m.key, pronoun=False)
    return None


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|to|for|from|in|on|at|of|by|about|against|after|before|like|than|support|"
    r"supporting|over|under|between|among)\s+(?:the\s+)?$",
    re.I,
)


def _first_in_sentence(ctx: _Context, text: str, mentions: Sequence[_Mention]) -> dict[int, bool]:
    """Which mentions stand where a subject does: the first name or person in their
    sentence, leaving aside those after a preposition ("But Justice Antonin Scalia was
    unconvinced", "Asked about it, the official declined", "asked if it was in cahoots
    with WikiLeaks, Pence denied it"), and not owning something ("Ryan's assessment"). A
    later one is most often an object ("it passed from one president to another",
    "Ocasio-Cortez tweeted a vow to support Tlaib").

    Keyed by `id()` of the mention."""
    out: dict[int, bool] = {}
    marks = sorted(
        [(m.start, id(m)) for m in mentions]
        + [
            (e.start, 0)
            for e in ctx.entities
            if e.label != "PERSON" and "\x00" not in text[e.start : e.end]
        ]
    )
    seen: set[int] = set()
    for start, ident in marks:
        if _PREPOSITION_BEFORE.search(text, max(0, start - 16), start):
            if ident:
                out[ident] = False
            continue
        sentence = ctx.sentence_of(start)
        key = sentence.start if sentence is not None else -1
        if ident:
            out[ident] = key not in seen
        seen.add(key)
    for m in mentions:
        if re.match(r"['’]s?\b", text[m.end : m.end + 2]):
            out[id(m)] = False
    return out


def _is_plural(text: str) -> bool:
    last = text.split()[-1]
    return last.islower() and last.endswith("s") and not last.endswith("ss")
