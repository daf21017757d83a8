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
        from parallax.ingest import ingest_text
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


def test_similarity_score_is_graded_for_partly_related_sentences() -> None:
    """Two pairs that are both "not the same fact" still differ in how related they are:
    the graded score must rank a pair sharing the event above one sharing nothing."""
    base = "North Korea fired two short-range missiles into the sea on Sunday."
    related = similarity(base, "North Korea fired a missile last month, officials said.")
    unrelated = similarity(base, "The central bank left interest rates unchanged.")
    assert related[1] is False and unrelated[1] is False
    assert related[0] >= unrelated[0] + 0.25


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
    # "noun" is a run of A's quoted words: the same quotation, only shorter.
    assert [(q["a"], q["b"], q["status"], q["fragment"]) for q in d["quotes"]] == [
        ("denuclearisation from a noun into a verb", "noun", "same", "b")
    ]


# -- the seed pair -------------------------------------------------------------------------


def test_seed_denuclearization_quote_fragment_is_same(seed_comparison: dict) -> None:
    paired = [q for q in seed_comparison["quotes"] if q["a"] and q["b"] and "noun" in q["b"]]
    assert paired and all("verb" in q["a"] for q in paired)
    assert all(q["status"] == "same" and q["fragment"] == "b" for q in paired)


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


# -- partial links, identity folding, figures one-to-one, swaps ---------------------------


def test_one_shared_clause_is_a_partial_link_counted_by_its_share() -> None:
    a = make(
        "a",
        "The minister arrived in Paris on Monday for talks, a day after the union leaders "
        "rejected the new pension reform plan in a stormy overnight vote.",
    )
    b = make(
        "b",
        "Crowds gathered outside parliament as the union leaders rejected the new pension "
        "reform plan.",
    )
    d = compare_articles(a, b).to_dict()
    assert [(lk["a"], lk["b"], lk["kind"]) for lk in d["links"]] == [(0, 0, "partial")]
    assert d["sentences"]["a"][0]["status"] == d["sentences"]["b"][0]["status"] == "paraphrase"
    assert d["sentences"]["a"][0]["matches"] == [0]
    # Each side is found only in part: the minister's trip and the crowds are its own.
    assert 0.2 < d["coverage"]["a_in_b"] < 0.8
    assert 0.2 < d["coverage"]["b_in_a"] < 0.9


def test_names_alone_do_not_make_a_partial_link() -> None:
    a = make("a", "John Kerry of the United States met Park Geun-hye in Seoul on Thursday.")
    b = make("b", "John Kerry will fly to Beijing from Seoul, the United States said.")
    d = compare_articles(a, b).to_dict()
    assert d["links"] == []
    assert d["sentences"]["a"][0]["status"] == "only"


def test_one_shared_news_verb_among_many_shared_names_is_a_partial_link() -> None:
    """Desks write the same trip with different verbs ("headed to" / "travels to"): the
    folded verb plus subject, title and destination is a fact, even without a second
    lower-case word in common; a negation elsewhere in the clause is not a conflict."""
    a = make(
        "a",
        "US Secretary of State John Kerry headed to Seoul on Thursday for discussions on "
        "the nuclear programme of North Korea.",
    )
    b = make(
        "b",
        "U.S. Secretary of State John Kerry will make sure there is no disparity with "
        "North Korea policy when he travels to Seoul this week.",
    )
    d = compare_articles(a, b).to_dict()
    assert [(lk["a"], lk["b"], lk["kind"]) for lk in d["links"]] == [(0, 0, "partial")]
    assert d["conflicts"] == []
    # Without the shared verb it is names alone: no link.
    c = make("c", b.body.replace("when he travels to Seoul", "while he is in Seoul"))
    assert compare_articles(a, c).to_dict()["links"] == []


def test_news_verbs_and_irregular_forms_fold_but_nouns_stay() -> None:
    from parallax.compare.text import stem

    assert stem("headed") == stem("travels") == stem("flew") == stem("travelled")
    assert stem("discussions") == stem("talks") == stem("negotiated")
    assert stem("met") == stem("meets") and stem("sought") == stem("seeking")
    assert stem("rose") == stem("climbed") and stem("fell") == stem("slipped") != stem("rose")
    assert stem("head") != stem("headed")  # the head of state is not travelling
    assert stem("left") != stem("leave")  # "left" is as often a side as a departure


def _ent(body: str, text: str, label: str, key: str) -> Entity:
    k = body.index(text)
    return Entity(k, k + len(text), label, text, key)


def test_nationality_adjective_and_bare_surname_fold_across_sources() -> None:
    body_a = "North Korea said John Kerry was welcome. Kerry said little."
    body_b = "North Korean officials said Kerry was welcome."
    an_a = Analysis(
        "t",
        "m",
        entities=[
            _ent(body_a, "North Korea", "GPE", "gpe:north korea"),
            _ent(body_a, "John Kerry", "PERSON", "person:john kerry"),
        ],
    )
    an_b = Analysis(
        "t",
        "m",
        entities=[
            _ent(body_b, "North Korean", "NORP", "norp:north korean"),
            _ent(body_b, "Kerry", "PERSON", "person:kerry"),
        ],
    )
    d = compare_articles(
        make("a", body_a, analysis=an_a), make("b", body_b, analysis=an_b)
    ).to_dict()
    both = {e["key"]: (e["count_a"], e["count_b"]) for e in d["entities"]["both"]}
    assert both == {"gpe:north korea": (1, 1), "person:john kerry": (1, 1)}
    assert d["entities"]["only_a"] == d["entities"]["only_b"] == []


