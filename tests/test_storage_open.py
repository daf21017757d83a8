"""Opening stores that are missing, foreign, damaged in shape, newer or unreadable.

Each gives a clear error naming the file, and no file is created or changed.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from parallax.cli import main
from parallax.model import Article, content_id
from storage import Library, StoreCorruptError, StoreError, StoreNotFoundError
from storage.migrations import BACKUPS_KEPT


def _article(n: int) -> Article:
    return Article(
        id=content_id(f"open {n}"),
        title=f"Open {n}",
        body=f"Body {n}. " + " ".join(f"o{n}w{i}" for i in range(50)),
        raw="raw",
    )


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_read_only_open_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "library.json"
    with pytest.raises(StoreNotFoundError, match="no store at") as err:
        Library.open(path, create=False)
    assert str(path) in str(err.value)
    assert not (tmp_path / "nested").exists()


def test_store_is_created_on_first_write_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "library.json"
    lib = Library.open(path)
    assert lib.list() == [] and lib.stats().total == 0 and lib.refresh() is False
    assert not (tmp_path / "nested").exists(), "reading an absent store must not create it"
    article = _article(1)
    lib.add_articles([article])
    assert Library.open(path, create=False).get(article.id).title == "Open 1"
    for p in [path.parent, *path.parent.rglob("*")]:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, f"{p} is readable by others"


def test_first_write_keeps_a_store_another_process_created_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    early = Library.open(path)  # before the store exists
    Library.open(path).add_articles([_article(1)])
    early.add_articles([_article(2)])
    assert {s.title for s in Library.open(path).list()} == {"Open 1", "Open 2"}


def test_cli_list_on_a_missing_store_says_so_and_creates_nothing(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read-only commands name the missing store (a typo in --store is the usual cause).
    assert main(["list"]) == 3
    assert "no store at" in capsys.readouterr().err
    assert main(["show", "abc"]) == 3
    assert "no store at" in capsys.readouterr().err
    assert main(["doctor"]) == 1
    assert "no store at" in capsys.readouterr().out
    assert not store_path.parent.exists(), "read-only commands must not create the store"


@pytest.mark.parametrize(
    "content",
    [
        b'{"_default": {}}',
        b'{"_default": {"1": {"name": "a TinyDB of someone else"}}}',
        b'{"users": {"1": {"name": "x"}}}',
    ],
    ids=["empty-tinydb", "tinydb", "other-json"],
)
def test_foreign_file_is_not_a_parallax_store_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(content)
    with pytest.raises(StoreCorruptError, match="not a Parallax store") as err:
        Library.open(path)
    assert str(path) in str(err.value)
    assert _files(tmp_path) == {"notes.json": content}, "nothing changed or added beside it"


@pytest.mark.parametrize(
    "content",
    [
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"_meta": {"1": {"schema": 2, "gen": 1}}, "articles": []}',
        b'{"_meta": {"1": {"schema": 2, "gen": 1}}, "articles": {"abc": 5}}',
        b'{"_meta": {"1": {"schema": 2, "gen": 1}}, "articles": {"abc": {"title": "no id"}}}',
    ],
    ids=["list", "string", "table-list", "doc-number", "doc-without-id"],
)
def test_valid_json_of_the_wrong_shape_is_an_error_not_a_crash(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "library.json"
    path.write_bytes(content)
    with pytest.raises(StoreCorruptError) as err:
        Library.open(path)
    assert str(path) in str(err.value)
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    "line",
    [
        b"[1, 2]",
        b'{"g": 1, "ops": [[1, 2]]}',
        b'{"g": 1, "ops": [["articles", "x", 5]]}',
        b'{"g": "one", "ops": []}',
        b'{"g": 1, "ops": [["articles", "zz", {"title": "no id"}]]}',
    ],
    ids=["list", "short-op", "doc-number", "gen-string", "doc-without-id"],
)
def test_wrong_shape_journal_line_is_an_error_not_a_crash(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "library.json"
    lib = Library.open(path)
    lib.add_articles([_article(1)])
    good = lib.journal_path.read_bytes()
    gen = lib.storage.generation
    damaged = line.replace(b'"g": 1', f'"g": {gen}'.encode()) + b"\n" + good
    lib.journal_path.write_bytes(damaged)
    before = _files(tmp_path)
    with pytest.raises(StoreCorruptError, match="journal") as err:
        Library.open(path)
    assert str(lib.journal_path) in str(err.value)
    assert _files(tmp_path) == before


def test_no_permission_is_a_clear_error_and_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.json"
    Library.open(path).add_articles([_article(1)])
    before = _files(tmp_path)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(StoreError, match="permission denied") as err:
        Library.open(path)
    assert str(path) in str(err.value)
    monkeypatch.undo()

    real_read = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(StoreError, match=r"(?i)permission denied") as err2:
        Library.open(path)
    assert not isinstance(err2.value, StoreCorruptError), "unreadable is not corrupt"
    monkeypatch.undo()
    assert _files(tmp_path) == before


def test_compaction_keeps_rotating_backups(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    lib = Library.open(path, compact_ops=1)
    article = _article(1)
    lib.add_articles([article])
    for i in range(BACKUPS_KEPT + 3):
        lib.update_tags(article.id, add=[f"t{i}"])
    backups = sorted((tmp_path / "library.backups").glob("library.compact.*.json"))
    assert len(backups) == BACKUPS_KEPT
    newest = max(backups, key=lambda p: p.stat().st_mtime_ns)
    assert json.loads(newest.read_bytes()) == json.loads(path.read_bytes())


def test_snapshot_starts_with_its_schema_and_old_ones_still_migrate(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    Library.open(path).add_articles([_article(1)])
    with Library.open(path, compact_ops=1) as lib:
        lib.update_tags(_article(1).id, add=["x"])  # compacts
    assert path.read_bytes().startswith(b'{"_meta":{"1":{"schema":2')
    # A schema-1 file with its `_meta` first is still recognised as old and migrated.
    old = tmp_path / "old.json"
    doc = {**_article(2).to_dict(), "tags": ["legacy"]}
    old.write_text(json.dumps({"_meta": {"1": {"schema": 1}}, "articles": {"1": doc}}))
    assert Library.open(old).summary(_article(2).id).tags == ["legacy"]
    # A header that looks right does not excuse a damaged rest.
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"_meta":{"1":{"schema":2,"gen":1}},"articles":{"x":')
    with pytest.raises(StoreCorruptError):
        Library.open(bad)
    assert bad.read_bytes() == b'{"_meta":{"1":{"schema":2,"gen":1}},"articles":{"x":'
