"""The import pipeline behind `parallax import`: progress reporting, per-file failures that
never stop a batch, and the progress bar shown only on a terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from parallax.cli import main
from parallax.cli.context import Context
from parallax.cli.pipeline import count_inputs, import_paths
from storage import Library


def _records(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        record = {"title": f"Story {i}", "source": "Wire", "body": f"Body number {i} of {n}."}
        (folder / f"{i:02}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_progress_is_reported_per_file_and_counts_match(tmp_path: Path, store_path: Path) -> None:
    folder = _records(tmp_path / "in" / "nested", 5)
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    calls: list[tuple[int, str]] = []
    lib = Library.open(store_path)
    try:
        report = import_paths(
            lib,
            [str(tmp_path / "in")],
            analyze=False,
            progress=lambda done, _total, path: calls.append((done, path)),
        )
        assert count_inputs([str(tmp_path / "in")]) == 6
        assert [d for d, _ in calls] == [1, 2, 3, 4, 5, 6]
        assert len(report.imported) == 5
        assert [s["path"] for s in report.skipped] == [str(tmp_path / "in" / "empty.txt")]
        assert report.failed == []
        assert {a.title for a in lib.iter_articles()} == {f"Story {i}" for i in range(5)}
        assert str(folder) in report.imported[0]["path"]
    finally:
        lib.close()


def test_unreadable_path_fails_alone(tmp_path: Path, store_path: Path) -> None:
    good = _records(tmp_path / "good", 2)
    lib = Library.open(store_path)
    try:
        report = import_paths(lib, [str(tmp_path / "missing.txt"), str(good)], analyze=False)
        assert [f["path"] for f in report.failed] == [str(tmp_path / "missing.txt")]
        assert report.failed[0]["error"]
        assert len(report.imported) == 2
    finally:
        lib.close()


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _records(tmp_path / "in", 6)
    stderr = io.StringIO()
    original = Context.from_args

    def terminal_context(args: object) -> Context:
        ctx = original(args)  # type: ignore[arg-type]
        ctx.err = Console(file=stderr, force_terminal=True, width=100)
        return ctx

    monkeypatch.setattr(Context, "from_args", staticmethod(terminal_context))
    assert main(["import", "--no-analyze", str(folder)]) == 0
    assert "importing" in stderr.getvalue()
    out = capsys.readouterr().out
    assert "6 imported" in out and "importing" not in out

    monkeypatch.setattr(Context, "from_args", staticmethod(original))
    more = _records(tmp_path / "more", 4)
    for f in more.iterdir():
        f.write_text(f.read_text().replace("Body", "Other body"), encoding="utf-8")
    assert main(["import", "--no-analyze", str(more)]) == 0
    captured = capsys.readouterr()
    assert "importing" not in captured.err and "4 imported" in captured.out


def test_an_analyser_crash_stores_articles_unanalysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import parallax.analysis as analysis

    def crash(articles: object, **_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "analyze_articles", crash)
    monkeypatch.delenv("PARALLAX_DEBUG", raising=False)
    folder = _records(tmp_path / "in", 2)
    assert main(["import", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "analysis failed (RuntimeError: boom)" in captured.err
    assert "2 imported" in captured.out and "without analysis" in captured.out
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2
    assert main(["show", rows[0]["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["analysed"] is False
