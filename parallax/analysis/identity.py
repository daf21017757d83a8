"""Identity keys: one key for one real-world thing, within and across articles.

A reader filtering by "John Kerry" or a comparison asking "does the other outlet mention
North Korea?" needs "Kerry", "John Kerry's", "DPRK" and "North Korea" to agree. Keys are
`<class>:<normal name>`; the normal name folds case, accents, hyphens, whitespace,
abbreviation dots, a leading "the", possessives and British spellings, then goes through
the alias table (shipped `aliases.toml` plus the user's alias file).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from parallax.model import ParallaxError

# OntoNotes label -> key class. GPE and LOC share a class because the model labels the
# same place either way ("North Korea", "the Korean peninsula"), and ORG and FAC share one
# because it labels a body by its building and back ("The White House said" is ORG, "at
# the White House" FAC): a class per label would split one identity in two.
KEY_CLASS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "gpe",
    "LOC": "gpe",
    "NORP": "norp",
    "FAC": "org",
    "EVENT": "event",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
    "LAW": "law",
    "LANGUAGE": "language",
}

# Where British and American spellings differ in names ("Defence Ministry", "World Health
# Organisation"), matching uses the American form. Not "labour": Britain's Labour Party and
# Australia's Labor Party are different parties, told apart only by that spelling.
_SPELLING = {
    "defence": "defense",
    "centre": "center",
    "theatre": "theater",
    "harbour": "harbor",
    "honour": "honor",
    "programme": "program",
    "organisation": "organization",
    "organisations": "organizations",
    "colour": "color",
    "favour": "favor",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "councillor": "councilor",
    "judgement": "judgment",
    "catalogue": "catalog",
    "offence": "offense",
    "licence": "license",
}
_ISATION = re.compile(r"(\w{3,})isation\b")

_DASHES = re.compile(r"[-\u2010-\u2015\u2212_/]+")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u0060\u00b4]")
_POSSESSIVE = re.compile(r"(?:'s|s')$")
_NON_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")


class AliasFileError(ParallaxError):
    """The user's alias file cannot be read or is not in the expected format."""


@lru_cache(maxsize=65_536)
def normalize_name(text: str) -> str:
    """The comparable form of a name: "the U.S.'s" -> "us", "Park Geun-Hye" -> "park geun hye"."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _APOSTROPHES.sub("'", s).casefold()
    s = s.replace(".", "")
    s = _DASHES.sub(" ", s)
    s = _NON_WORD.sub(" ", s)
    s = _SPACES.sub(" ", s).strip(" '")
    s = _POSSESSIVE.sub("", s).strip(" '")
    s = _LEADING_THE.sub("", s)
    words = [_SPELLING.get(w, w) for w in s.split(" ")]
    s = " ".join(words)
    s = _ISATION.sub(r"\1ization", s)
    return s.replace("'", "")


@dataclass(slots=True)
class AliasTable:
    """Variant normal names -> (class, canonical normal name)."""

    table: dict[str, tuple[str, str]] = field(default_factory=dict)
    digest: str = ""

    def lookup(self, normal: str) -> tuple[str, str] | None:
        return self.table.get(normal)


def parse_aliases(text: str, origin: str) -> dict[str, tuple[str, str]]:
    """Parse an alias TOML document; `origin` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AliasFileError(f"alias file {origin} is not valid TOML ({exc}); fix it") from exc
    out: dict[str, tuple[str, str]] = {}
    for cls, entries in data.items():
        if not isinstance(entries, dict):
            raise AliasFileError(
                f"alias file {origin}: [{cls}] must be a table of "
                '"canonical name" = ["variant", ...]'
            )
        cls_name = str(cls).strip().lower()
        for canonical, variants in entries.items():
            if isinstance(variants, str):
                variants = [variants]
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                raise AliasFileError(
                    f"alias file {origin}: [{cls}] {canonical!r} must be a list of strings"
                )
            canon = normalize_name(str(canonical))
            if not canon:
                continue
            for name in [str(canonical), *variants]:
                normal = normalize_name(name)
                if normal:
                    out[normal] = (cls_name, canon)
    return out


