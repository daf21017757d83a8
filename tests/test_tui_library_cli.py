"""The commands that open the reader: `parallax config --path`, bare `parallax`, `demo`."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.cli import main


def test_config_path_prints_the_config_file(
    capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(isolated_env / "config" / "parallax.toml")


def test_config_shows_settings(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    cfg = isolated_env / "config" / "parallax.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('theme = "nord"\n[keys]\n"library.star" = "w"\n', encoding="utf-8")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "theme: nord" in out and "library.star = w" in out


def test_reader_without_a_terminal_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    # Under pytest stdin/stdout are not a terminal: no traceback, a hint instead.
    code = main([])
    err = capsys.readouterr().err
    assert code == 2
    assert "needs a terminal" in err and "parallax list" in err


def test_demo_without_a_terminal_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import parallax.cli.app as cli_app

    store_dir = tmp_path / "cached"
    store_dir.mkdir()
    (store_dir / cli_app.STORE_NAME).write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cli_app, "cached_demo_store", lambda ctx, rebuild=False: store_dir)
    assert main(["demo"]) == 2
    assert "needs a terminal" in capsys.readouterr().err
