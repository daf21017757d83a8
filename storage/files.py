"""Durable file primitives: atomic replace, fsynced appends, owner-only files, a lock.

Every byte the store writes goes through these functions, so the crash-safety argument
lives in one place:

- `atomic_write`: serialise first, write a temp file in the same directory, fsync it,
  `os.replace` it over the target, fsync the directory. A reader sees the old file or the
  new one, never a torn one.
- `append_durable`: one `os.write` of a whole line to an O_APPEND file, then fsync. A crash
  can leave at most one torn last line, which replay ignores (it was never acknowledged).
- `StoreLock`: an exclusive `fcntl.flock` on a companion `.lock` file, held around every
  read-modify-write so several processes never lose each other's updates.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from storage.errors import StoreError, StoreLockedError

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_dir(path: Path) -> None:
    """Create `path` (and any missing parents) owner-only if missing.

    `Path.mkdir(parents=True)` gives the parents default permissions, so each missing
    level is created separately with `DIR_MODE`.
    """
    if path.exists():
        return
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for p in reversed(missing):
        with contextlib.suppress(FileExistsError):
            p.mkdir(mode=DIR_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename or file creation in `path` durable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Raises `StoreError` naming the file when the disk refuses (full, read-only...); the
    previous content is then left intact and the temp file removed.
    """
    ensure_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(_describe(exc, path)) from exc
    fsync_dir(path.parent)


def atomic_write_many(items: Sequence[tuple[Path, bytes]]) -> None:
    """`atomic_write` for a batch of new files (an import's content files), much faster.

    Same guarantee per file (each target is the old file or the complete new one), but the
    fsyncs run concurrently from a few threads: the file system then commits them in a
    handful of journal transactions instead of one per file (measured: 1,000 content files
    in about 0.2 s instead of 10 s). Every file is durable when this returns; on failure
    the temp files are removed and `StoreError` names the file that failed.
    """
    if not items:
        return
    stamp = f"{os.getpid()}.{time.monotonic_ns()}"
    written: list[tuple[Path, Path, int]] = []
    current = items[0][0]
    try:
        for path, data in items:
            current = path
            ensure_dir(path.parent)
            tmp = path.with_name(f".{path.name}.{stamp}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            written.append((path, tmp, fd))
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        with ThreadPoolExecutor(max_workers=min(16, len(written))) as pool:
            list(pool.map(lambda entry: os.fsync(entry[2]), written))
        for i, (path, tmp, fd) in enumerate(written):
            current = path
            written[i] = (path, tmp, -1)
            os.close(fd)
            os.replace(tmp, path)
    except OSError as exc:
        for _path, tmp, fd in written:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise StoreError(_describe(exc, current)) from exc
    dirs = {path.parent for path, _tmp, _fd in written}
    dirs |= {d.parent for d in dirs}
    with ThreadPoolExecutor(max_workers=min(16, len(dirs))) as pool:
        list(pool.map(fsync_dir, dirs))


def append_durable(path: Path, line: bytes) -> None:
    """Append one complete line to `path` and fsync before returning."""
    if not line.endswith(b"\n"):
        line += b"\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(_describe(exc, path)) from exc


def truncate(path: Path, size: int) -> None:
    """Cut a torn tail off a journal (under the lock) so the next append starts clean."""
    try:
        with open(path, "r+b") as fh:
            fh.truncate(size)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise StoreError(_describe(exc, path)) from exc


def _describe(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        what = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        what = "permission denied"
    elif exc.errno == errno.EROFS:
        what = "the file system is read-only"
    else:
        what = exc.strerror or str(exc)
    return f"cannot write {path}: {what}. Nothing was changed; free space or fix permissions and retry."


class StoreLock:
    """An exclusive, re-entrant (per object) cross-process lock on `<store>.lock`."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        try:
            ensure_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise StoreError(f"cannot open lock file {self.path}: {exc.strerror}") from exc
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise StoreLockedError(
                        f"the store is locked by another process ({self.path}); "
                        "try again in a moment"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
