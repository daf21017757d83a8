"""The CLI faces of comparison: compare (report, Markdown, JSON, story matrix), stories,
story merge/split/move, and the streaming similarity command."""

from __future__ import annotations

import io
import json
import re

import pytest

from parallax.cli import main
from parallax.cli.context import Context
from parallax.compare import compare_articles
from parallax.model import AmbiguousIdError, Article, NotFoundError, Story
from tests.test_stories import FakeLibrary

HOSTILE = "Evil \x1b]0;pwned\x07 title [@click=app.quit]x[/]"


class CliLibrary(FakeLibrary):
    def resolve_id(self, id_or_prefix: str) -> str:
        found = [i for i in self.articles if i.startswith(id_or_prefix)]
        if not found:
            raise NotFoundError(f"no article {id_or_prefix!r}")
        if len(found) > 1:
            raise AmbiguousIdError(f"{id_or_prefix!r} is ambiguous")
        return found[0]

    def get(self, id_or_prefix: str) -> Article:
        return self.articles[self.resolve_id(id_or_prefix)]

    def close(self) -> None:
        pass


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> CliLibrary:
    a = Article(
        id="aaa111",
        title="Storm kills 12",
        body="The storm killed 12 people on Monday. Schools are closed.\n\n"
        "The talks ended without any agreement, officials in Seoul said.",
        raw="",
        source="Wire A",
    )
    b = Article(
        id="bbb222",
        title=HOSTILE,
        body="The storm killed 15 people on Monday. Power was cut. \x1b[31mRED\x1b[0m\n\n"
        "Officials in Seoul said the talks were followed by a deal.",
        raw="",
        source="Paper B",
    )
    c = Article(id="ccc333", title="C", body="The storm killed 12 people on Monday.", raw="")
    library = CliLibrary([a, b, c], [Story("s100", "Storm", ["aaa111", "bbb222", "ccc333"])])
    monkeypatch.setattr(Context, "library", lambda self, create=True: library)
    return library


