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

from parallax.model import Article, content_id
from storage import Library, StoreError

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    from storage import Library
    path, article_id, prefix, compact = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    lib = Library.open(path, compact_ops=compact)
    i = 0
    while True:
        tag = f"{prefix}{i}"
        kind = i % 3
        if kind == 0:
            lib.update_tags(article_id, add=[tag])
        elif kind == 1:
            lib.add_note(article_id, tag)
        else:
            lib.set_flag(article_id, "starred", i % 2 == 0)
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
    path: Path, article_id: str, prefix: str, compact: int, count: int | None = None
) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", WRITER, str(path), article_id, prefix, str(compact)]
    if count is not None:
        args.append(str(count))
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
    for round_ in range(12):
        proc = _writer(path, article_id, f"r{round_}t", compact)
        time.sleep(0.25 + rng.random() * 0.4)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                if parts[1] == "0":
                    acked_tags.add(parts[2])
                elif parts[1] == "1":
                    acked_notes.add(parts[2])
        lib = Library.open(path)
        tags = set(lib.summary(article_id).tags)
        notes = {n.text for n in lib.notes(article_id)}
        lib.close()
        assert acked_tags <= tags, f"round {round_}: lost tags {acked_tags - tags}"
        assert acked_notes <= notes, f"round {round_}: lost notes {acked_notes - notes}"
    assert len(acked_tags) > 10  # the writers really did work before being killed


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    article_id = _seed(path)
    procs = [_writer(path, article_id, f"p{n}t", 50, count=30) for n in range(4)]
    acked: set[str] = set()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        acked |= {line.split()[2] for line in out.splitlines() if line.startswith("ack 0 ")}
    lib = Library.open(path)
    assert acked <= set(lib.summary(article_id).tags)
    assert len(acked) == 4 * 10


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
