"""Crash, concurrency and disk-failure behaviour of the store.

Every write the store acknowledges must be there after a SIGKILL at any moment, after
many processes write at once, and a failing disk must leave the previous state intact.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from parallax.model import Analysis, Article, Story, content_id
from storage import Library, StoreError
from storage.doctor import check

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    from storage import Library
    path, article_id, prefix, compact = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    lib = Library.open(path, compact_ops=compact)
    only_tags = len(sys.argv) > 6
    i = 0
    while True:
        tag = f"{prefix}{i}"
        kind = 0 if only_tags else i % 4
        print(f"try {kind}", flush=True)
        if kind == 0:
            lib.update_tags(article_id, add=[tag])
        elif kind == 1:
            lib.add_note(article_id, tag)
        elif kind == 2:
            value = (i // 4) % 2 == 0  # alternates between successive flag writes
            lib.set_flag(article_id, "starred", value)
            tag = "true" if value else "false"
        else:
            from parallax.model import Article, content_id
            new = Article(id=content_id(tag), title=tag, body=("Imported %s. " % tag) * 60, raw="r")
            lib.add_articles([new])
            tag = new.id
        print(f"ack {kind} {tag}", flush=True)
        i += 1
        if len(sys.argv) > 5 and i >= int(sys.argv[5]):
            break
    """
)


def _seed(path: Path) -> str:
    article = Article(id=content_id("durable"), title="Durable", body="Body text. " * 50, raw="raw")
    lib = Library.open(path)
    lib.add_articles([article])
    lib.close()
    return article.id


def _writer(
    path: Path,
    article_id: str,
    prefix: str,
    compact: int,
    count: int | None = None,
    only_tags: bool = False,
) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", WRITER, str(path), article_id, prefix, str(compact)]
    if count is not None:
        args.append(str(count))
    if only_tags:
        args.append("tags")
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
@pytest.mark.parametrize("compact", [5000, 7], ids=["journal", "frequent-compaction"])
def test_acknowledged_writes_survive_sigkill(tmp_path: Path, compact: int) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    rng = random.Random(1234 + compact)
    acked_tags: set[str] = set()
    acked_notes: set[str] = set()
    acked_imports: set[str] = set()
    for round_ in range(20):
        proc = _writer(path, article_id, f"r{round_}t", compact)
        time.sleep(0.25 + rng.random() * 0.5)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        last_flag: str | None = None
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                if parts[1] == "0":
                    acked_tags.add(parts[2])
                elif parts[1] == "1":
                    acked_notes.add(parts[2])
                elif parts[1] == "2":
                    last_flag = parts[2]
                else:
                    acked_imports.add(parts[2])
        lib = Library.open(path)
        tags = set(lib.summary(article_id).tags)
        notes = {n.text for n in lib.notes(article_id)}
        starred = lib.summary(article_id).starred
        # Every acknowledged import is complete: record and content both readable.
        bodies = {a.id: a.body for a in lib.iter_articles(acked_imports)}
        lib.close()
        assert acked_tags <= tags, f"round {round_}: lost tags {acked_tags - tags}"
        assert acked_notes <= notes, f"round {round_}: lost notes {acked_notes - notes}"
        assert set(bodies) == acked_imports, f"round {round_}: lost imports"
        assert all(b.startswith("Imported ") for b in bodies.values())
        lines = out.splitlines()
        in_flight = lines[-1] if lines and lines[-1].startswith("try ") else None
        if last_flag is not None and in_flight != "try 2":
            # No flag write was cut short, so the flag is what the last ack said.
            assert starred == (last_flag == "true"), f"round {round_}: lost flag write"
        report = check(path)
        errors = [f.message for f in report.findings if f.level == "error"]
        assert not errors, f"round {round_}: doctor finds {errors}"
    assert len(acked_tags) > 10 and acked_imports  # the writers really worked


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    procs = [_writer(path, article_id, f"p{n}t", 50, count=25, only_tags=True) for n in range(6)]
    acked: set[str] = set()
    for proc in procs:
        out, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0
        acked |= {line.split()[2] for line in out.splitlines() if line.startswith("ack 0 ")}
    lib = Library.open(path)
    assert len(acked) == 6 * 25
    assert acked == set(lib.summary(article_id).tags), "every acknowledged tag, nothing else"


@pytest.mark.parametrize("target", ["fsync", "write"])
def test_failed_journal_write_keeps_previous_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    lib = Library.open(path)
    lib.update_tags(article_id, add=["before"])

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(StoreError, match="disk is full"):
        lib.update_tags(article_id, add=["during"])
    monkeypatch.undo()
    # Not acknowledged, so not there: neither on disk nor in the open library.
    assert Library.open(path).summary(article_id).tags == ["before"]
    assert lib.summary(article_id).tags == ["before"]
    lib.update_tags(article_id, add=["after"])
    assert Library.open(path).summary(article_id).tags == ["before", "after"]


@pytest.mark.parametrize("target", ["fsync", "replace", "write"])
def test_failed_import_keeps_previous_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    lib = Library.open(path)
    new = Article(id=content_id("new"), title="New", body="Fresh text. " * 50, raw="raw new")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(StoreError, match="disk is full"):
        lib.add_articles([new])
    monkeypatch.undo()
    assert not list(lib.content_dir.rglob("*.tmp")), "temp files of the failed write are removed"
    again = Library.open(path)
    assert [r.id for r in again.list()] == [article_id]
    assert again.get(article_id).title == "Durable"
    assert lib.add_articles([new])[0].status == "imported"


def test_failed_compaction_does_not_fail_a_durable_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    lib = Library.open(path, compact_ops=1)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real_append = os.write
    monkeypatch.setattr(os, "replace", fail)  # compaction fails, the journal append works
    lib.update_tags(article_id, add=["journaled"])
    assert os.write is real_append
    monkeypatch.undo()
    assert Library.open(path).summary(article_id).tags == ["journaled"]


@pytest.mark.parametrize("target", ["fsync", "replace"])
def test_failed_reanalysis_keeps_previous_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    lib = Library.open(path)
    lib.set_analysis(article_id, Analysis(version="old", model="m"))

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(StoreError, match="disk is full"):
        lib.set_analysis(article_id, Analysis(version="new", model="m"))
    monkeypatch.undo()
    for store in (lib, Library.open(path)):
        analysis = store.get(article_id).analysis
        assert analysis is not None and analysis.version == "old"


def test_failed_story_edit_keeps_previous_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    lib = Library.open(path)
    lib.save_stories([Story(id="s1", title="Before", article_ids=[article_id])])

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def rename(stories: list[Story]) -> list[Story]:
        stories[0].title = "After"
        return stories

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(StoreError, match="disk is full"):
        lib.edit_stories(rename)
    monkeypatch.undo()
    for store in (lib, Library.open(path)):
        assert [s.title for s in store.stories()] == ["Before"]
        assert store.summary(article_id).story == "s1"
