"""Every file of the hostile corpus (tests/data/hostile) through the real CLI, with
plain (piped) output: no escape sequence, C1 control or bidi override from article
content ever reaches stdout or stderr, whatever command prints it."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from parallax.cli import main
from tests.conftest import DATA_DIR

HOSTILE = DATA_DIR / "hostile"
# C0 except tab/newline, DEL, C1, and bidi embeddings/overrides/isolates.
ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _clean(args: tuple[str, ...], out: str, err: str) -> None:
    assert "Traceback" not in err, (args, err)
    found = ESCAPES.search(out) or ESCAPES.search(err)
    assert found is None, (args, repr(found.group()) if found else None)


def test_every_hostile_file_through_every_printing_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(HOSTILE, corpus)
    # File names are article data too (they are printed in import reports).
    shutil.copy(HOSTILE / "escapes.txt", corpus / "name\x1b]0;pwned\x07\u202e.txt")
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    assert len(files) >= 14

    code, out, err = _run(capsys, "import", "--no-analyze", "--json", str(corpus))
    _clean(("import", "--json"), out, err)
    report = json.loads(out)
    assert code == 1  # broken JSON and feeds, the PNG: failed with reasons, rest imported
    assert len(report["imported"]) >= 8
    code, out, err = _run(capsys, "import", "--no-analyze", *map(str, files))  # human report
    _clean(("import",), out, err)

    ids = [a["id"] for a in json.loads(_run(capsys, "list", "--json")[1])]
    assert len(ids) == len(report["imported"])
    commands: list[tuple[str, ...]] = [
        ("list",),
        ("list", "--json"),
        ("stories",),
        ("export",),
        ("export", "--format", "json"),
    ]
    for i in ids:
        commands += [
            ("show", i),
            ("show", i, "--raw"),
            ("show", i, "--removed"),
            ("show", i, "--json"),
            ("export", i),
        ]
    for a, b in itertools.pairwise(ids):
        commands += [
            ("compare", a, b),
            ("compare", a, b, "--markdown"),
            ("compare", a, b, "--json"),
        ]
    for args in commands:
        code, out, err = _run(capsys, *args)
        _clean(args, out, err)
        assert code == 0, (args, err)
