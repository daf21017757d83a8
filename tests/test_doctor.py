"""`parallax doctor`: what a user sees when checking and repairing a damaged store."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from parallax.cli import main
from parallax.model import Article, content_id
from storage import ArticleFilter, Library, StoreCorruptError


def _article(n: int) -> Article:
    return Article(
        id=content_id(f"doctor {n}"),
        title=f"Doctor article {n}",
        body=f"Summit talks number {n} in Geneva. " + " ".join(f"word{n}x{i}" for i in range(50)),
        raw=f"raw {n}",
        source="AFP",
    )


def _seed(path: Path) -> Library:
    lib = Library.open(path)
    lib.add_articles([_article(i) for i in range(3)])
    lib.update_tags(_article(0).id, add=["keep"])
    lib.add_note(_article(1).id, "acknowledged note")
    return lib


def _doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["doctor", *args])
    return code, capsys.readouterr().out


def _backups(path: Path) -> list[Path]:
    return sorted(p for p in path.with_name(path.stem + ".backups").rglob("*") if p.is_file())


def test_healthy_store_exits_zero(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(store_path).close()
    code, out = _doctor(capsys)
    assert code == 0
    assert "store is healthy" in out
    assert "error" not in out and "warning" not in out


def test_json_shape(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(store_path).close()
    code, out = _doctor(capsys, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["path"] == str(store_path) and report["ok"] is True
    checks = {f["check"] for f in report["findings"]}
    assert {"snapshot", "journal", "content", "permissions", "search"} <= checks
    for finding in report["findings"]:
        assert set(finding) == {"level", "check", "message", "repaired"}
        assert finding["level"] in {"ok", "warning", "error"}


def test_torn_journal_tail_reported_then_cut_with_backup(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(store_path).close()
    journal = store_path.with_name("library.journal")
    torn = b'{"g":1,"ops":[["articles","abc",{"id":'
    with open(journal, "ab") as fh:
        fh.write(torn)
    code, out = _doctor(capsys)
    assert code == 1 and "torn last write" in out
    assert journal.read_bytes().endswith(torn), "a check must not change anything"

    code, out = _doctor(capsys, "--repair")
    assert code == 0 and "repaired" in out
    assert not journal.read_bytes().endswith(torn)
    assert any(p.read_bytes().endswith(torn) for p in _backups(store_path)), (
        "the torn bytes are kept"
    )
    lib = Library.open(store_path)
    assert lib.summary(_article(0).id).tags == ["keep"]
    assert [n.text for n in lib.notes()] == ["acknowledged note"]
    assert _doctor(capsys)[0] == 0


def _schema1_store(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = TinyDB(path, storage=JSONStorage)
    db.table("articles").insert_multiple(
        [{**_article(i).to_dict(), "tags": ["old"]} for i in range(2)]
    )
    db.close()


def test_corrupt_snapshot_restored_from_backup_and_kept_aside(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _schema1_store(store_path)
    Library.open(store_path).close()  # migrates, keeping a backup of the schema-1 file
    garbage = b'{"_meta": {"1": {"schema": 2'
    store_path.write_bytes(garbage)
    with pytest.raises(StoreCorruptError):
        Library.open(store_path)

    code, out = _doctor(capsys)
    assert code == 1 and "corrupt" in out and "--repair" in out
    assert store_path.read_bytes() == garbage

    code, out = _doctor(capsys, "--repair")
    assert "restored from" in out
    assert code == 0
    aside = [p for p in _backups(store_path) if ".corrupt." in p.name]
    assert [p.read_bytes() for p in aside] == [garbage]
    lib = Library.open(store_path)
    assert {s.id for s in lib.list()} == {_article(0).id, _article(1).id}
    assert lib.summary(_article(1).id).tags == ["old"]


def test_corrupt_snapshot_salvaged_from_journal_and_content(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(store_path).close()  # everything since the store was created is in the journal
    garbage = b"not json at all"
    store_path.write_bytes(garbage)
    code, out = _doctor(capsys)
    assert code == 1 and "--repair" in out and store_path.read_bytes() == garbage

    code, out = _doctor(capsys, "--repair")
    assert code == 0 and "restored from" in out and "journal writes" in out
    assert [p.read_bytes() for p in _backups(store_path) if ".corrupt." in p.name] == [garbage]
    lib = Library.open(store_path)
    assert {s.id for s in lib.list()} == {_article(i).id for i in range(3)}
    assert lib.summary(_article(0).id).tags == ["keep"]
    assert [n.text for n in lib.notes()] == ["acknowledged note"]
    assert _doctor(capsys)[0] == 0


def test_corrupt_snapshot_salvaged_from_compaction_backup_plus_journal(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = Library.open(store_path, compact_ops=4)
    lib.add_articles([_article(i) for i in range(3)])
    for i in range(10):  # compactions (each keeps a backup) and journal writes after them
        lib.update_tags(_article(i % 3).id, add=[f"t{i}"])
    lib.add_note(_article(2).id, "after the last compaction")
    expected = {s.id: s.tags for s in lib.list()}
    lib.close()
    store_path.write_bytes(b'{"_meta": {"1": {"sche')
    code, out = _doctor(capsys, "--repair")
    assert code == 0 and "backup library.compact." in out
    lib = Library.open(store_path)
    assert {s.id: s.tags for s in lib.list()} == expected
    assert [n.text for n in lib.notes()] == ["after the last compaction"]


def test_articles_only_in_content_files_are_rebuilt(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(store_path).close()
    store_path.write_bytes(b"garbage")
    store_path.with_name("library.journal").unlink()
    code, out = _doctor(capsys, "--repair")
    assert code == 0 and "3 articles rebuilt from content files" in out
    lib = Library.open(store_path)
    assert {s.id for s in lib.list()} == {_article(i).id for i in range(3)}
    assert lib.get(_article(1).id).body == _article(1).body
    assert lib.summary(_article(1).id).title.startswith("Summit talks number 1")


def test_corrupt_snapshot_with_nothing_to_salvage_is_left_untouched(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path.parent.mkdir(parents=True)
    garbage = b"not json at all"
    store_path.write_bytes(garbage)
    code, out = _doctor(capsys, "--repair")
    assert code == 1 and "left untouched" in out
    assert store_path.read_bytes() == garbage


def test_orphan_content_file_moved_aside(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(store_path).close()
    orphan = store_path.with_name("library.content") / "zz" / "zz0000000000.json"
    orphan.parent.mkdir(mode=0o700)
    orphan.write_text('{"body": "left by an interrupted import"}')
    orphan.chmod(0o600)
    code, out = _doctor(capsys)
    assert code == 1 and "unreferenced" in out and orphan.exists()

    code, out = _doctor(capsys, "--repair")
    assert code == 0
    assert not orphan.exists()
    moved = [p for p in _backups(store_path) if p.name == orphan.name]
    assert moved and "interrupted import" in moved[0].read_text()
    assert len(Library.open(store_path).list()) == 3


def test_loose_permissions_fixed(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(store_path).close()
    content_dir = store_path.with_name("library.content")
    content_file = next(content_dir.rglob("*.json"))
    store_path.chmod(0o644)
    content_dir.chmod(0o755)
    content_file.chmod(0o644)
    code, out = _doctor(capsys)
    assert code == 1 and "readable by others" in out
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o644

    code, _ = _doctor(capsys, "--repair")
    assert code == 0
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(content_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(content_file.stat().st_mode) == 0o600


def test_missing_search_index_rebuilt(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(store_path).close()
    index = store_path.with_name("library.fts.json")
    for part in store_path.parent.glob("library.fts.*"):
        os.unlink(part)
    code, out = _doctor(capsys)
    assert code == 1 and "search index misses 3" in out

    code, out = _doctor(capsys, "--repair")
    assert code == 0 and "rebuilt" in out
    assert index.exists()
    found = Library.open(store_path).list(ArticleFilter(search="word2x7"))
    assert [s.id for s in found] == [_article(2).id]


def test_check_never_writes(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_path.parent.mkdir(parents=True)
    for content in (b"", b"{}"):
        store_path.write_bytes(content)
        _doctor(capsys)
        assert store_path.read_bytes() == content
    _schema1_store(store_path)
    before = store_path.read_bytes()
    _doctor(capsys)
    assert store_path.read_bytes() == before, "a check does not migrate"


def test_foreign_json_file_is_not_called_healthy(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text('{"users": {"1": {"name": "someone"}}}')
    before = store_path.read_bytes()
    code, out = _doctor(capsys, "--repair")
    assert code == 1 and "not a Parallax store" in out
    assert store_path.read_bytes() == before
