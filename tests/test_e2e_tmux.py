"""End-to-end: the real `parallax` command in a real terminal (tmux), driven by keystrokes.

The screen is read back with `tmux capture-pane`, so these tests see what a user sees,
escape sequences and all. The hostile test stores an article whose title and body carry
an OSC 0 "set window title" sequence and markup, opens it, and checks the tmux pane title
(which OSC 0/2 would change) is unchanged and the text shows literally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def parallax_command() -> list[str]:
    script = Path(sys.executable).parent / "parallax"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from parallax.cli import run; run()"]


class Tmux:
    """One private tmux server running one command in a fixed-size pane."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return out.stdout

    def start(
        self, command: list[str], env: dict[str, str], width: int = 100, height: int = 30
    ) -> None:
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        shell = f"env {exports} {' '.join(_quote(c) for c in command)}; sleep 30"
        self.run(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            str(width),
            "-y",
            str(height),
            shell,
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", "t", key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t")

    def title(self) -> str:
        return self.run("display-message", "-p", "-t", "t", "#{pane_title}").strip()

    def wait_for(self, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(f"parallax-e2e-{os.getpid()}-{tmp_path.name}")
    try:
        yield session
    finally:
        session.kill()


def _env() -> dict[str, str]:
    keep = (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "PARALLAX_STORE",
        "PARALLAX_CONFIG",
        "PATH",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return env


def test_demo_opens_reads_and_quits(tmux: Tmux) -> None:
    tmux.start([*parallax_command(), "demo"], _env())
    screen = tmux.wait_for("articles", timeout=180)
    assert "Parallax" in screen
    assert "Kerry" in screen  # the seed story is listed
    tmux.keys("Enter")
    screen = tmux.wait_for("people")  # the legend: the demo store is analysed
    assert "US Secretary of State John Kerry" in screen
    assert "1 unread" in screen  # opening marked it read
    tmux.keys("n")
    tmux.wait_for("Enter: filter by it")
    tmux.keys("Escape", "?")
    tmux.wait_for("Library screen")
    tmux.keys("Escape", "q")
    time.sleep(1.5)
    assert "Library screen" not in tmux.screen()  # the app quit


def test_hostile_article_cannot_retitle_the_terminal(tmux: Tmux, store_path: Path) -> None:
    from parallax.model import Article
    from storage import Library  # type: ignore[attr-defined]

    store_path.parent.mkdir(parents=True, exist_ok=True)
    library = Library.open(store_path, create=True)
    library.add_articles(
        [
            Article(
                id="hostile00001",
                title="Hostile \x1b]0;PWNED-TITLE\x07 [red]x[/] [@click=app.quit]q",
                body="Body \x1b]2;PWNED-BODY\x1b\\ [bold]not bold[/] \x1b[2J end.",
                raw="",
                source="Evil Wire",
                published="2014-02-11",
            )
        ]
    )
    library.close()
    tmux.start(parallax_command(), _env())
    screen = tmux.wait_for("Hostile")
    before = tmux.title()
    tmux.keys("Enter")
    screen = tmux.wait_for("not bold")
    time.sleep(0.5)
    assert tmux.title() == before
    assert "PWNED" not in tmux.title()
    # The title may wrap in the reading pane, so look for each markup tag as typed.
    assert "[red]x[/]" in screen and "[@click=app.quit]q" in screen
    assert "[bold]not bold[/]" in screen
    tmux.keys("q")
