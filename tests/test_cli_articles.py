"""The article commands through the real entry point (`parallax.cli.main`): import,
list, show, tag/read/star/archive, note/notes, and the output rules (one JSON document
with --json, plain text on pipes, no escape sequences from article content, clear errors
with exit codes instead of tracebacks)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parallax.cli import main
from parallax.model import Anchor, Article
from storage import Library

ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_TITLE = "Evil \x1b]0;pwned\x07 title \x1b[31mred\x1b[0m [bold]x[/bold] \u202eevil \x9b2J"


class Run:
    """Calls `main([...])` and returns (exit code, stdout, stderr)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)  # exactly one document: json.loads rejects trailing text


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)


@pytest.fixture
def imported(run: Run, seeds: tuple[Path, Path]) -> dict[str, str]:
    """Both seeds imported without analysis; maps "afp"/"yonhap" to their ids."""
    report = run.json("import", "--no-analyze", *map(str, seeds))
    ids = {Path(i["path"]).name.split("-")[0]: i["id"] for i in report["imported"]}
    return ids


def _write_json(path: Path, **record: Any) -> Path:
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


# -- import ---------------------------------------------------------------------------------


def test_import_seeds_then_reimport_is_skipped(run: Run, seeds: tuple[Path, Path]) -> None:
    report = run.json("import", "--no-analyze", *map(str, seeds))
    assert len(report["imported"]) == 2
    assert report["skipped"] == [] and report["failed"] == []
    titles = sorted(i["title"] for i in report["imported"])
    assert titles[0].startswith("In Seoul, Kerry")
    assert titles[1].startswith("Kerry due in Seoul")
    assert all(set(i) >= {"id", "title", "path"} for i in report["imported"])

    again = run.json("import", "--no-analyze", *map(str, seeds))
    assert again["imported"] == []
    assert {s["path"] for s in again["skipped"]} == {str(s) for s in seeds}
    assert all("already" in s["reason"] for s in again["skipped"])
    assert len(run.json("list")) == 2