def _shipped_text() -> str:
    return resources.files("parallax.analysis").joinpath("aliases.toml").read_text("utf-8")


@lru_cache(maxsize=8)
def _load(user_path: str | None, mtime: float) -> AliasTable:
    shipped = _shipped_text()
    table = parse_aliases(shipped, "parallax/analysis/aliases.toml")
    digest = hashlib.sha256(shipped.encode("utf-8"))
    if user_path is not None:
        path = Path(user_path)
        try:
            user_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AliasFileError(
                f"cannot read alias file {path}: {exc}; fix the `aliases` path in the config"
            ) from exc
        table.update(parse_aliases(user_text, str(path)))
        digest.update(b"\x00" + user_text.encode("utf-8"))
    return AliasTable(table=table, digest=digest.hexdigest()[:16])


def user_alias_path() -> Path | None:
    """The user's alias file from the config, or None (a broken config is not our error)."""
    from parallax.config import ConfigError, load_config

    try:
        path = load_config().aliases
    except ConfigError:
        return None
    return path


def alias_table(user_path: Path | None = None, *, use_config: bool = True) -> AliasTable:
    """The shipped alias table extended by the user's alias file (reloaded when it changes)."""
    if user_path is None and use_config:
        user_path = user_alias_path()
    if user_path is None:
        return _load(None, 0.0)
    try:
        mtime = user_path.stat().st_mtime
    except OSError as exc:
        raise AliasFileError(
            f"alias file {user_path} (from the config's `aliases`) cannot be read: "
            f"{exc.strerror or exc}; create it or remove the setting"
        ) from exc
    return _load(str(user_path), mtime)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# "Department of Justice" / "Justice Department", "Ministry of Foreign Affairs" / "Foreign
# Ministry" / "Foreign Affairs Ministry": one body, written three ways.
_BODY_OF = re.compile(
    r"^(?:(us|united states|uk)\s+)?(department|ministry|office) of (?:the )?"
    r"((?:(?!and\b|of\b)\w+ ){0,3}?(?!and\b|of\b)\w+?)(?: affairs)?$"
)
_AFFAIRS_BODY = re.compile(r"^(.+?) affairs (department|ministry|office)$")
# "Hyundai Motor Co." / "Hyundai Motor Company": the legal form is not the name. ("Group"
# is kept: "Hyundai Motor Group" is a different body.)
_CORPORATE = re.compile(
    r"(?<=\w) (?:co|company|corp|corporation|inc|incorporated|ltd|limited|plc|llc)"
    r"(?: (?:co|ltd|limited|inc))?$"
)


def person_name(normal: str) -> str:
    """A person's normal name without middle initials and generational suffixes:
    "paul d ryan" and "john a boehner jr" are "paul ryan" and "john boehner"."""
    words = normal.split()
    while len(words) > 2 and words[-1] in _SUFFIXES:
        words.pop()
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    return " ".join(words)


def canonical_name(label: str, text: str) -> str:
    """The normal name a key is built from (before aliases)."""
    normal = normalize_name(text)
    if label == "PERSON":
        return person_name(normal)
    m = _BODY_OF.match(normal)
    if m:  # "Department of Justice" is the "Justice Department"
        return " ".join(p for p in (m.group(1), m.group(3), m.group(2)) if p)
    m = _AFFAIRS_BODY.match(normal)
    if m:  # "Foreign Affairs Ministry" is the "Foreign Ministry"
        return f"{m.group(1)} {m.group(2)}"
    if label in {"ORG", "FAC"}:
        return _CORPORATE.sub("", normal)
    return normal


def key_class(label: str) -> str:
    """The key class (namespace) of an OntoNotes label: "GPE" and "LOC" are both "gpe"."""
    return KEY_CLASS.get(label, label.lower())


def entity_key(label: str, text: str, aliases: AliasTable) -> str:
    """The identity key of a named entity mention (numeric labels are keyed elsewhere)."""
    normal = canonical_name(label, text)
    hit = aliases.lookup(normal)
    if hit is not None:
        return f"{hit[0]}:{hit[1]}"
    return f"{key_class(label)}:{normal}"