def test_compare_json_is_the_contract_document(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", "aaa", "bbb", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(compare_articles(lib.get("aaa"), lib.get("bbb")).to_dict()))
    assert out["a"]["id"] == "aaa111" and out["b"]["source"] == "Paper B"


def test_compare_plain_report_is_readable_and_escape_free(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", "aaa", "bbb"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "[@click=app.quit]" in out  # shown literally, never interpreted
    assert "coverage:" in out and "of A is in B" in out and "of B is in A" in out
    lines = out.splitlines()
    # Two columns: the matched storm sentences side by side, the one-sided ones marked.
    storm = next(line for line in lines if "killed 12" in line)
    assert "killed 15" in storm and "| ~ |" in storm
    assert any("Schools are closed." in line and "| A |" in line for line in lines)
    assert any("| B |" in line and "Power was cut." in line for line in lines)
    assert "CHECK" in out and "figures differ" in out
    assert "TO CHECK (possible disagreements, not verdicts)" in out


def test_compare_plain_report_fits_the_width(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    for width in (60, 100, 160):
        monkeypatch.setenv("COLUMNS", str(width))
        assert main(["compare", "aaa", "bbb"]) == 0
        out = capsys.readouterr().out
        assert max(cell_len(line) for line in out.splitlines()) <= width
        sep = [line.index("|") for line in out.splitlines() if "| ~ |" in line]
        assert sep and all(k == sep[0] for k in sep)


def test_compare_markdown_report(lib: CliLibrary, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "aaa", "bbb", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Coverage comparison")
    assert "| A | | B |" in out and "## To Check" in out
    assert "\x1b" not in out


def test_compare_usage_errors_exit_2(lib: CliLibrary, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "aaa"]) == 2
    assert "compare needs two article ids" in capsys.readouterr().err
    assert main(["compare", "aaa", "bbb", "--story", "s1"]) == 2


def test_compare_story_matrix_json_and_text(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", "--story", "s1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sources"]] == ["aaa111", "bbb222", "ccc333"]
    assert data["story"]["id"] == "s100"
    assert {"facts", "entities", "quotes", "figures", "only"} <= set(data)
    assert main(["compare", "--story", "s100"]) == 0
    text = capsys.readouterr().out
    assert "FACTS" in text and "\x1b" not in text and "\x07" not in text
    # What each outlet alone reported, listed under its name.
    only = text.split("REPORTED BY ONE OUTLET ONLY", 1)[1]
    assert "Schools are closed." in only.split("[2]")[0]
    assert "Power was cut." in only.split("[2]")[1].split("[3]")[0]


def test_story_matrix_text_fits_the_width(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "60")
    assert main(["compare", "--story", "s100"]) == 0
    assert max(cell_len(line) for line in capsys.readouterr().out.splitlines()) <= 60


def test_stories_json_shape(lib: CliLibrary, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [
        {
            "id": "s100",
            "title": "Storm",
            "articles": ["aaa111", "bbb222", "ccc333"],
            "pinned": False,
        }
    ]


def test_story_split_move_merge_are_pinned_and_saved(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["story", "split", "s100", "ccc", "--title", "Aftermath", "--json"]) == 0
    new = json.loads(capsys.readouterr().out)
    assert new["articles"] == ["ccc333"] and new["title"] == "Aftermath" and new["pinned"]
    assert main(["story", "move", "bbb", "--to", new["id"]]) == 0
    capsys.readouterr()
    by_id = {s.id: s for s in lib.stories()}
    assert by_id["s100"].article_ids == ["aaa111"] and by_id["s100"].pinned
    assert by_id[new["id"]].article_ids == ["ccc333", "bbb222"]
    assert main(["story", "merge", "s100", new["id"], "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["id"] == "s100" and len(merged["articles"]) == 3
    assert main(["story", "merge", "s100", "nope"]) != 0
    assert "no story 'nope'" in capsys.readouterr().err


def test_similarity_streams_json_lines_and_reports_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps(
            {
                "a": "Kerry headed to Seoul on Thursday.",
                "b": "On Thursday Kerry travelled to Seoul.",
            }
        ),
        "{not json",
        "",
        json.dumps({"a": "x"}),
        json.dumps({"a": "The talks failed.", "b": "Heavy rain flooded Busan."}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["similarity", "--json"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 4
    assert out[0]["same"] is True and 0 <= out[0]["score"] <= 1
    assert out[1]["line"] == 2 and "not JSON" in out[1]["error"]
    assert out[2]["line"] == 4
    assert out[3]["same"] is False


def test_similarity_with_two_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["similarity", "--json", "The cat sat.", "The cat sat."]) == 0
    assert json.loads(capsys.readouterr().out)["same"] is True


def test_compare_on_a_terminal_renders_side_by_side_without_article_escapes(
    lib: CliLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    buffer = io.StringIO()
    original = Context.__init__

    def init(self: Context, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.out = Console(file=buffer, force_terminal=True, width=120, highlight=False)

    monkeypatch.setattr(Context, "__init__", init)
    assert main(["compare", "aaa", "bbb"]) == 0
    out = buffer.getvalue()
    assert "\x1b[" in out  # coloured on a terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert any("killed 12" in line and "killed 15" in line for line in plain.splitlines())
    assert max(len(line) for line in plain.splitlines()) <= 120
    assert "\x1b]" not in out and "\x07" not in out  # no OSC from the article title
    assert "\x1b[31m" not in out  # the article's own colour code is shown, not obeyed
    assert "[@click=app.quit]" in out


def test_similarity_answers_each_line_before_stdin_closes() -> None:
    """Streaming: a script can send a pair, read its answer, then send the next."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "parallax", "similarity", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(json.dumps({"a": "The cat sat.", "b": "The cat sat."}) + "\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # answered while stdin is still open
        assert first["same"] is True and set(first) == {"score", "same"}
        proc.stdin.write(json.dumps({"a": "Rain fell.", "b": "Markets rose sharply."}) + "\n")
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline())["same"] is False
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert proc.returncode == 0


def test_story_rename_keeps_the_users_title(
    lib: CliLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["story", "rename", "s100", "Storm", "on", "Monday", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "Storm on Monday" and out["pinned"] is True
    assert main(["stories", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["title"] == "Storm on Monday"
    assert main(["story", "rename", "nope", "X"]) != 0
    assert "no story 'nope'" in capsys.readouterr().err


def test_report_columns_stay_aligned_with_wide_characters_and_escapes() -> None:
    from rich.cells import cell_len

    from parallax.cli.compare_report import plain_report

    a = Article(
        id="k1",
        title="서울",
        body="케리 국무장관이 서울에 도착했다 오늘 오후에 회담을 열었다. The storm killed 12 people.",
        raw="",
    )
    b = Article(
        id="k2",
        title="B",
        body="The storm killed 12 people. \x1b]0;pwned\x07Evil [red]markup[/red] text here.",
        raw="",
    )
    out = plain_report(compare_articles(a, b).to_dict(), width=70)
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 70
    bars = {cell_len(line[: line.index("|")]) for line in lines if "|" in line}
    assert len(bars) == 1  # the divider sits in the same terminal column on every row
    assert "\x1b" not in out and "\x07" not in out
    assert "[red]markup[/red]" in out  # shown as written, never interpreted