def test_bad_files_fail_with_reasons_and_the_rest_is_imported(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    afp, yonhap = seeds
    first = run.json("import", "--no-analyze", str(afp))
    kept_id = first["imported"][0]["id"]

    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "x", "body": ', encoding="utf-8")
    code, out, err = run("import", "--no-analyze", "--json", str(binary), str(yonhap), str(broken))
    assert code == 1
    report = json.loads(out)
    failed = {f["path"]: f["error"] for f in report["failed"]}
    assert set(failed) == {str(binary), str(broken)}
    assert "JSON" in failed[str(broken)]
    assert failed[str(binary)]
    assert [i["path"] for i in report["imported"]] == [str(yonhap)]

    ids = {a["id"] for a in run.json("list")}
    assert kept_id in ids and len(ids) == 2  # nothing previously stored was lost

    # Human output: a summary, and each failure with its reason (on stderr).
    code, out, err = run("import", "--no-analyze", str(binary), str(broken))
    assert code == 1
    assert "0 imported, 0 skipped, 2 failed" in out
    assert str(binary) in err and str(broken) in err and "JSON" in err


def test_import_from_stdin(
    run: Run, seeds: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = seeds[1].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    report = run.json("import", "--no-analyze", "-")
    assert len(report["imported"]) == 1
    assert report["imported"][0]["title"].startswith("In Seoul, Kerry")


def test_near_duplicate_is_imported_and_names_its_twin(run: Run, tmp_path: Path) -> None:
    body = " ".join(
        f"Sentence {i} says the talks between the two Koreas went on for many hours."
        for i in range(12)
    )
    a = _write_json(tmp_path / "a.json", title="Talks go on", source="Paper A", body=body)
    b = _write_json(tmp_path / "b.json", title="Talks continue", source="B", body=body + " Also.")
    run.json("import", "--no-analyze", str(a))
    report = run.json("import", "--no-analyze", str(b))
    [entry] = report["imported"]
    twin = run.json("list", "--source", "Paper A")[0]["id"]
    assert entry["duplicate_of"] == twin


def test_missing_model_warns_once_and_stores_unanalysed(
    run: Run, seeds: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import parallax.analysis as analysis

    calls = []

    def unavailable(articles: Any, **_: Any) -> Any:
        calls.append(len(articles))
        raise analysis.ModelUnavailableError(
            "spaCy model 'x' is not installed; point PARALLAX_SPACY_MODEL at an installed "
            "spaCy pipeline"
        )

    monkeypatch.setattr(analysis, "analyze_articles", unavailable)
    code, out, err = run("import", *map(str, seeds))
    assert code == 0
    assert err.count("is not installed") == 1
    # the model's message and ours are two sentences, not one run-on
    assert "installed spaCy pipeline. Articles are stored without analysis" in err
    assert "2 imported" in out and "without analysis" in out
    article_id = run.json("list")[0]["id"]
    shown = run.json("show", article_id)
    assert shown["analysed"] is False and shown["entities"] == [] and shown["quotes"] == []
    assert shown["stale"] is True  # never analysed: `reanalyze` would do it


def test_piped_import_shows_no_progress_bar(run: Run, seeds: tuple[Path, Path]) -> None:
    code, out, err = run("import", "--no-analyze", *map(str, seeds))
    assert code == 0
    assert err == ""
    assert ESCAPES.search(out) is None


# -- list -----------------------------------------------------------------------------------


def test_list_json_rows_and_filters(run: Run, imported: dict[str, str]) -> None:
    rows = run.json("list")
    assert [
        set(r)
        >= {
            "id",
            "title",
            "source",
            "agency",
            "author",
            "published",
            "tags",
            "read",
            "starred",
            "story",
        }
        for r in rows
    ] == [True, True]
    assert [r["id"] for r in rows] == [imported["afp"], imported["yonhap"]]  # newest first

    assert [r["id"] for r in run.json("list", "--agency", "Yonhap")] == [imported["yonhap"]]
    assert [r["id"] for r in run.json("list", "--source", "xinmsn")] == [imported["afp"]]
    assert run.json("list", "--search", "Andrews Air Force")[0]["id"] == imported["afp"]
    assert run.json("list", "--since", "2014-02-14") == []
    assert len(run.json("list", "--since", "2014-02-13", "--until", "2014-02-13")) == 2
    assert [r["id"] for r in run.json("list", "--sort", "title", "--limit", "1")] == [
        imported["yonhap"]
    ]

    run("tag", imported["afp"], "+korea")
    run("star", imported["yonhap"])
    run("read", imported["afp"])
    assert [r["id"] for r in run.json("list", "--tag", "korea")] == [imported["afp"]]
    assert [r["id"] for r in run.json("list", "--starred")] == [imported["yonhap"]]
    assert [r["id"] for r in run.json("list", "--unread")] == [imported["yonhap"]]

    run("archive", imported["afp"])
    assert [r["id"] for r in run.json("list")] == [imported["yonhap"]]
    assert [r["id"] for r in run.json("list", "--archived")] == [imported["afp"]]
    assert len(run.json("list", "--all")) == 2


def test_list_plain_output_is_one_line_per_article(run: Run, imported: dict[str, str]) -> None:
    run("tag", imported["yonhap"], "+diplomacy")
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert imported["yonhap"] in lines[1] and "The Korea Herald (Yonhap)" in lines[1]
    assert "#diplomacy" in lines[1] and "2014-02-13" in lines[1]


def test_list_rejects_a_bad_date(run: Run, imported: dict[str, str]) -> None:
    code, out, err = run("list", "--since", "13/02/2014")
    assert code == 2 and out == ""
    assert "YYYY-MM-DD" in err


# -- show -----------------------------------------------------------------------------------


def test_show_json_has_content_raw_and_empty_analysis(
    run: Run, imported: dict[str, str], seeds: tuple[Path, Path]
) -> None:
    shown = run.json("show", imported["yonhap"][:6])
    assert shown["id"] == imported["yonhap"]
    assert shown["raw"] == seeds[1].read_text(encoding="utf-8")
    assert shown["body"] and "Link copied" not in shown["body"]
    assert shown["removed"] and all({"text", "reason"} <= set(r) for r in shown["removed"])
    assert shown["analysed"] is False
    assert shown["entities"] == [] and shown["quotes"] == [] and shown["notes"] == []
    assert shown["source"] == "The Korea Herald" and shown["agency"] == "Yonhap"


def test_show_human_and_raw(run: Run, imported: dict[str, str], seeds: tuple[Path, Path]) -> None:
    code, out, _ = run("show", imported["afp"])
    assert code == 0
    assert out.startswith("Kerry due in Seoul after rare North-South Korea talks\n")
    assert "xinmsn · AFP" in out
    assert "US Secretary of State John Kerry headed to Seoul" in out
    # The photo caption is set apart, never shown as if it were the story's prose.
    assert "\nPhoto caption: US Secretary of State John Kerry talks to reporters" in out
    assert out.count("Photo caption:") == 1
    code, out, _ = run("show", imported["yonhap"], "--removed")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert [(ln[0], " ".join(ln[2:])) for ln in lines if ln[0] in ("byline", "dateline")] == [
        ("byline", "By 신용배"),
        ("dateline", "Published : Feb. 13, 2014 - 09:09"),
    ]
    assert any(ln[0] == "agency-credit" and ln[-1] == "(Yonhap)" for ln in lines)
    code, out, _ = run("show", imported["afp"], "--raw")
    assert out.rstrip("\n") == seeds[0].read_text(encoding="utf-8").rstrip("\n")


def test_unknown_and_ambiguous_ids_are_clear_errors(run: Run, imported: dict[str, str]) -> None:
    code, out, err = run("show", "zzzz")
    assert code == 1 and out == ""
    assert "zzzz" in err and "parallax list" in err
    code, _, err = run("star", imported["afp"], "zzzz")
    assert code == 1 and "zzzz" in err
    assert run.json("list", "--starred") == []  # a typo changes nothing
    code, _, err = run("show", "")
    assert code == 1 and err


# -- tags and flags ---------------------------------------------------------------------------


def test_tag_round_trip_on_several_articles(run: Run, imported: dict[str, str]) -> None:
    both = [imported["afp"][:5], imported["yonhap"][:5]]
    result = run.json("tag", *both, "+korea", "+ us-policy ", "+#diplomacy")
    assert {r["id"] for r in result} == set(imported.values())
    assert all(sorted(r["tags"]) == ["diplomacy", "korea", "us-policy"] for r in result)
    result = run.json("tag", imported["afp"], "-korea", "-not-there")
    assert sorted(result[0]["tags"]) == ["diplomacy", "us-policy"]
    code, out, _ = run("tag", imported["afp"])
    assert code == 0 and "#diplomacy" in out and "#korea" not in out


@pytest.mark.parametrize("bad", ["+two words", "+", "+a,b", "+evil\x1b[31m"])
def test_invalid_tags_are_refused(run: Run, imported: dict[str, str], bad: str) -> None:
    code, out, err = run("tag", imported["afp"], bad)
    assert code == 2 and out == ""
    assert "invalid tag" in err and "\x1b" not in err
    assert run.json("show", imported["afp"])["tags"] == []


def test_read_star_archive_round_trips(run: Run, imported: dict[str, str]) -> None:
    ids = list(imported.values())
    for command, field, off in (
        ("read", "read", "--unread"),
        ("star", "starred", "--off"),
        ("archive", "archived", "--off"),
    ):
        result = run.json(command, *ids)
        assert result == {"ids": ids, field: True}
        assert all(run.json("show", i)[field] is True for i in ids)
        code, out, _ = run(command, ids[0], off)
        assert code == 0 and ids[0] in out
        assert run.json("show", ids[0])[field] is False
        assert run.json("show", ids[1])[field] is True


# -- notes ----------------------------------------------------------------------------------


def test_note_anchored_then_orphaned_after_a_body_mismatch(
    run: Run, imported: dict[str, str], store_path: Path
) -> None:
    article = imported["afp"]
    passage = "a day after high-level inter-Korean talks"
    note = run.json("note", article, "Only AFP links it to the talks", "--quote", passage)
    assert note["anchor"]["quote"] == passage
    body = run.json("show", article)["body"]
    assert body[note["anchor"]["start"] : note["anchor"]["end"]] == passage

    # A note whose stored passage no longer matches the body (e.g. made before a
    # re-clean): it must be reported orphaned, not attached elsewhere.
    lib = Library.open(store_path)
    try:
        stale = Anchor(
            quote="a passage the body no longer has", prefix="x", suffix="y", start=10, end=43
        )
        lib.add_note(article, "stale note", stale)
    finally:
        lib.close()

    notes = {n["text"]: n for n in run.json("notes", article)}
    assert notes["Only AFP links it to the talks"]["orphaned"] is False
    assert notes["Only AFP links it to the talks"]["span"] == [
        note["anchor"]["start"],
        note["anchor"]["end"],
    ]
    assert notes["stale note"]["orphaned"] is True and notes["stale note"]["span"] is None

    code, out, _ = run("notes")
    assert code == 0
    stale_line = next(line for line in out.splitlines() if "no longer has" in line)
    assert "orphaned" in stale_line
    good_line = next(line for line in out.splitlines() if passage in line)
    assert "orphaned" not in good_line
    shown = run.json("show", article)
    assert {n["text"] for n in shown["notes"]} == set(notes)


def test_note_quote_errors_say_what_to_do(run: Run, imported: dict[str, str]) -> None:
    code, _, err = run("note", imported["afp"], "text", "--quote", "Kerry")
    assert code == 1 and "times" in err and "longer passage" in err
    code, _, err = run("note", imported["afp"], "text", "--quote", "not in this article at all")
    assert code == 1 and "not found" in err
    assert run.json("notes") == []
    note = run.json("note", imported["afp"], "second", "--quote", "Kerry", "--occurrence", "2")
    assert note["anchor"]["quote"] == "Kerry"


def test_note_edit_delete_and_stdin(
    run: Run, imported: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\n"))
    note = run.json("note", imported["yonhap"], "-")
    assert note["text"] == "from stdin" and note["anchor"] is None
    edited = run.json("note", "--edit", note["id"][:5], "changed text")
    assert edited["id"] == note["id"] and edited["text"] == "changed text"
    assert [n["text"] for n in run.json("notes", imported["yonhap"])] == ["changed text"]
    code, _, _ = run("note", "--delete", note["id"])
    assert code == 0
    assert run.json("notes") == []
    code, _, err = run("note", "--delete", note["id"])
    assert code == 1 and note["id"] in err


# -- hostile content ------------------------------------------------------------------------


def _store_hostile(store_path: Path) -> str:
    """An article whose fields hold raw escape sequences, as if stored before a
    sanitising rule existed: the CLI itself must neutralise them."""
    article = Article(
        id="bad0bad0bad0",
        title=HOSTILE_TITLE,
        body="Body \x1b]52;c;ZXZpbA==\x07 with OSC 52 and \x1b]8;;http://evil\x07link\x1b]8;;\x07.",
        raw="raw \x1b[2J\x1b]0;title\x07",
        source="Src \x1b[5m",
        published="2014-02-13",
        tags=["ok"],
    )
    lib = Library.open(store_path)
    try:
        lib.add_articles([article])
        lib.add_note(article.id, "note \x1b]0;x\x07 text")
    finally:
        lib.close()
    return article.id


def test_hostile_text_never_reaches_stdout_raw(run: Run, store_path: Path, tmp_path: Path) -> None:
    # Through ingest (sanitised there) and straight into the store (unsanitised).
    capture = tmp_path / "hostile.txt"
    capture.write_text(
        f"{HOSTILE_TITLE}\n\nBody \x1b]52;c;ZXZpbA==\x07 text of a hostile article that "
        "is long enough to count as a paragraph of news.\n",
        encoding="utf-8",
    )
    record = _write_json(tmp_path / "hostile.json", title=HOSTILE_TITLE, body="Body \x1b[31m x")
    code, out, err = run("import", "--no-analyze", str(capture), str(record))
    assert code == 0, err
    assert ESCAPES.search(out) is None and ESCAPES.search(err) is None
    bad_id = _store_hostile(store_path)
    ids = [r["id"] for r in run.json("list")]
    assert bad_id in ids and len(ids) == 3

    commands: list[list[str]] = [
        ["list"],
        ["list", "--json"],
        ["notes"],
        ["notes", "--json"],
        ["export"],
        ["export", "--format", "json"],
    ]
    for i in ids:
        commands += [["show", i], ["show", i, "--json"], ["show", i, "--raw"]]
    for args in commands:
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert ESCAPES.search(out) is None, (args, out)
        assert ESCAPES.search(err) is None, (args, err)
        if "--json" in args or "json" in args:
            json.loads(out)
    # The raw text is shown with its escapes visible, not lost.
    _, out, _ = run("show", bad_id, "--raw")
    assert "\\x1b[2J" in out
    assert json.loads(run("show", bad_id, "--json")[1])["raw"] == "raw \x1b[2J\x1b]0;title\x07"


# -- the installed command --------------------------------------------------------------------


def test_console_script_in_a_subprocess(seeds: tuple[Path, Path], store_path: Path) -> None:
    script = Path(sys.executable).with_name("parallax")
    cmd = (
        [str(script)]
        if script.exists()
        else [
            sys.executable,
            "-c",
            "import sys; from parallax.cli import main; sys.exit(main(sys.argv[1:]))",
        ]
    )
    result = subprocess.run(
        [*cmd, "--store", str(store_path), "import", "--no-analyze", *map(str, seeds)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 imported" in result.stdout
    result = subprocess.run(
        [*cmd, "--store", str(store_path), "list", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 2
    result = subprocess.run(
        [*cmd, "--store", str(store_path), "show", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "nope" in result.stderr
    assert result.stdout == ""


def test_story_filter_accepts_a_prefix(run: Run, imported: dict[str, str]) -> None:
    stories = {r["story"] for r in run.json("list")}
    if stories == {None}:
        pytest.skip("story grouping is not available in this build")
    story = sorted(s for s in stories if s)[0]
    rows = run.json("list", "--story", story[:5])
    assert rows and all(r["story"] == story for r in rows)
    code, _, err = run("list", "--story", "nosuchstory")
    assert code == 1 and "nosuchstory" in err


def test_analysed_import_fills_entities_quotes_and_entity_filter(
    run: Run, seeds: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from parallax.analysis import ModelUnavailableError, analyze_texts

    try:
        analyze_texts(["Kerry visited Seoul."])  # loads the model once per process
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))
    report = run.json("import", *map(str, seeds))
    afp = next(i["id"] for i in report["imported"] if "afp" in i["path"])
    shown = run.json("show", afp)
    assert shown["analysed"] is True and shown["stale"] is False
    assert any(e["key"] == "person:john kerry" for e in shown["entities"])
    assert shown["quotes"] and all(
        shown["body"][q["start"] : q["end"]] == q["text"] for q in shown["quotes"]
    )
    assert len(run.json("list", "--entity", "person:john kerry")) == 2
    # a rule change makes the stored analysis stale, and `show --json` says so
    import parallax.analysis as analysis

    monkeypatch.setattr(analysis, "RULES_VERSION", analysis.RULES_VERSION + 1)
    assert run.json("show", afp)["stale"] is True


def test_hostile_text_on_a_terminal_has_no_foreign_escapes(
    run: Run, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from parallax.cli.context import Context

    bad_id = _store_hostile(store_path)
    screen = io.StringIO()
    original = Context.from_args

    def terminal_context(args: object) -> Context:
        ctx = original(args)  # type: ignore[arg-type]
        ctx.out = Console(file=screen, force_terminal=True, width=120)
        return ctx

    monkeypatch.setattr(Context, "from_args", staticmethod(terminal_context))
    for args in (["list"], ["show", bad_id], ["show", bad_id, "--raw"], ["notes"]):
        screen.seek(0)
        screen.truncate()
        code, _, err = run(*args)
        assert code == 0, err
        text = screen.getvalue()
        assert "pwned" in text or "--raw" in args  # the content is shown, made visible...
        # ...but only rich's own SGR styling escapes reach the terminal: no OSC (title,
        # clipboard, links), no C1 controls, no bidi overrides, no screen clearing.
        assert "\x1b]" not in text and "\x07" not in text and "\x9b" not in text
        assert "\x1b[2J" not in text and "\u202e" not in text
        assert re.sub("\x1b\\[[0-9;]*m", "", text).count("\x1b") == 0


# -- batch robustness -------------------------------------------------------------------


IMPORTED_KEYS = {"path", "id", "title", "duplicate_of"}
SKIPPED_KEYS = {"path", "id", "record", "reason"}
FAILED_KEYS = {"path", "id", "record", "reason", "error"}


def _check_shapes(report: dict[str, list[dict[str, Any]]]) -> None:
    assert set(report) == {"imported", "skipped", "failed"}
    for key, keys in (
        ("imported", IMPORTED_KEYS),
        ("skipped", SKIPPED_KEYS),
        ("failed", FAILED_KEYS),
    ):
        for entry in report[key]:
            assert set(entry) == keys, (key, entry)


def test_bad_records_fail_by_file_and_line_and_good_ones_are_imported(
    run: Run, tmp_path: Path
) -> None:
    jsonl = tmp_path / "wire.jsonl"
    jsonl.write_text(
        '{"title": "Good one", "body": "The first body has enough words in it."}\n'
        "{broken\n"
        '{"title": "", "body": ""}\n'
        '{"title": "Good two", "body": "The second body has enough words too."}\n',
        encoding="utf-8",
    )
    array = tmp_path / "array.json"
    array.write_text('[{"title": "Three", "body": "Body three is here."}, 42]', encoding="utf-8")
    code, out, err = run("import", "--no-analyze", "--json", str(jsonl), str(array))
    assert code == 1  # something failed, the rest imported
    report = json.loads(out)
    _check_shapes(report)
    assert sorted(i["title"] for i in report["imported"]) == ["Good one", "Good two", "Three"]
    failed = {(f["path"], f["record"]): f["reason"] for f in report["failed"]}
    assert set(failed) == {(str(jsonl), "line 2"), (str(array), "record 2")}
    assert failed[(str(jsonl), "line 2")].startswith(f"{jsonl}: line 2: malformed JSON")
    assert failed[(str(array), "record 2")].startswith(f"{array}: record 2: not a JSON object")
    [skipped] = report["skipped"]
    assert (skipped["path"], skipped["record"]) == (str(jsonl), "line 3")

    # Human output names the file and the line on stderr.
    code, out, err = run("import", "--no-analyze", str(jsonl))
    assert code == 1
    assert f"{jsonl}: line 2: malformed JSON" in err


def test_article_with_no_text_after_cleaning_is_skipped_with_a_reason(
    run: Run, tmp_path: Path
) -> None:
    capture = tmp_path / "headline-only.txt"
    capture.write_text("The Daily Planet\n\nJust a headline here\n\nShare | Tweet | Email\n")
    record = _write_json(tmp_path / "title.json", title="A title and nothing else", body="  ")
    report = run.json("import", "--no-analyze", str(capture), str(record))
    _check_shapes(report)
    assert report["imported"] == [] and report["failed"] == []
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {str(capture), str(record)}
    for reason in reasons.values():
        assert "no article text left after cleaning" in reason
    # Nothing was stored: the store was not even created, and `list` says so.
    code, _out, err = run("list", "--json")
    assert code == 3 and "no store" in err


def test_importing_a_folder_that_holds_the_store_skips_the_store(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "afp.txt").write_bytes(seeds[0].read_bytes())
    store = folder / "library.json"
    first = run.json("--store", str(store), "import", "--no-analyze", str(folder))
    assert [i["title"] for i in first["imported"]] == [
        "Kerry due in Seoul after rare North-South Korea talks"
    ]
    (folder / "yonhap.txt").write_bytes(seeds[1].read_bytes())
    code, out, _ = run("--store", str(store), "import", "--no-analyze", "--json", str(folder))
    assert code == 0, out
    report = json.loads(out)
    _check_shapes(report)
    assert [i["path"] for i in report["imported"]] == [str(folder / "yonhap.txt")]
    assert report["failed"] == []
    store_skips = [s for s in report["skipped"] if "part of the Parallax store" in s["reason"]]
    assert str(store) in {s["path"] for s in store_skips}
    assert all(Path(s["path"]).name.startswith("library.") for s in store_skips)
    assert len(run.json("--store", str(store), "list")) == 2
    # Naming the store file itself is refused the same way.
    report = run.json("--store", str(store), "import", "--no-analyze", str(store))
    assert report["imported"] == [] and "store" in report["skipped"][0]["reason"]


def test_binary_and_undecodable_files_fail_with_path_and_reason(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    code, out, _ = run("import", "--no-analyze", "--json", str(binary), str(seeds[0]))
    assert code == 1
    report = json.loads(out)
    _check_shapes(report)
    [failed] = report["failed"]
    assert failed["path"] == str(binary) and failed["reason"].startswith(f"{binary}: ")
    assert "not a text file" in failed["reason"]
    assert len(report["imported"]) == 1


# -- store paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["show", "abc"],
        ["export"],
        ["export", "--format", "json"],
        ["notes"],
        ["stories"],
        ["compare", "abc", "def"],
        ["tag", "abc", "+x"],
    ],
)
def test_read_only_commands_never_create_a_store(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    store = tmp_path / "typo" / "library.json"
    code, out, err = run("--store", str(store), *command)
    assert code == 3
    assert out == ""  # not even an empty JSON document that would look like success
    assert f"no store at {store}" in err and "import" in err
    assert not (tmp_path / "typo").exists()


def test_store_path_that_is_a_folder_or_under_a_file_is_a_clear_error(
    run: Run, tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    code, _, err = run("--store", str(tmp_path), "import", str(seeds[0]))
    assert code == 3 and "is a folder" in err and str(tmp_path / "library.json") in err
    code, _, err = run("--store", str(tmp_path), "list")
    assert code == 3 and "is a folder" in err
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    code, _, err = run("--store", str(afile / "library.json"), "import", str(seeds[0]))
    assert code == 3 and f"{afile} is a file, not a folder" in err
    assert afile.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any folder")
def test_store_in_an_unwritable_folder_is_a_clear_error(
    run: Run, tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        code, _, err = run("--store", str(locked / "sub" / "s.json"), "import", str(seeds[0]))
        assert code == 3 and f"folder {locked} is not writable" in err
    finally:
        locked.chmod(0o700)


# -- near-duplicates ----------------------------------------------------------------------


def _as_on_another_site(seed: Path) -> str:
    """The AFP seed as a second site would run the same wire copy: its own header and
    footer, US spelling, the last three paragraphs cut and the caption dropped."""
    text = seed.read_text(encoding="utf-8")
    body = text.split("\n\nUS Secretary of State John Kerry headed", 1)[1]
    body = "US Secretary of State John Kerry headed" + body.split("\n\nLatest Photo")[0]
    paras = [p for p in body.split("\n\n") if "Evan Vucci" not in p][:-3]
    story = "\n\n".join(paras).replace("programme", "program").replace("labour", "labor")
    return (
        "The Manila Courier\n\nKerry arrives in Seoul as Koreas talk\n\n"
        "By Agence France-Presse | February 13, 2014\n\n"
        f"{story}\n\nRelated stories\n\n- Kerry in Beijing\n"
    )


def test_same_wire_copy_on_two_sites_is_flagged_as_twins(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parallax.ingest import dedup

    afp, yonhap = seeds
    original = run.json("import", "--no-analyze", str(afp))["imported"][0]["id"]
    twin = tmp_path / "courier.txt"
    twin.write_text(_as_on_another_site(afp), encoding="utf-8")

    calls: list[int] = []
    real = dedup.signature
    monkeypatch.setattr(dedup, "signature", lambda text: calls.append(1) or real(text))
    report = run.json("import", "--no-analyze", str(twin), str(yonhap))
    by_path = {Path(i["path"]).name: i for i in report["imported"]}
    assert by_path["courier.txt"]["duplicate_of"] == original
    assert by_path[yonhap.name]["duplicate_of"] is None  # same event, different copy
    # Stored signatures are read back, not recomputed: one per new article.
    assert len(calls) == 2

    code, out, _ = run("show", by_path["courier.txt"]["id"])
    assert code == 0 and f"near-duplicate of {original}" in out


def test_near_duplicate_index_survives_a_lost_cache(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path, store_path: Path
) -> None:
    afp, _ = seeds
    original = run.json("import", "--no-analyze", str(afp))["imported"][0]["id"]
    cache = store_path.with_name("library.minhash.npz")
    assert cache.exists() and cache.stat().st_mode & 0o077 == 0
    cache.write_bytes(b"garbage")  # damaged: rebuilt from the stored bodies
    twin = tmp_path / "courier.txt"
    twin.write_text(_as_on_another_site(afp), encoding="utf-8")
    [entry] = run.json("import", "--no-analyze", str(twin))["imported"]
    assert entry["duplicate_of"] == original


def test_reimport_with_other_line_endings_is_a_no_op(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path, store_path: Path
) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(seeds[1].read_bytes().replace(b"\n", b"\r\n") + b"   \r\n")
    first = run.json("import", "--no-analyze", str(seeds[1]))["imported"][0]["id"]
    again = run.json("import", "--no-analyze", str(crlf))
    assert again["imported"] == []
    assert again["skipped"][0]["id"] == first

    # An article stored under an earlier version's exact-raw id is still recognised.
    from parallax.ingest import ingest_text
    from parallax.ingest.common import legacy_id

    old_store = tmp_path / "old.json"
    [article] = ingest_text(seeds[1].read_text(encoding="utf-8"), name=str(seeds[1]))
    article.id = legacy_id(article.raw)
    assert article.id != first  # the seed has trailing spaces: the ids do differ
    with Library.open(old_store, create=True) as lib:
        lib.add_articles([article])
    report = run.json("--store", str(old_store), "import", "--no-analyze", str(seeds[1]))
    assert report["imported"] == []
    assert [s["id"] for s in report["skipped"]] == [article.id]


def test_max_size_option_refuses_big_files_and_names_the_limit(
    run: Run, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 3 MB of nothing, cheap to make
        fh.truncate(3 * 1024 * 1024)
    code, out, _ = run(
        "import", "--no-analyze", "--json", "--max-size", "2MB", str(big), str(seeds[0])
    )
    assert code == 1
    report = json.loads(out)
    [failed] = report["failed"]
    assert failed["path"] == str(big)
    assert "3.0 MB, over the 2.0 MB limit" in failed["reason"] and "--max-size" in failed["reason"]
    assert len(report["imported"]) == 1
    with pytest.raises(SystemExit) as usage:
        run("import", "--max-size", "lots", str(seeds[0]))
    assert usage.value.code == 2
    assert "'lots' is not a size" in run.capsys.readouterr().err


def test_show_marks_a_noted_passage_after_a_caption_exactly() -> None:
    from parallax.anchors import make_anchor
    from parallax.cli.articles import _body_text
    from parallax.model import Note, Span

    body = "First paragraph.\n\nA photo of Kerry - by Jane Doe\n\nKerry met Park in Seoul."
    start = body.index("A photo")
    article = Article(
        id="abc123abc123",
        title="t",
        body=body,
        raw=body,
        captions=[Span(start, start + len("A photo of Kerry - by Jane Doe"))],
    )
    note = Note("n1", article.id, "x", "t", "t", make_anchor(body, "met Park"))
    text = _body_text(article, [note], mark_notes=True)
    assert text.plain == body.replace("A photo", "Photo caption: A photo")
    marked = [text.plain[s.start : s.end] for s in text.spans if "reverse" in str(s.style)]
    assert marked == ["met Park"]
    italic = [text.plain[s.start : s.end] for s in text.spans if str(s.style) == "italic"]
    assert italic == ["A photo of Kerry - by Jane Doe"]


def test_show_prints_text_as_read_without_markdown_escapes() -> None:
    from parallax.anchors import make_anchor
    from parallax.cli.articles import _body_text
    from parallax.model import Note

    body = "Markup \\[red\\]x and 3 \\* 4 \\_under\\_ here.\n\n1\\. Then the noted words."
    article = Article(id="abc123abc123", title="t", body=body, raw=body)
    note = Note("n1", article.id, "x", "t", "t", make_anchor(body, "noted words"))
    text = _body_text(article, [note], mark_notes=True)
    assert text.plain == "Markup [red]x and 3 * 4 _under_ here.\n\n1. Then the noted words."
    marked = [text.plain[s.start : s.end] for s in text.spans if "reverse" in str(s.style)]
    assert marked == ["noted words"]
