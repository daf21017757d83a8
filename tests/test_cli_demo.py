"""`parallax demo` through the real console script in a pseudo-terminal: the temporary
copy of the demo store is removed however the session ends (quit, SIGTERM, SIGHUP), and
without a terminal the command refuses at once, pointing to `parallax list`."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def _prebuilt_demo_cache(seeds: tuple[Path, Path]) -> None:
    """The demo store the command would build, made here without analysis (spaCy in the
    child would only slow the test down; the cache key is the real one)."""
    import parallax.cli.app as cli_app
    from parallax.config import cache_dir

    cached = cache_dir() / f"demo-{cli_app.demo_cache_key(cli_app._seed_files())}"
    assert (
        main(
            [
                "--store",
                str(cached / cli_app.STORE_NAME),
                "import",
                "--no-analyze",
                "--json",
                *map(str, seeds),
            ]
        )
        == 0
    )


def _spawn_demo(tmpdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    leader, follower = pty.openpty()
    env = {
        **os.environ,
        "TMPDIR": str(tmpdir),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", "from parallax.cli import run; run()", "demo"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    return proc, leader


def _read_until(
    leader: int, proc: subprocess.Popen[bytes], text: bytes, timeout: float = 60
) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                seen += os.read(leader, 65536)
            except OSError:
                break
            if text in seen:
                return seen
    raise AssertionError(f"{text!r} never appeared; output: {seen[-2000:]!r}")


def _drain_until_exit(leader: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            with contextlib.suppress(OSError):
                os.read(leader, 65536)
    if proc.poll() is None:
        proc.kill()
        raise AssertionError("the demo did not exit")
    return proc.returncode


@pytest.mark.parametrize("ending", ["quit", "SIGTERM", "SIGHUP"])
def test_demo_removes_its_temporary_copy_however_it_ends(
    ending: str, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    _prebuilt_demo_cache(seeds)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc, leader = _spawn_demo(tmpdir)
    try:
        _read_until(leader, proc, b"Kerry")  # the reader is up on the copy
        assert [p.name.startswith("parallax-demo-") for p in tmpdir.iterdir()] == [True]
        if ending == "quit":
            os.write(leader, b"q")
        else:
            proc.send_signal(getattr(signal, ending))
        code = _drain_until_exit(leader, proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert list(tmpdir.iterdir()) == []
    if ending != "quit":
        assert code == 128 + getattr(signal, ending)


def test_demo_without_a_terminal_refuses_before_building_anything(
    capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    code = main(["demo"])  # pytest's stdin and stdout are not a terminal
    err = capsys.readouterr().err
    assert code == 2
    assert "needs a terminal" in err and "parallax list" in err
    assert not list((isolated_env / "cache").rglob("demo-*"))
