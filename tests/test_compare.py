"""Comparison engine: segmentation, matcher, alignment, entity/quote/figure diffs, conflicts.

The seed pair (AFP on xinmsn vs Yonhap in The Korea Herald, both 2014-02-13, on John
Kerry's trip to Seoul) is checked for what a careful reader sees by eye; synthetic pairs
pin each status and each kind of difference.
"""

from __future__ import annotations

import re

import pytest

from parallax.compare import compare_articles, similarity
from parallax.compare.text import segment, tokens
from parallax.model import Analysis, Article, Entity, Quote, Span
from tests.conftest import AFP_SEED, YONHAP_SEED


def make(
    aid: str, body: str, title: str = "", analysis: Analysis | None = None, **kw: object
) -> Article:
    return Article(id=aid, title=title, body=body, raw=body, analysis=analysis, **kw)  # type: ignore[arg-type]


def seed_article(path: object, aid: str) -> Article:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    try:
        from parallax.ingest import ingest_text  # type: ignore[attr-defined]
    except ImportError:
        return make(aid, text, title=aid, source=aid)
    articles = ingest_text(text, name=str(path))
    assert articles, "ingest produced no article from a seed"
    return articles[0]


@pytest.fixture(scope="module")
def seed_comparison() -> dict:
    afp = seed_article(AFP_SEED, "afp")
    yonhap = seed_article(YONHAP_SEED, "yonhap")
    return compare_articles(afp, yonhap).to_dict()


# -- segmentation ----------------------------------------------------------------------


def test_segmentation_keeps_abbreviations_and_multi_sentence_quotes_together() -> None:
    body = (
        "SEOUL, Feb. 13 (Yonhap) -- U.S. Secretary John Kerry met N. Korea experts on Feb. 12. "
        "Mr. Kim was not there.\n\n"
        '"You can\'t expect a decision at the first meeting. They will meet again," he added. '
        "The talks ended."
    )
    texts = [s.text for s in segment(body)]
    assert texts == [
        "SEOUL, Feb. 13 (Yonhap) -- U.S. Secretary John Kerry met N. Korea experts on Feb. 12.",
        "Mr. Kim was not there.",
        '"You can\'t expect a decision at the first meeting. They will meet again," he added.',
        "The talks ended.",
    ]


def test_segmentation_skips_headings_captions_credits_and_strips_datelines() -> None:
    caption = "Kerry talks to reporters at Andrews Air Force Base - by Evan Vucci"
    body = f"## Kerry in Seoul\n\nWASHINGTON -- Kerry left for Seoul.\n\n{caption}\n\nHe will meet Park. (Yonhap)"
    start = body.index(caption)
    sentences = segment(body, [Span(start, start + len(caption))])
    assert [s.text for s in sentences] == [
        "WASHINGTON -- Kerry left for Seoul.",
        "He will meet Park.",
    ]
    assert sentences[0].match_text == "Kerry left for Seoul."
    for s in sentences:
        assert body[s.start : s.end] == s.text


def test_tokens_fold_british_and_american_spelling_and_country_acronyms() -> None:
    assert tokens("denuclearisation programme") == tokens("denuclearization program")
    assert tokens("U.S. envoy") == tokens("US envoy")
    assert "us" in tokens("told us")  # the pronoun stays a pronoun


# -- matcher ---------------------------------------------------------------------------


def test_similarity_separates_paraphrase_from_unrelated_and_scores_in_range() -> None:
    para = similarity(
        "Kerry headed to Seoul on Thursday for talks on the nuclear programme.",
        "On Thursday Kerry travelled to Seoul for discussions on the nuclear program.",
    )
    unrelated = similarity(
        "Kerry headed to Seoul on Thursday for talks on the nuclear programme.",
        "Heavy rain flooded the coastal town of Busan overnight.",
    )
    assert para[1] is True and unrelated[1] is False
    assert 0.0 <= unrelated[0] < para[0] <= 1.0


