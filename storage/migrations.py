"""Schema versions of the store and the path from each to the next.

| schema | layout |
|--------|--------|
| 1      | one plain TinyDB `JSONStorage` file: `articles` (whole articles, integer doc ids), `notes`, `_meta` |
| 2      | snapshot + journal + content files (see `storage.library`) |

Before any migration the store file is copied to `<stem>.backups/` (the newest
`BACKUPS_KEPT` are kept), and the migrated store is written atomically, so a crash mid-way
leaves the old store as it was.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.errors import StoreCorruptError, StoreError
from storage.files import atomic_write, ensure_dir

STORE_SCHEMA = 2
BACKUPS_KEPT = 5

_CONTENT = ("body", "raw", "removed", "captions", "analysis")


def backup(path: Path, backup_dir: Path, label: str, data: bytes | None = None) -> Path:
    """Copy `path` (or `data`, its new content) into `backup_dir`; keep the newest few.

    Only the newest `BACKUPS_KEPT` copies of that file are kept, so backups taken at every
    compaction cannot fill the disk.
    """
    ensure_dir(backup_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = backup_dir / f"{path.stem}.{label}.{stamp}{path.suffix}"
    atomic_write(target, path.read_bytes() if data is None else data)
    # Oldest first by time: names start with different labels, so name order is not age.
    copies = sorted(
        backup_dir.glob(f"{path.stem}.*{path.suffix}"), key=lambda p: (p.stat().st_mtime_ns, p.name)
    )
    for old in copies[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        what = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        raise StoreError(
            f"cannot read store {path}: {what}. Nothing was changed; check the file's "
            "permissions and owner."
        ) from exc
    try:
        data = json.loads(raw or b"{}")
    except ValueError as exc:
        raise StoreCorruptError(
            f"store file {path} is corrupt ({exc}). It was left untouched; "
            "run `parallax doctor --repair` to restore it from its backup."
        ) from exc
    from storage.journal import shape_problem

    problem = shape_problem(data)
    if problem:
        raise StoreCorruptError(
            f"store file {path} is not a Parallax store or is damaged ({problem}). "
            "It was left untouched; check the --store path, or run `parallax doctor --repair`."
        )
    return data


_HEADER = re.compile(rb'\A\s*\{\s*"_meta"\s*:\s*\{\s*"1"\s*:\s*\{[^{}]*?"schema"\s*:\s*(\d+)')


def _header_schema(path: Path) -> int | None:
    """The schema named at the very start of a snapshot we wrote, or None if not there."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    match = _HEADER.match(head)
    return int(match.group(1)) if match else None


def schema_of(data: dict[str, Any]) -> int:
    meta = data.get("_meta", {}).get("1", {})
    if "schema" in meta:
        return int(meta["schema"])
    articles = data.get("articles", {})
    if any(isinstance(d, dict) and "body" in d for d in articles.values()):
        return 1
    return STORE_SCHEMA


def _write_content(path: Path, data: bytes) -> None:
    ensure_dir(path.parent)
    atomic_write(path, data)


def migrate_1_to_2(
    data: dict[str, Any],
    content_dir: Path,
    write: Callable[[Path, bytes], None] = _write_content,
) -> dict[str, Any]:
    """Move bodies, raw text and analysis out to content files; key records by article id.

    `write` stores one content file; `parallax doctor` passes a collector instead, so it
    can upgrade an old backup in memory and write only what its repair needs.
    """
    records: dict[str, Any] = {}
    for doc in data.get("articles", {}).values():
        rec = dict(doc)
        article_id = rec["id"]
        content = {k: rec.pop(k, None) for k in _CONTENT}
        content["removed"] = content["removed"] or []
        content["captions"] = content["captions"] or []
        path = content_dir / article_id[:2] / f"{article_id}.json"
        write(path, json.dumps(content, ensure_ascii=False).encode("utf-8"))
        analysis = content.get("analysis") or {}
        rec["entity_keys"] = sorted({e["key"] for e in analysis.get("entities", [])})
        rec["analysis_version"] = analysis.get("version")
        rec["words"] = len((content.get("body") or "").split())
        records[article_id] = rec
    notes = {d["id"]: d for d in data.get("notes", {}).values() if "id" in d}
    stories = {d["id"]: d for d in data.get("stories", {}).values() if "id" in d}
    return {
        "_meta": {"1": {"schema": 2, "gen": 1, "migrated_from": 1}},
        "articles": records,
        "notes": notes,
        "stories": stories,
    }


MIGRATIONS: dict[int, Callable[..., dict[str, Any]]] = {1: migrate_1_to_2}


def migrate_if_needed(path: Path, backup_dir: Path, content_dir: Path) -> int | None:
    """Bring the store at `path` up to `STORE_SCHEMA`. Returns the old schema if migrated.

    Called under the store lock. Newer schemas are left alone (the caller refuses them).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    header = _header_schema(path)
    if header is not None and header >= STORE_SCHEMA:
        # Our own snapshots start with `_meta`: no need to parse 100 MB twice per open
        # (the journal storage parses and checks the whole file right after this).
        return None
    data = _read(path)
    version = schema_of(data)
    if version >= STORE_SCHEMA:
        return None
    backup(path, backup_dir, f"schema{version}")
    old = version
    while version < STORE_SCHEMA:
        data = MIGRATIONS[version](data, content_dir)
        version += 1
    atomic_write(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    journal = path.with_name(path.stem + ".journal")
    if journal.exists():
        shutil.move(str(journal), str(backup_dir / f"{journal.name}.schema{old}"))
    return old
