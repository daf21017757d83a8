"""Shared fixtures. Every test runs with its store, config and data dirs in a temp folder,
so no test ever touches a real home directory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "parallax" / "demo" / "seeds"
AFP_SEED = SEEDS_DIR / "afp-xinmsn-2014-02-13-kerry-seoul.txt"
YONHAP_SEED = SEEDS_DIR / "yonhap-koreaherald-2014-02-13-kerry-seoul.txt"
DATA_DIR = Path(__file__).resolve().parent / "data"
EVAL_DIR = ROOT.parent / "shared" / "eval"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("PARALLAX_STORE", str(home / "store" / "library.json"))
    monkeypatch.setenv("PARALLAX_CONFIG", str(home / "config" / "parallax.toml"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def store_path(isolated_env: Path) -> Path:
    """The store file the CLI uses in this test (via PARALLAX_STORE)."""
    return isolated_env / "store" / "library.json"


@pytest.fixture
def seeds() -> tuple[Path, Path]:
    """The two bundled seed captures: (AFP on xinmsn, Yonhap in The Korea Herald)."""
    return AFP_SEED, YONHAP_SEED