def test_similarity_number_change_lowers_score() -> None:
    same = similarity("The storm killed 12 people.", "The storm killed 12 people.")
    changed = similarity("The storm killed 12 people.", "The storm killed 15 people.")
    assert same[1] is True
    assert changed[0] < same[0]


# -- synthetic pairs: statuses ---------------------------------------------------------


def test_statuses_same_paraphrase_only_with_symmetric_matches() -> None:
    a = make(
        "a",
        "The storm killed 12 people in the coastal town on Monday. "
        "Officials said rescue teams were searching for survivors. "
        "The mayor declared a state of emergency.",
    )
    b = make(
        "b",
        "Officials said rescue teams were searching for survivors. "
        "On Monday the storm left 12 people dead in the coastal town, police said. "
        "Heavy rain is expected to continue.",
    )
    d = compare_articles(a, b).to_dict()
    sa, sb = d["sentences"]["a"], d["sentences"]["b"]
    assert [s["status"] for s in sa] == ["paraphrase", "same", "only"]
    assert [s["status"] for s in sb] == ["same", "paraphrase", "only"]
    assert sa[0]["matches"] == [1] and sb[1]["matches"] == [0]
    assert sa[2]["matches"] == [] and sb[2]["matches"] == []
    assert 0.5 < d["coverage"]["a_in_b"] < 1.0


def test_one_sentence_may_cover_two_on_the_other_side() -> None:
    a = make(
        "a",
        "The company reported record profits and announced it would hire 500 new workers in Ohio.",
    )
    b = make(
        "b",
        "The company reported record profits. It announced it would hire 500 new workers in Ohio.",
    )
    d = compare_articles(a, b).to_dict()
    assert d["sentences"]["a"][0]["matches"] == [0, 1]
    assert all(s["matches"] == [0] for s in d["sentences"]["b"])
    assert d["coverage"] == {"a_in_b": 1.0, "b_in_a": 1.0}


def test_json_has_exactly_the_contract_keys() -> None:
    d = compare_articles(make("a", "One fact here."), make("b", "Another fact there.")).to_dict()
    assert {"a", "b", "sentences", "entities", "quotes", "figures", "conflicts", "coverage"} <= set(
        d
    )
    assert set(d["a"]) == {"id", "title", "source", "agency"}
    assert set(d["sentences"]) == {"a", "b"}
    assert set(d["sentences"]["a"][0]) == {"index", "text", "status", "matches", "score"}
    assert set(d["entities"]) == {"both", "only_a", "only_b"}
    assert set(d["coverage"]) == {"a_in_b", "b_in_a"}


def test_empty_and_whitespace_bodies_compare_without_error() -> None:
    d = compare_articles(make("a", ""), make("b", "  \n\n ## Heading\n")).to_dict()
    assert d["sentences"] == {"a": [], "b": []}
    assert d["coverage"] == {"a_in_b": 0.0, "b_in_a": 0.0}


# -- figures and conflicts ---------------------------------------------------------------


def test_figures_one_sided_and_differing_with_a_check_flag() -> None:
    a = make("a", "The storm killed 12 people in the town on Monday. Damage was put at $3 million.")
    b = make(
        "b", "The storm killed 15 people in the town on Monday. It was the worst storm since 1987."
    )
    d = compare_articles(a, b).to_dict()
    figs = d["figures"]
    assert [(x["a"]["text"], x["b"]["text"]) for x in figs["differ"]] == [
        ("12 people", "15 people")
    ]
    assert any(f["kind"] == "money" and f["value"] == "3000000" for f in figs["only_a"])
    assert any(f["text"] == "1987" for f in figs["only_b"])
    checks = [c for c in d["conflicts"] if c["kind"] == "figure"]
    assert checks and checks[0]["status"] == "check" and "12 people" in checks[0]["reason"]


