"""`parallax doctor`: check a store and repair what can be repaired safely.

Checks never write. Repairs always keep a copy of whatever they change in the backups
folder first, and never guess at a user's data: a corrupt snapshot is restored only from a
backup, a damaged journal line stops the repair of the journal rather than dropping it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.errors import StoreError
from storage.files import DIR_MODE, FILE_MODE, StoreLock, atomic_write, ensure_dir, truncate
from storage.journal import parse_entry, shape_problem
from storage.migrations import MIGRATIONS, STORE_SCHEMA, backup, schema_of


@dataclass
class Finding:
    level: str  # "ok", "warning", "error"
    check: str
    message: str
    repaired: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "check": self.check,
            "message": self.message,
            "repaired": self.repaired,
        }


@dataclass
class Report:
    path: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.level == "ok" or f.repaired for f in self.findings)

    def add(self, level: str, check: str, message: str, repaired: bool = False) -> None:
        self.findings.append(Finding(level, check, message, repaired))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "ok": self.ok, "findings": [f.to_dict() for f in self.findings]}


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.stem + suffix)


def check(path: Path, *, repair: bool = False) -> Report:
    """Check (and with `repair`, mend) the store at `path`."""
    report = Report(str(path))
    if not path.exists():
        report.add("error", "store", f"no store at {path}")
        return report
    backup_dir = _companion(path, ".backups")
    journal = _companion(path, ".journal")
    content_dir = _companion(path, ".content")
    lock = StoreLock(_companion(path, ".lock"))
    with lock.held():
        data = _check_snapshot(path, backup_dir, report, repair)
        if data is None:
            return report
        _check_journal(journal, backup_dir, report, repair)
        records = _records_with_journal(data, journal)
        _check_content(records, content_dir, backup_dir, report, repair)
        companions = [
            journal,
            _companion(path, ".fts.json"),
            _companion(path, ".fts.log"),
            _companion(path, ".lock"),
            content_dir,
            backup_dir,
        ]
        _check_permissions(path, companions, report, repair)
    if schema_of(data) < STORE_SCHEMA and not repair:
        # Opening it would migrate it, and a check must never write.
        report.add(
            "ok",
            "search",
            "store uses an older schema; it is migrated (with a backup) when next opened",
        )
    elif not data.get("_meta") and schema_of(data) >= STORE_SCHEMA and any(data.values()):
        tables = ", ".join(sorted(t for t, docs in data.items() if docs)[:3])
        report.add(
            "error",
            "store",
            f"{path} is not a Parallax store (it holds {tables} but no Parallax metadata); "
            "left untouched — check the --store path",
        )
    elif not data.get("_meta") and not repair:
        # Opening a store without metadata writes its metadata, and a check never writes.
        report.add("ok", "search", "no search index needed yet (the store is empty)")
    elif not any(f.check == "journal" and f.level == "error" for f in report.findings):
        _check_index(path, report, repair)
    return report


def _snapshot_backups(path: Path, backup_dir: Path) -> list[Path]:
    """Backups of the snapshot, oldest first (by time: names start with different labels)."""
    if not backup_dir.exists():
        return []
    found = [p for p in backup_dir.glob(f"{path.stem}.*{path.suffix}") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _parse_snapshot(raw: bytes) -> dict[str, Any]:
    data = json.loads(raw or b"{}")
    problem = shape_problem(data)
    if problem:
        raise ValueError(f"not a Parallax store layout: {problem}")
    return data


def _journal_entries(journal: Path) -> list[tuple[int, list[list[Any]]]]:
    """The well-formed journal lines, in order, up to the first damaged one."""
    entries: list[tuple[int, list[list[Any]]]] = []
    try:
        raw = journal.read_bytes()
    except OSError:
        return entries
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            entries.append(parse_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            break
    return entries


def _salvage(
    path: Path, backup_dir: Path, journal: Path, content_dir: Path
) -> tuple[dict[str, Any], str, dict[Path, bytes]] | None:
    """Rebuild a damaged snapshot from what survives, or None if nothing does.

    In order: the newest usable backup (compaction backups are copies of a whole
    snapshot), then every journal write of that backup's generation or later (each is a
    whole-document put or delete, so replaying them over an older base gives their later
    state), then a minimal record for any article whose content file survives but
    which neither knew about (title from its body; its tags and flags are lost).
    """
    base: dict[str, Any] | None = None
    source = None
    content_writes: dict[Path, bytes] = {}
    for candidate in reversed(_snapshot_backups(path, backup_dir)):
        try:
            data = _parse_snapshot(candidate.read_bytes())
            version = schema_of(data)
            if version > STORE_SCHEMA:
                continue
            while version < STORE_SCHEMA:
                # An older-schema backup (taken before a migration): upgrade it in memory;
                # its content files are written only where none exists.
                data = MIGRATIONS[version](data, content_dir, content_writes.__setitem__)
                version += 1
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            content_writes.clear()
            continue
        base, source = data, candidate.name
        break
    content_writes = {p: b for p, b in content_writes.items() if not p.exists()}
    entries = _journal_entries(journal)
    contents = sorted(content_dir.glob("*/*.json")) if content_dir.exists() else []
    contents += [p for p in content_writes if p not in set(contents)]
    if base is None and not entries and not contents:
        return None
    data = base or {"_meta": {"1": {"schema": STORE_SCHEMA, "gen": 0}}}
    base_gen = int(data.get("_meta", {}).get("1", {}).get("gen", 0))
    replayed = 0
    top_gen = base_gen
    for gen, ops in entries:
        if gen < base_gen:
            continue
        top_gen = max(top_gen, gen)
        for table, doc_id, doc in ops:
            tbl = data.setdefault(table, {})
            if doc is None:
                tbl.pop(doc_id, None)
            else:
                tbl[doc_id] = doc
        replayed += 1
    articles = data.setdefault("articles", {})
    recovered = 0
    for content_path in contents:
        article_id = content_path.stem
        if article_id in articles:
            continue
        try:
            raw = content_writes.get(content_path) or content_path.read_bytes()
            content = json.loads(raw)
            body = content["body"]
            if not isinstance(body, str):
                continue
        except (OSError, ValueError, KeyError, TypeError):
            continue
        first = next((ln.strip("# ").strip() for ln in body.splitlines() if ln.strip()), "")
        analysis = content.get("analysis") or {}
        articles[article_id] = {
            "id": article_id,
            "title": (first[:120] or "(recovered article)"),
            "tags": [],
            "entity_keys": sorted(
                {e.get("key") for e in analysis.get("entities", []) if e.get("key")}
            ),
            "analysis_version": analysis.get("version"),
            "words": len(body.split()),
        }
        recovered += 1
    meta = data.setdefault("_meta", {}).setdefault("1", {})
    meta["schema"] = STORE_SCHEMA
    # Past every journal line: they are folded in now and must not be replayed again.
    meta["gen"] = top_gen + 1
    parts = [f"backup {source}" if source else "no backup"]
    parts.append(f"{replayed} journal writes")
    if recovered:
        parts.append(f"{recovered} articles rebuilt from content files (tags/flags lost)")
    return data, ", ".join(parts), content_writes


def _check_snapshot(
    path: Path, backup_dir: Path, report: Report, repair: bool
) -> dict[str, Any] | None:
    journal = _companion(path, ".journal")
    content_dir = _companion(path, ".content")
    try:
        data = _parse_snapshot(path.read_bytes())
    except (OSError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            report.add("error", "snapshot", f"cannot read {path}: permission denied")
            return None
        salvage = _salvage(path, backup_dir, journal, content_dir)
        if repair and salvage is not None:
            restored, how, content_writes = salvage
            for content_path, payload in content_writes.items():
                ensure_dir(content_path.parent)
                atomic_write(content_path, payload)
            ensure_dir(backup_dir)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            aside = backup_dir / f"{path.name}.corrupt.{stamp}"
            # Keep the corrupt file and the journal byte for byte (the file by a rename:
            # no copy that could fail half-way), then put the rebuilt store in place.
            if journal.exists():
                backup(journal, backup_dir, "salvage")
            os.replace(path, aside)
            atomic_write(
                path, json.dumps(restored, ensure_ascii=False, separators=(",", ":")).encode()
            )
            report.add(
                "error",
                "snapshot",
                f"{path} was corrupt ({exc}); restored from {how} "
                f"(the corrupt file is kept as {aside})",
                repaired=True,
            )
            return restored
        hint = (
            f"run `parallax doctor --repair` to rebuild it from what survives ({salvage[1]})"
            if salvage
            else "no usable backup, journal or content exists; the file was left untouched"
        )
        report.add("error", "snapshot", f"{path} is corrupt ({exc}); {hint}")
        return None
    version = schema_of(data)
    if version > STORE_SCHEMA:
        report.add(
            "error",
            "schema",
            f"schema {version} is newer than this Parallax reads ({STORE_SCHEMA}); upgrade Parallax",
        )
        return None
    report.add(
        "ok",
        "snapshot",
        f"snapshot readable, schema {version}, {len(data.get('articles', {}))} articles",
    )
    return data


def _check_journal(journal: Path, backup_dir: Path, report: Report, repair: bool) -> None:
    if not journal.exists():
        report.add("ok", "journal", "no journal")
        return
    raw = journal.read_bytes()
    good_end = 0
    pos = 0
    damaged_at = None
    while pos < len(raw):
        nl = raw.find(b"\n", pos)
        line = raw[pos:] if nl < 0 else raw[pos:nl]
        try:
            if nl < 0:
                raise ValueError("no newline")
            parse_entry(json.loads(line))
        except (ValueError, KeyError, TypeError):
            damaged_at = pos
            break
        pos = nl + 1
        good_end = pos
    if damaged_at is None:
        report.add("ok", "journal", f"journal intact ({len(raw)} bytes)")
        return
    is_tail = raw.find(b"\n", damaged_at) in (-1, len(raw) - 1)
    if is_tail and repair:
        backup(journal, backup_dir, "journal")
        truncate(journal, good_end)
        report.add(
            "warning",
            "journal",
            f"cut a torn last write at byte {damaged_at} (it was never acknowledged)",
            repaired=True,
        )
    elif is_tail:
        report.add(
            "warning",
            "journal",
            f"torn last write at byte {damaged_at} (never acknowledged; ignored on open, cut by --repair)",
        )
    else:
        report.add(
            "error",
            "journal",
            f"journal damaged at byte {damaged_at} before its end; kept untouched — restore from backup or report it",
        )


def _records_with_journal(data: dict[str, Any], journal: Path) -> dict[str, Any]:
    records = dict(data.get("articles", {}))
    gen = int(data.get("_meta", {}).get("1", {}).get("gen", 0))
    if journal.exists():
        for entry_gen, ops in _journal_entries(journal):
            if entry_gen != gen:
                continue
            for table, doc_id, doc in ops:
                if table == "articles":
                    if doc is None:
                        records.pop(doc_id, None)
                    else:
                        records[doc_id] = doc
    return records


def _check_content(
    records: dict[str, Any], content_dir: Path, backup_dir: Path, report: Report, repair: bool
) -> None:
    if any(isinstance(d, dict) and "body" in d for d in records.values()):
        # Schema 1 (e.g. just restored from a pre-migration backup): content is inline.
        report.add(
            "ok", "content", f"content stored inline for {len(records)} articles (older schema)"
        )
        return
    missing = [i for i in records if not (content_dir / i[:2] / f"{i}.json").exists()]
    if missing:
        report.add(
            "error",
            "content",
            f"{len(missing)} articles have no content file: {', '.join(missing[:5])}; re-import them",
        )
    else:
        report.add("ok", "content", f"content present for all {len(records)} articles")
    if not content_dir.exists():
        return
    orphans = [p for p in content_dir.glob("*/*.json") if p.stem not in records]
    # Temp files of a write interrupted by a crash (never renamed into place).
    orphans += [p for p in content_dir.glob("*/.*.tmp")]
    if orphans and repair:
        target = backup_dir / "orphans"
        ensure_dir(target)
        for p in orphans:
            shutil.move(str(p), str(target / p.name))
        report.add(
            "warning",
            "orphans",
            f"moved {len(orphans)} unreferenced content files to {target}",
            repaired=True,
        )
    elif orphans:
        report.add(
            "warning",
            "orphans",
            f"{len(orphans)} unreferenced content files (left by an interrupted import); --repair moves them aside",
        )


def _check_permissions(path: Path, others: list[Path], report: Report, repair: bool) -> None:
    loose = []
    todo = [path, *others]
    while todo:
        p = todo.pop()
        if not p.exists() or p.is_symlink():
            continue
        if p.is_dir():
            todo.extend(p.iterdir())
        mode = stat.S_IMODE(p.stat().st_mode)
        if mode & 0o077:
            loose.append(p)
            if repair:
                os.chmod(p, DIR_MODE if p.is_dir() else FILE_MODE)
    if not loose:
        report.add("ok", "permissions", "store files are readable by their owner only")
    else:
        names = ", ".join(sorted(p.name for p in loose)[:5]) + (" ..." if len(loose) > 5 else "")
        if repair:
            report.add(
                "warning",
                "permissions",
                f"made {len(loose)} files owner-only: {names}",
                repaired=True,
            )
        else:
            report.add(
                "warning",
                "permissions",
                f"{len(loose)} files readable by others: {names}; --repair fixes them",
            )


def _check_index(path: Path, report: Report, repair: bool) -> None:
    from storage.library import Library

    try:
        lib = Library.open(path, create=False)
    except StoreError as exc:
        report.add("error", "open", str(exc))
        return
    try:
        indexed = lib.search_index.indexed()
        ids = set(lib.storage.data.get("articles", {}))
        if ids <= indexed:
            report.add("ok", "search", "search index covers every article")
            return
        if repair:
            # Under the store lock: an import running meanwhile adds to the index too, and
            # the rebuild must not overwrite its additions.
            with lib.lock.held():
                lib.refresh()
                docs = []
                for article in lib.iter_articles():
                    docs.append((article.id, f"{article.title}\n{article.body}"))
                lib.search_index.rebuild(docs)
            report.add(
                "warning", "search", f"search index rebuilt ({len(docs)} articles)", repaired=True
            )
        else:
            report.add(
                "warning",
                "search",
                f"search index misses {len(ids - indexed)} articles; --repair rebuilds it",
            )
    finally:
        lib.close()
