"""The seed pair, analysed, read as a careful journalist would.

AFP (on xinmsn) and Yonhap (in The Korea Herald), both 2014-02-13, on John Kerry's trip
to Seoul. Each test pins something a reader checks by eye: which sentences the other
side carries (in part), who is mentioned by both, which quotations are the same words,
which figures only one side gives, and what to check.
"""

from __future__ import annotations

from typing import Any

import pytest

from parallax.compare import compare_articles
from parallax.model import Article
from tests.conftest import AFP_SEED, YONHAP_SEED


def _ingest(path: Any) -> Article:
    from parallax.ingest import ingest_text

    articles = ingest_text(path.read_text(encoding="utf-8"), name=str(path))
    assert articles
    return articles[0]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    analysis = pytest.importorskip("parallax.analysis")
    afp, yonhap = _ingest(AFP_SEED), _ingest(YONHAP_SEED)
    try:
        an = analysis.analyze_articles([afp, yonhap])
    except analysis.ModelUnavailableError:  # pragma: no cover - no spaCy model installed
        pytest.skip("spaCy model not installed")
    afp.analysis, yonhap.analysis = an
    return compare_articles(afp, yonhap).to_dict()


def _sentence(d: dict[str, Any], side: str, words: str) -> dict[str, Any]:
    return next(s for s in d["sentences"][side] if words in s["text"])


def _links(d: dict[str, Any]) -> dict[tuple[int, int], str]:
    return {(lk["a"], lk["b"]): lk["kind"] for lk in d["links"]}


def test_caption_title_and_credit_are_not_sentences(seed: dict[str, Any]) -> None:
    texts = [s["text"] for s in seed["sentences"]["a"]]
    assert not any("by Evan Vucci" in t for t in texts)  # photo caption
    assert not any(t.startswith("Kerry due in Seoul") for t in texts)  # title repeated
    assert not any("Kerry to seek China pressure" in t for t in texts)  # crosshead
    assert not any("(Yonhap)" in s["text"] for s in seed["sentences"]["b"])


def test_talks_a_day_before_and_family_reunions_are_partial_links(seed: dict[str, Any]) -> None:
    """AFP's "a day after high-level inter-Korean talks" and Yonhap's "a day after the two
    Koreas resumed their high-level talks" are one fact inside two longer sentences."""
    a_day = _sentence(seed, "a", "a day after high-level inter-Korean talks")
    reunion = _sentence(seed, "a", "planned reunion later this month")
    b3 = _sentence(seed, "b", "followed by a deal on reunions")
    links = _links(seed)
    assert links[(a_day["index"], b3["index"])] == "partial"
    assert links[(reunion["index"], b3["index"])] == "partial"
    # "the two Koreas sit down Wednesday for their highest-level official talks"
    highest = _sentence(seed, "a", "highest-level official talks since 2007")
    assert links[(highest["index"], b3["index"])] == "partial"
    assert a_day["status"] == reunion["status"] == b3["status"] == "paraphrase"
    # A sentence with no counterpart stays "only": Bae's sentence, Alaska refuelling.
    assert _sentence(seed, "a", "Kenneth Bae")["status"] == "only"
    assert _sentence(seed, "b", "Alaska")["status"] == "only"


def test_coverage_counts_partial_links_by_the_shared_clause(seed: dict[str, Any]) -> None:
    words_b = sum(len(s["text"].split()) for s in seed["sentences"]["b"])
    linked_b = sum(len(s["text"].split()) for s in seed["sentences"]["b"] if s["status"] != "only")
    # Two different write-ups: most of each is its own, and a one-clause link does not
    # count its whole sentence as found.
    assert 0 < seed["coverage"]["b_in_a"] < linked_b / words_b
    assert 0 < seed["coverage"]["a_in_b"] < 0.3


def test_entities_counted_in_body_sentences_once(seed: dict[str, Any]) -> None:
    both = {e["key"]: (e["count_a"], e["count_b"]) for e in seed["entities"]["both"]}
    only_a = {e["key"] for e in seed["entities"]["only_a"]}
    # Kerry: 7 AFP sentences name him (not the repeated title, not the photo caption).
    assert both["person:john kerry"] == (7, 4)
    assert "person:evan vucci" not in only_a  # photographer in the caption
    assert "gpe:maryland" not in only_a  # caption only


def test_nationality_adjectives_fold_into_their_country(seed: dict[str, Any]) -> None:
    keys = {e["key"] for g in seed["entities"].values() for e in g}
    both = {e["key"] for e in seed["entities"]["both"]}
    # Yonhap's "Chinese leaders" and "South Korean President" are China and South Korea.
    assert "norp:chinese" not in keys and "gpe:china" in both
    assert "norp:south korean" not in keys and "gpe:south korea" in both
    assert "person:park geun hye" in both or "person:park geun-hye" in both


def test_noun_and_verb_fragments_are_the_same_quotation(seed: dict[str, Any]) -> None:
    pairs = [q for q in seed["quotes"] if q["a"] and q["b"]]
    assert sorted(q["b"] for q in pairs) == ["noun", "verb"]
    for q in pairs:
        assert q["a"] == "denuclearisation from a noun into a verb"
        assert q["status"] == "same" and q["fragment"] == "b"
        assert not q["speaker_differs"]  # "the State Department official" / "the official"
    only_a = [q["a"] for q in seed["quotes"] if q["status"] == "only_a"]
    assert any(q.startswith("The days are long gone") for q in only_a)


def test_figures_only_in_one_source_and_none_from_captions(seed: dict[str, Any]) -> None:
    figs = seed["figures"]
    texts_a = {f["text"] for f in figs["only_a"]}
    texts_b = {f["text"] for f in figs["only_b"]}
    both = {f["text"] for f in figs["both"]}
    assert {"February 20-25", "15 years", "45-year-old", "February 5"} <= texts_a
    assert "1950-53" in both
    assert "early next week" in texts_b
    # The caption's "February 12, 2014" is not a figure any sentence states.
    assert "February 12, 2014" not in texts_a | both
    assert all(f["sentence"] is not None for g in ("both", "only_a", "only_b") for f in figs[g])
    assert figs["differ"] == []


def test_outcome_of_the_talks_is_a_check_not_a_verdict(seed: dict[str, Any]) -> None:
    outcome = [c for c in seed["conflicts"] if c["kind"] == "outcome"]
    assert len(outcome) == 1
    c = outcome[0]
    assert "without any tangible agreement" in c["text_a"] and "followed by a deal" in c["text_b"]
    assert c["status"] == "check"
    # The negated "no fixed agenda" clause is not what AFP and Yonhap share about the
    # reunions: no negation check on that partial link.
    reunion = _sentence(seed, "a", "planned reunion later this month")["index"]
    assert not any(c["kind"] == "negation" and c["a"] == reunion for c in seed["conflicts"])


def test_headed_to_seoul_and_travels_to_seoul_are_the_same_trip(seed: dict[str, Any]) -> None:
    """AFP's Kerry "headed to Seoul", Yonhap's "travels to Seoul": one trip, two verbs.
    Yonhap's "no disparity" in the same sentence negates the disparity, not the trip."""
    headed = _sentence(seed, "a", "headed to Seoul on Thursday")
    travels = _sentence(seed, "b", "when he travels to Seoul this week")
    assert _links(seed)[(headed["index"], travels["index"])] == "partial"
    assert travels["status"] == "paraphrase" and headed["index"] in travels["matches"]
    flagged = {(c["a"], c["b"]) for c in seed["conflicts"]}
    assert (headed["index"], travels["index"]) not in flagged
