"""Analysis: sentences, entities with identity keys, quotes with speakers, and figures.

Importing this package is cheap and never imports spaCy: the reader (which only shows
stored analysis) and `analyzer_version()` (which decides whether a stored analysis is
stale) must not pay for loading a model. spaCy is loaded on the first
`analyze_articles`/`analyze_texts` call, once per process.

Public API (the contract other packages code against)::

    analyze_articles(articles, *, batch_size=32) -> list[Analysis]
    analyze_texts(texts, published=None, *, batch_size=32) -> list[Analysis]
    analyzer_version() -> str
    is_stale(analysis) -> bool
    ModelUnavailableError
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Sequence

from parallax.analysis.loader import ModelUnavailableError, load_pipeline, model_version
from parallax.model import Analysis, Article

__all__ = [
    "RULES_VERSION",
    "ModelUnavailableError",
    "analyze_articles",
    "analyze_texts",
    "analyzer_version",
    "is_stale",
]

RULES_VERSION = 2
"""Bump whenever a rule in this package changes what analysis produces."""


def _model_name() -> str:
    from parallax.config import ConfigError, load_config, spacy_model_name

    try:
        config = load_config()
    except ConfigError:
        config = None
    return spacy_model_name(config)


@functools.lru_cache(maxsize=8)
def _installed(name: str) -> str:
    """Model name and version plus spaCy's version (package metadata; cached per process:
    installing a new model means restarting anyway)."""
    try:
        spacy_version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy_version = "none"
    return f"{name}\x1f{model_version(name)}\x1f{spacy_version}"


def analyzer_version() -> str:
    """The version of what analysis would produce now: changes with the model, its
    version, spaCy's version, our rules and the alias tables (shipped and user's).

    Cheap: reads package metadata and the alias files, never imports spaCy.
    """
    from parallax.analysis.identity import AliasFileError, alias_table

    name = _model_name()
    try:
        digest = alias_table().digest
    except AliasFileError:
        # Never fail here (the reader calls this to label stored analysis); analysing
        # raises the error with its message instead.
        digest = "unreadable"
    material = "\x1f".join([_installed(name), str(RULES_VERSION), digest])
    return f"{RULES_VERSION}-{hashlib.sha256(material.encode('utf-8')).hexdigest()[:12]}"


def is_stale(analysis: Analysis | None) -> bool:
    """True when there is no analysis or it was made by a different analyser version."""
    return analysis is None or analysis.version != analyzer_version()


def analyze_texts(
    texts: Sequence[str],
    published: str | Sequence[str | None] | None = None,
    *,
    batch_size: int = 32,
) -> list[Analysis]:
    """Analyse raw texts (offsets index into each text exactly as given).

    Args:
        texts: the bodies to analyse.
        published: the publication date (ISO 8601) for all texts, or one per text, used
            to resolve "Wednesday" or "last month" to calendar dates.
        batch_size: texts per `nlp.pipe` batch.

    Raises:
        ModelUnavailableError: the spaCy model cannot be loaded (message says how to fix).
    """
    from parallax.analysis.identity import alias_table
    from parallax.analysis.pipeline import run

    if not texts:
        return []
    if published is None or isinstance(published, str):
        dates: list[str | None] = [published] * len(texts)
    else:
        dates = list(published)
        if len(dates) != len(texts):
            raise ValueError("published must give one date per text")
    aliases = alias_table()  # a broken user alias file fails before the model loads
    name = _model_name()
    nlp = load_pipeline(name)
    version = analyzer_version()
    model = f"{name}-{model_version(name)}"
    return run(
        nlp,
        list(texts),
        dates,
        aliases=aliases,
        version=version,
        model=model,
        batch_size=batch_size,
    )


def analyze_articles(articles: Sequence[Article], *, batch_size: int = 32) -> list[Analysis]:
    """Analyse articles' bodies (one `Analysis` per article, in order).

    The caller stores the results (`Library.set_analysis` / `add_articles`); nothing
    here mutates the articles.

    Raises:
        ModelUnavailableError: the spaCy model cannot be loaded (message says how to fix).
    """
    return analyze_texts(
        [a.body for a in articles], [a.published for a in articles], batch_size=batch_size
    )
