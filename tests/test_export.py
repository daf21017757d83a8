"""Export: Markdown that note-taking apps read (YAML front matter per article, body,
notes under their blockquoted passages) and JSON, to stdout, a file or a folder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from parallax.anchors import make_anchor
from parallax.cli import main
from parallax.export import article_markdown, export_markdown, safe_filename
from parallax.model import Anchor, Article, Note


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _front_matter(doc: str) -> dict[str, Any]:
    match = re.match(r"---\n(.*?)\n---\n", doc, re.DOTALL)
    assert match, doc[:200]
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def library(capsys: pytest.CaptureFixture[str], seeds: tuple[Path, Path]) -> dict[str, str]:
    """Both seeds imported; AFP tagged and annotated (one anchored note, one general)."""
    code, out, _ = _run(capsys, "import", "--no-analyze", "--json", *map(str, seeds))
    assert code == 0
    ids = {Path(i["path"]).name.split("-")[0]: i["id"] for i in json.loads(out)["imported"]}
    assert _run(capsys, "tag", ids["afp"], "+korea", "+us-policy")[0] == 0
    assert (
        _run(
            capsys,
            "note",
            ids["afp"],
            "Only AFP mentions Jakarta",
            "--quote",
            "Beijing and Jakarta",
        )[0]
        == 0
    )
    assert _run(capsys, "note", ids["afp"], "Compare with Yonhap")[0] == 0
    return ids


def test_markdown_export_of_a_tag_to_stdout(
    capsys: pytest.CaptureFixture[str], library: dict[str, str]
) -> None:
    code, out, _ = _run(capsys, "export", "--tag", "korea")
    assert code == 0
    meta = _front_matter(out)
    assert meta["id"] == library["afp"]
    assert meta["source"] == "xinmsn" and meta["agency"] == "AFP"
    assert meta["published"].startswith("2014-02-13")
    assert meta["tags"] == ["korea", "us-policy"]
    assert meta["title"] == "Kerry due in Seoul after rare North-South Korea talks"
    assert "\n# Kerry due in Seoul after rare North-South Korea talks\n" in out
    assert "US Secretary of State John Kerry headed to Seoul" in out
    assert "\n*Photo caption: US Secretary of State John Kerry talks to reporters" in out
    assert "by Evan Vucci*\n" in out
    assert "## Notes" in out
    assert "> Beijing and Jakarta\n\nOnly AFP mentions Jakarta" in out
    assert "Compare with Yonhap" in out
    assert "orphaned" not in out
    assert library["yonhap"] not in out  # not tagged


def test_markdown_export_to_a_file_and_a_folder(
    capsys: pytest.CaptureFixture[str], library: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "all.md"
    code, out, _ = _run(capsys, "export", "-o", str(target))
    assert code == 0 and "2 article(s)" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert library["afp"] in text and library["yonhap"] in text

    folder = tmp_path / "vault"
    code, out, _ = _run(capsys, "export", "-o", f"{folder}/")
    assert code == 0
    files = sorted(folder.glob("*.md"))
    assert len(files) == 2
    metas = {_front_matter(f.read_text(encoding="utf-8"))["id"]: f for f in files}
    assert set(metas) == set(library.values())
    assert all(f"({i})" in f.name for i, f in metas.items())
    yonhap = _front_matter(metas[library["yonhap"]].read_text(encoding="utf-8"))
    assert yonhap["source"] == "The Korea Herald" and yonhap["agency"] == "Yonhap"
    assert yonhap["tags"] == []


def test_json_export_has_articles_tags_and_notes(
    capsys: pytest.CaptureFixture[str], library: dict[str, str]
) -> None:
    code, out, _ = _run(capsys, "export", "--format", "json")
    assert code == 0
    records = {r["id"]: r for r in json.loads(out)}
    assert set(records) == set(library.values())
    afp = records[library["afp"]]
    assert afp["tags"] == ["korea", "us-policy"]
    assert {n["text"] for n in afp["notes"]} == {"Only AFP mentions Jakarta", "Compare with Yonhap"}
    anchored = next(n for n in afp["notes"] if n["anchor"])
    assert anchored["orphaned"] is False
    assert afp["body"][anchored["span"][0] : anchored["span"][1]] == "Beijing and Jakarta"
    assert records[library["yonhap"]]["notes"] == []


def test_export_write_error_is_clear(
    capsys: pytest.CaptureFixture[str], library: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _run(capsys, "export", "-o", str(blocker / "sub" / "out.md"))
    assert code == 1 and "cannot write export" in err and "Traceback" not in err


ARTICLE = Article(
    id="abc123def456",
    title='Kerry: "no gap" --- on #policy \x1b]0;x\x07',
    body="First paragraph about the talks.\n\nSecond paragraph, quoted below.",
    raw="",
    source='Paper: The "Daily"',
    url="https://example.com/a?b=1#c",
    published="2014-02-13",
    tags=["korea"],
)


def test_front_matter_survives_awkward_titles_and_controls() -> None:
    doc = article_markdown(ARTICLE, [])
    meta = _front_matter(doc)
    assert meta["title"] == 'Kerry: "no gap" --- on #policy'
    assert meta["source"] == 'Paper: The "Daily"'
    assert meta["url"] == "https://example.com/a?b=1#c"
    assert "\x1b" not in doc and "\x07" not in doc
    assert safe_filename(ARTICLE) == "Kerry no gap --- on policy (abc123def456).md"


def test_orphaned_note_is_marked_in_markdown() -> None:
    good = Note("n1", ARTICLE.id, "kept", "t", "t", make_anchor(ARTICLE.body, "Second paragraph"))
    lost = Note("n2", ARTICLE.id, "lost", "t", "t", Anchor("gone words", "", "", 3, 13))
    doc = export_markdown([(ARTICLE, [good, lost])])
    assert "> Second paragraph\n\nkept" in doc
    lost_part = doc[doc.index("> gone words") :]
    assert lost_part.index("orphaned") < lost_part.index("lost")
    assert "orphaned" not in doc[: doc.index("> gone words")]


def _hostile_article(aid: str, title: str, body: str) -> Article:
    return Article(id=aid, title=title, body=body, raw=body, source="*Src* [x](javascript:1)")


def test_article_text_cannot_break_the_markdown_structure() -> None:
    """Rendered with a CommonMark parser, each exported article stays one heading and
    its own text: no raw HTML, no injected link, no fence swallowing the next article."""
    from markdown_it import MarkdownIt

    first = _hostile_article(
        "aaa111aaa111",
        "# Fake *title* [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
        "Para <script>alert(1)</script> and <!-- hides the rest\n\n```\nunclosed fence",
    )
    second = _hostile_article("bbb222bbb222", "Second story", "Plain second body.")
    doc = export_markdown([(first, []), (second, [])])
    html = MarkdownIt("commonmark").render(doc)
    assert "<script" not in html and "<img" not in html and "<!--" not in html
    assert 'href="javascript' not in html
    assert html.count("<h1>") == 2
    assert "<h1>Second story</h1>" in html and "<p>Plain second body.</p>" in html
    assert "<h1># Fake *title* [click](javascript:alert(1)) &lt;img" in html


def test_export_one_article_to_a_private_file(
    capsys: pytest.CaptureFixture[str], library: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "one.md"
    code, out, _ = _run(capsys, "export", library["yonhap"][:6], "-o", str(target))
    assert code == 0 and "1 article(s)" in out
    text = target.read_text(encoding="utf-8")
    assert _front_matter(text)["id"] == library["yonhap"]
    assert library["afp"] not in text
    assert target.stat().st_mode & 0o777 == 0o600

    folder = tmp_path / "vault"
    code, _, _ = _run(capsys, "export", "--source", "xinmsn", "-o", f"{folder}/")
    [written] = folder.glob("*.md")
    assert f"({library['afp']})" in written.name
    assert written.stat().st_mode & 0o777 == 0o600
    assert not list(folder.glob(".*"))  # no temporary files left behind


def test_export_of_nothing_writes_no_file(
    capsys: pytest.CaptureFixture[str], library: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "none.md"
    code, out, err = _run(capsys, "export", "--tag", "no-such-tag", "-o", str(target))
    assert code == 0 and "nothing exported" in err
    assert not target.exists()
    code, out, _ = _run(capsys, "export", "--tag", "no-such-tag", "--format", "json")
    assert code == 0 and json.loads(out) == []