def test_negated_counterpart_is_flagged_for_checking_not_judged() -> None:
    a = make("a", "The minister confirmed the plan to close the mine next year.")
    b = make("b", "The minister did not confirm the plan to close the mine next year.")
    d = compare_articles(a, b).to_dict()
    assert d["sentences"]["a"][0]["status"] == "paraphrase"  # close wording, opposite sense
    assert [(c["kind"], c["status"]) for c in d["conflicts"]] == [("negation", "check")]
    assert "'not'" in d["conflicts"][0]["reason"]


def test_no_conflict_between_agreeing_sentences() -> None:
    a = make("a", "The two sides reached a deal on family reunions after talks in Seoul.")
    b = make("b", "After talks in Seoul the two sides agreed a deal on family reunions.")
    assert compare_articles(a, b).to_dict()["conflicts"] == []


# -- quotes ----------------------------------------------------------------------------


def test_quotes_same_altered_and_one_sided_with_word_diff_and_speakers() -> None:
    a = make(
        "a",
        '"We will not reopen the mine under any circumstances," Smith said. '
        '"It is a sad day for the town," said Jones.',
    )
    b = make(
        "b",
        '"We will never reopen the mine under any circumstances," said Brown. '
        '"The decision is final," a spokesman said.',
    )
    quotes = compare_articles(a, b).to_dict()["quotes"]
    altered = [q for q in quotes if q["status"] == "altered"]
    assert len(altered) == 1
    q = altered[0]
    assert q["diff"] == [{"op": "replace", "a": "not", "b": "never"}]
    assert (q["speaker_a"], q["speaker_b"], q["speaker_differs"]) == ("Smith", "Brown", True)
    assert {(q["status"], q["a"] or q["b"]) for q in quotes if q["status"].startswith("only")} == {
        ("only_a", "It is a sad day for the town,"),
        ("only_b", "The decision is final,"),
    }


def test_quotes_identical_words_are_same_even_across_spellings() -> None:
    a = make("a", 'Officials want to turn "denuclearisation into a verb," he said.')
    b = make("b", 'Officials want to turn "denuclearization into a verb," he said.')
    quotes = compare_articles(a, b).to_dict()["quotes"]
    assert [q["status"] for q in quotes] == ["same"]


# -- analysed articles -------------------------------------------------------------------


def _entity(body: str, text: str, label: str, key: str, nth: int = 0) -> Entity:
    start = [m.start() for m in re.finditer(re.escape(text), body)][nth]
    return Entity(start, start + len(text), label, text, key)


def test_analysed_articles_use_entity_keys_and_counts() -> None:
    body_a = "Kerry met Park Geun-hye in Seoul. Park said talks would continue. Paik Hak-Soon was hopeful."
    body_b = "The secretary met President Park Geun-hye. Yun Byung-se joined them. It was 2014."
    an_a = Analysis(
        "t",
        "m",
        entities=[
            _entity(body_a, "Kerry", "PERSON", "person:john kerry"),
            _entity(body_a, "Park Geun-hye", "PERSON", "person:park geun-hye"),
            _entity(body_a, "Park", "PERSON", "person:park geun-hye", nth=1),
            _entity(body_a, "Seoul", "GPE", "gpe:seoul"),
            _entity(body_a, "Paik Hak-Soon", "PERSON", "person:paik hak-soon"),
        ],
    )
    an_b = Analysis(
        "t",
        "m",
        entities=[
            _entity(body_b, "Park Geun-hye", "PERSON", "person:park geun-hye"),
            _entity(body_b, "Yun Byung-se", "PERSON", "person:yun byung-se"),
            _entity(body_b, "2014", "DATE", "date:2014"),
        ],
    )
    d = compare_articles(
        make("a", body_a, analysis=an_a), make("b", body_b, analysis=an_b)
    ).to_dict()
    ents = d["entities"]
    both = {e["key"]: (e["count_a"], e["count_b"]) for e in ents["both"]}
    assert both == {"person:park geun-hye": (2, 1)}
    assert {e["key"] for e in ents["only_a"]} == {
        "person:john kerry",
        "gpe:seoul",
        "person:paik hak-soon",
    }
    assert {e["key"] for e in ents["only_b"]} == {"person:yun byung-se"}  # DATE is a figure
    assert d["analysed"] is True