def test_entities_in_title_lines_and_captions_are_not_counted() -> None:
    body = "Kerry in Seoul\n\nKerry met Park in Seoul on Thursday for talks."
    an = Analysis(
        "t",
        "m",
        entities=[
            Entity(0, 5, "PERSON", "Kerry", "person:john kerry"),
            _ent(body, "Kerry met", "PERSON", "person:john kerry"),
        ],
    )
    other = make("b", "Kerry met Park.", analysis=Analysis("t", "m"))
    d = compare_articles(make("a", body, title="Kerry in Seoul", analysis=an), other).to_dict()
    assert [(e["key"], e["count_a"]) for e in d["entities"]["only_a"]] == [("person:john kerry", 1)]


def test_swapped_figures_are_flagged_for_checking() -> None:
    a = make("a", "The blast killed 10 people and injured 25 others in the market on Friday.")
    b = make("b", "The blast killed 25 people and injured 10 others in the market on Friday.")
    d = compare_articles(a, b).to_dict()
    assert d["sentences"]["a"][0]["matches"] == [0]
    checks = [c for c in d["conflicts"] if "swapped" in c["reason"]]
    assert len(checks) == 1 and checks[0]["status"] == "check"
    assert d["figures"]["differ"] == []  # the same two numbers, attached differently
    assert d["sentences"]["a"][0]["status"] == "paraphrase"  # not "same wording"


def test_same_figures_in_another_order_are_not_swapped() -> None:
    a = make("a", "The blast killed 10 people and injured 25 others in the market on Friday.")
    b = make("b", "The blast injured 25 people and killed 10 others in the market on Friday.")
    d = compare_articles(a, b).to_dict()
    assert not [c for c in d["conflicts"] if "swapped" in c["reason"]]


def test_differing_figures_pair_one_to_one_by_kind() -> None:
    a = make("a", "Police said 12 people died and 40 were hurt when the bridge fell on Monday.")
    b = make("b", "Police said 14 people died and 45 were hurt when the bridge fell on Monday.")
    d = compare_articles(a, b).to_dict()
    pairs = [(x["a"]["text"], x["b"]["text"]) for x in d["figures"]["differ"]]
    assert pairs == [("12 people", "14 people"), ("40", "45")]  # not 12 vs 45, 40 vs 14


def test_speakers_compare_by_resolved_name_across_sources() -> None:
    body_a = '"We will talk again," John Kerry said.'
    body_b = '"We will talk again," Kerry said.'
    qa = Quote(1, 19, "We will talk again", "John Kerry", "person:john kerry")
    qb = Quote(1, 19, "We will talk again", "Kerry", "person:kerry")
    d = compare_articles(
        make("a", body_a, analysis=Analysis("t", "m", quotes=[qa])),
        make("b", body_b, analysis=Analysis("t", "m", quotes=[qb])),
    ).to_dict()
    assert [(q["status"], q["speaker_differs"]) for q in d["quotes"]] == [("same", False)]
    qc = Quote(1, 19, "We will talk again", "Wang Yi", "person:wang yi")
    d = compare_articles(
        make("a", body_a, analysis=Analysis("t", "m", quotes=[qa])),
        make("c", body_b, analysis=Analysis("t", "m", quotes=[qc])),
    ).to_dict()
    assert [(q["status"], q["speaker_differs"]) for q in d["quotes"]] == [("same", True)]


def test_segmentation_splits_after_acronyms_only_before_sentence_starts() -> None:
    body = (
        "The talks, held in the U.S., ended. Dr. Park spoke at 9:30 a.m. He left. "
        "The U.S. Army said so. It was in the U.S. The next day they met at 10 a.m. Monday. "
        "He arrived at 5 p.m. Mr. Liu said so."
    )
    assert [s.text for s in segment(body)] == [
        "The talks, held in the U.S., ended.",
        "Dr. Park spoke at 9:30 a.m.",
        "He left.",
        "The U.S. Army said so.",
        "It was in the U.S.",
        "The next day they met at 10 a.m. Monday.",
        "He arrived at 5 p.m.",
        "Mr. Liu said so.",
    ]


def test_captions_and_photo_credits_in_the_body_are_not_sentences() -> None:
    body = (
        "Photo: Kim Jong Un waves to crowds in Pyongyang (KCNA/AFP)\n\n"
        "Kim Jong Un waves to crowds in Pyongyang (KCNA/AFP)\n\n"
        "Kerry talks to reporters in Maryland on February 12, 2014 - by Evan Vucci\n\n"
        "Kim met Kerry. He said it was over (AFP) and left."
    )
    assert [s.text for s in segment(body)] == [
        "Kim met Kerry.",
        "He said it was over (AFP) and left.",
    ]


def test_figures_outside_the_shared_clause_of_a_partial_link_are_not_compared() -> None:
    a = make(
        "a",
        "Officials said on Monday that 40 schools were shut, after the union leaders "
        "rejected the new pension reform plan in a stormy overnight vote.",
    )
    b = make(
        "b",
        "Some 300 trains were cancelled as the union leaders rejected the new pension reform "
        "plan in a stormy vote.",
    )
    d = compare_articles(a, b).to_dict()
    assert d["links"] and d["links"][0]["kind"] == "partial"
    assert d["figures"]["differ"] == []  # 40 schools and 300 trains are different things
    assert not [c for c in d["conflicts"] if c["kind"] == "figure"]


def test_unanalysed_articles_fold_nationality_and_surnames_too() -> None:
    a = make("a", "Officials in North Korea said John Kerry was welcome in Pyongyang.")
    b = make("b", "North Korean officials said Kerry, who arrived on Monday, was welcome.")
    d = compare_articles(a, b).to_dict()
    assert d["analysed"] is False
    both = {e["key"] for e in d["entities"]["both"]}
    assert "name:north korea" in both
    only_b = {e["key"] for e in d["entities"]["only_b"]}
    assert "name:north korean" not in only_b