def test_analysed_quotes_come_from_the_analysis() -> None:
    body_a = 'Washington wants to turn "denuclearisation from a noun into a verb", he said.'
    body_b = 'The U.S. wants to translate denuclearization from a "noun" to a verb, he said.'
    qa = body_a.index("denuclearisation")
    qb = body_b.index("noun")
    an_a = Analysis("t", "m", quotes=[Quote(qa, qa + 40, body_a[qa : qa + 40], "official")])
    an_b = Analysis("t", "m", quotes=[Quote(qb, qb + 4, "noun", "he")])
    d = compare_articles(
        make("a", body_a, analysis=an_a), make("b", body_b, analysis=an_b)
    ).to_dict()
    assert [(q["a"], q["b"], q["status"]) for q in d["quotes"]] == [
        ("denuclearisation from a noun into a verb", "noun", "altered")
    ]


# -- the seed pair -------------------------------------------------------------------------


def test_seed_denuclearization_quote_is_altered(seed_comparison: dict) -> None:
    altered = [q for q in seed_comparison["quotes"] if q["status"] == "altered"]
    assert any("noun" in q["a"] and "verb" in q["a"] and "noun" in q["b"] for q in altered)


def test_seed_entities_park_both_paik_only_afp_yun_only_yonhap(seed_comparison: dict) -> None:
    ents = seed_comparison["entities"]

    def has(group: str, name: str) -> bool:
        return any(name in e["key"] for e in ents[group])

    assert has("both", "park geun-hye")
    assert has("only_a", "paik hak-soon") and not has("only_b", "paik hak-soon")
    assert has("only_b", "yun byung-se") and not has("only_a", "yun byung-se")


def test_seed_talks_outcome_disagreement_is_flagged_check(seed_comparison: dict) -> None:
    outcome = [
        c
        for c in seed_comparison["conflicts"]
        if "without any tangible agreement" in c["text_a"] and "followed by a deal" in c["text_b"]
    ]
    assert len(outcome) == 1
    assert outcome[0]["status"] == "check" and "agreement" in outcome[0]["reason"]


def test_seed_park_meeting_and_noun_verb_sentences_align(seed_comparison: dict) -> None:
    sa, sb = seed_comparison["sentences"]["a"], seed_comparison["sentences"]["b"]
    park_a = next(s for s in sa if "meet with President Park" in s["text"])
    park_b = next(s for s in sb if "meet with South Korean President Park" in s["text"])
    assert park_a["status"] == "paraphrase" and park_a["matches"] == [park_b["index"]]
    noun_a = next(s for s in sa if "noun into a verb" in s["text"])
    noun_b = next(s for s in sb if '"noun"' in s["text"])
    assert noun_b["index"] in noun_a["matches"]
    # Two different write-ups: most of each is its own.
    assert 0 < seed_comparison["coverage"]["a_in_b"] < 0.3
    assert 0 < seed_comparison["coverage"]["b_in_a"] < 0.3


def test_different_weekday_for_the_same_event_is_a_check() -> None:
    a = make("a", "The two Koreas held talks on Wednesday in the border village of Panmunjom.")
    b = make("b", "The two Koreas held talks on Tuesday in the border village of Panmunjom.")
    d = compare_articles(a, b).to_dict()
    assert d["sentences"]["a"][0]["matches"] == [0]
    assert [c["kind"] for c in d["conflicts"]] == ["figure"]
    assert "'Wednesday' vs 'Tuesday'" in d["conflicts"][0]["reason"]


def test_sentence_ending_inside_a_closed_quote_still_splits() -> None:
    body = "He said: “We will win.” Then he left. “Fox and Friends.” “We would not.”"
    assert [s.text for s in segment(body)] == [
        "He said: “We will win.”",
        "Then he left.",
        "“Fox and Friends.”",
        "“We would not.”",
    ]
