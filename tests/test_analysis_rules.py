"""Analysis rules that need no model: sentences, model text, dates, figures, identity, quotes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parallax.analysis.figures import normalize_figure, resolve_date, resolve_time
from parallax.analysis.identity import (
    AliasFileError,
    alias_table,
    entity_key,
    normalize_name,
)
from parallax.analysis.quotes import extract_quotes, find_quote_spans
from parallax.analysis.text import model_text, split_sentences
from parallax.model import Entity

THURSDAY = dt.date(2014, 2, 13)


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


# -- sentences ---------------------------------------------------------------------------


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "U.S. Secretary of State John Kerry met Mr. Yun on Feb. 13 in Seoul. "
        "He discussed N. Korea with Dr. Lee. The talks ended."
    )
    assert sentences(text) == [
        "U.S. Secretary of State John Kerry met Mr. Yun on Feb. 13 in Seoul.",
        "He discussed N. Korea with Dr. Lee.",
        "The talks ended.",
    ]


def test_abbreviation_at_sentence_end_followed_by_new_sentence() -> None:
    text = (
        "The drills involve the U.S. The North condemned them. Officials in the U.S. Army agreed."
    )
    assert sentences(text) == [
        "The drills involve the U.S.",
        "The North condemned them.",
        "Officials in the U.S. Army agreed.",
    ]


def test_closing_quote_stays_with_its_sentence_and_lines_end_sentences() -> None:
    text = '## Kerry in Seoul\nHe said: "We are ready." Then he left.\n\nSEOUL, Feb. 13 (Yonhap) -- Talks began.'
    assert sentences(text) == [
        "## Kerry in Seoul",
        'He said: "We are ready."',
        "Then he left.",
        "SEOUL, Feb. 13 (Yonhap) -- Talks began.",
    ]


def test_attribution_after_a_quoted_question_stays_in_its_sentence() -> None:
    text = '"Why speculate?" Mr. Gowdy added. "We should wait." He said the talks would resume.'
    assert sentences(text) == [
        '"Why speculate?" Mr. Gowdy added.',
        '"We should wait."',
        "He said the talks would resume.",
    ]


def test_soft_wrapped_prose_is_one_sentence() -> None:
    text = "The discussions ran late into the night, and ended without any tangible\nagreement or joint statement."
    assert len(sentences(text)) == 1


# -- model text --------------------------------------------------------------------------


def test_model_text_keeps_offsets_and_blanks_markdown() -> None:
    body = "## Kerry arrives\n* **John Kerry** met [Park](https://example.com/park) in Seoul.\n"
    prepared = model_text(body)
    assert len(prepared) == len(body)
    assert "#" not in prepared and "*" not in prepared and "example.com" not in prepared
    assert prepared.index("John Kerry") == body.index("John Kerry")
    assert prepared.index("Park") == body.index("Park")


def test_shouted_headline_is_recased_but_acronyms_kept() -> None:
    body = "KERRY ARRIVES IN SEOUL FOR US TALKS\nKerry said so."
    prepared = model_text(body)
    assert prepared.startswith("Kerry Arrives in Seoul for US Talks\n")
    assert prepared.endswith("Kerry said so.")


# -- dates and figures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Wednesday", "the two Koreas sit down ", "2014-02-12"),
        ("Wednesday's", "", "2014-02-12"),
        ("Thursday", "Kerry headed to Seoul on ", "2014-02-13"),
        ("Friday", "Kerry will travel to Beijing on ", "2014-02-14"),
        ("Tuesday", "The State Department on ", "2014-02-11"),
        ("last Thursday", "", "2014-02-06"),
        ("February 12, 2014", "", "2014-02-12"),
        ("Feb. 13, 2014 - 09:09", "", "2014-02-13"),
        ("February 5", "", "2014-02-05"),
        ("13 February 2014", "", "2014-02-13"),
        ("yesterday", "", "2014-02-12"),
        ("last year", "", "2013"),
        ("later this month", "", "2014-02"),
        ("2007", "", "2007"),
        ("1950-53", "", None),
        ("February 20-25", "", None),
        ("recent years", "", None),
    ],
)
def test_dates_resolve_relative_to_publication(
    text: str, context: str, expected: str | None
) -> None:
    assert resolve_date(text, THURSDAY, context) == expected


def test_year_boundary_and_unknown_publication() -> None:
    assert resolve_date("December 30", dt.date(2014, 1, 2), "") == "2013-12-30"
    assert resolve_date("Wednesday", None, "") is None
    assert resolve_date("February 12, 2014", None, "") == "2014-02-12"


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        ("MONEY", "$1.5 million", ("1500000", "USD")),
        ("MONEY", "1,500,000 dollars", ("1500000", "USD")),
        ("MONEY", "15 billion won", ("15000000000", "KRW")),
        ("MONEY", "€20m", ("20000000", "EUR")),
        ("MONEY", "50 cents", ("0.5", "USD")),
        ("PERCENT", "10.5 percent", ("10.5", "%")),
        ("PERCENT", "10%", ("10", "%")),
        ("CARDINAL", "twenty-five", ("25", None)),
        ("CARDINAL", "three thousand", ("3000", None)),
        ("CARDINAL", "1,200", ("1200", None)),
        ("ORDINAL", "third", ("3", None)),
        ("ORDINAL", "21st", ("21", None)),
        ("QUANTITY", "15 km", ("15", "km")),
        ("TIME", "3 p.m.", ("15:00", None)),
        ("TIME", "10:28", ("10:28", None)),
        ("TIME", "10 to 12 hours", (None, None)),
        ("CARDINAL", "between 10 and 12", (None, None)),
    ],
)
def test_figures_are_normalised(
    label: str, text: str, expected: tuple[str | None, str | None]
) -> None:
    assert normalize_figure(label, text, THURSDAY, "") == expected


def test_vague_time_has_no_value() -> None:
    assert resolve_time("late into the night") is None


# -- identity ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "a", "b"),
    [
        ("PERSON", "Park Geun-Hye", "Park Geun-hye"),
        ("PERSON", "Park Geun-hye", "Park  Geun hye"),
        ("PERSON", "José Martí", "Jose Marti"),
        ("PERSON", "Paul D. Ryan", "Paul Ryan"),
        ("PERSON", "Jesse L. Jackson Jr.", "Jesse Jackson"),
        ("GPE", "U.S.", "United States"),
        ("GPE", "the United States", "US"),
        ("GPE", "the U.S.'s", "America"),
        ("GPE", "Republic of Korea", "South Korea"),
        ("GPE", "DPRK", "North Korea"),
        ("GPE", "North Korea's", "North Korea"),
        ("ORG", "Defence Ministry", "Defense Ministry"),
        ("ORG", "Department of Justice", "Justice Department"),
        ("ORG", "World Health Organisation", "WHO"),
    ],
)
def test_variants_share_one_key(label: str, a: str, b: str) -> None:
    table = alias_table(use_config=False)
    assert entity_key(label, a, table) == entity_key(label, b, table)


def test_different_things_keep_different_keys() -> None:
    table = alias_table(use_config=False)
    assert entity_key("GPE", "North Korea", table) != entity_key("GPE", "South Korea", table)
    assert entity_key("PERSON", "Park Geun-hye", table) != entity_key(
        "PERSON", "Park Chung-hee", table
    )
    assert entity_key("GPE", "US", table) == "gpe:united states"
    assert normalize_name("The Kerry's") == "kerry"
    # Britain's Labour Party and Australia's Labor Party: told apart only by spelling
    assert entity_key("ORG", "Labour Party", table) != entity_key("ORG", "Labor Party", table)


def test_user_alias_file_extends_the_table(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[org]\n"korea herald" = ["the herald", "koreaherald"]\n', encoding="utf-8")
    table = alias_table(aliases)
    assert entity_key("ORG", "KoreaHerald", table) == "org:korea herald"
    assert entity_key("ORG", "The Herald", table) == "org:korea herald"
    assert entity_key("GPE", "U.S.", table) == "gpe:united states"  # shipped entries kept


def test_broken_alias_file_names_the_file(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text("[org\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"aliases\.toml"):
        alias_table(aliases)
    aliases.write_text('[org]\n"x" = 3\n', encoding="utf-8")
    with pytest.raises(AliasFileError, match="list of strings"):
        alias_table(aliases)


# -- quotes ------------------------------------------------------------------------------


def quotes(text: str, entities: list[Entity] | None = None) -> list[tuple[str, str | None]]:
    found = extract_quotes(text, split_sentences(text), entities or [], lambda _name: None)
    for q in found:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.speaker) for q in found]


def test_quote_attribution_patterns() -> None:
    text = (
        '"The days are long gone," a State Department official told reporters.\n\n'
        '"It is a chance to stay synchronized," said the official.\n\n'
        "Kerry said: \u201cWe will not accept a nuclear North.\u201d\n\n"
        '"At least they met," Paik.\n\n'
        '"You cannot expect a major decision," he added.'
    )
    assert quotes(text) == [
        ("The days are long gone", "a State Department official"),
        ("It is a chance to stay synchronized", "the official"),
        ("We will not accept a nuclear North.", "Kerry"),
        ("At least they met", "Paik"),
        ("You cannot expect a major decision", "Paik"),
    ]


def test_split_quote_has_one_speaker_for_both_parts() -> None:
    text = '"We are ready," the minister said, "and we will not back down."'
    assert quotes(text) == [
        ("We are ready", "the minister"),
        ("and we will not back down.", "the minister"),
    ]


def test_mismatched_marks_as_in_the_yonhap_seed() -> None:
    text = (
        '"It is a chance," said the official.\n\n'
        'The U.S. wants to translate the denuclearization of North Korea from a "noun" to a \'verb," he said.'
    )
    assert quotes(text) == [
        ("It is a chance", "the official"),
        ("noun", "the official"),
        ("verb", "the official"),
    ]


def test_apostrophes_and_unbalanced_marks_are_not_quotes() -> None:
    text = (
        "Kerry's trip follows the two Koreas' talks and 15 years' hard labour.\n\n"
        'He said "this never closes.\n\n'
        "It's the '90s all over again."
    )
    assert quotes(text) == []


def test_quote_without_attribution_has_no_speaker() -> None:
    text = 'US officials called on North Korea to show "compassion" for the 45-year-old.'
    assert quotes(text) == [("compassion", None)]


def test_quote_running_over_paragraphs() -> None:
    text = '"The first part of it goes on.\n\n"And the second part ends here," said Min Kyung-wook.'
    assert quotes(text) == [
        ("The first part of it goes on.", "Min Kyung-wook"),
        ("And the second part ends here", "Min Kyung-wook"),
    ]


def test_quoted_as_saying_names_the_source_not_the_reporter() -> None:
    text = '"We are aware of their intentions," he quoted a government official as saying.'
    assert quotes(text) == [("We are aware of their intentions", "a government official")]


def test_speaker_key_comes_from_a_person_entity() -> None:
    text = '"We are ready," said President Park Geun-hye.'
    start = text.index("Park")
    park = Entity(
        start, start + len("Park Geun-hye"), "PERSON", "Park Geun-hye", "person:park geun hye"
    )
    found = extract_quotes(text, split_sentences(text), [park], lambda _n: None)
    assert [(q.speaker, q.speaker_key) for q in found] == [
        ("President Park Geun-hye", "person:park geun hye")
    ]


def test_abbreviations_inside_speakers_and_no_speaker_from_narrative() -> None:
    text = (
        '"The border is a struggle," said Gov. Rick Perry. "We will act."\n\n'
        "As the partisan brawl over Medicare continued, critics called the plan "
        '"a voucher scheme".\n\n'
        'The rally was held in Kansas City, Mo. The resolution initially said "they must go".'
    )
    assert quotes(text) == [
        ("The border is a struggle", "Gov. Rick Perry"),
        ("We will act.", "Gov. Rick Perry"),
        ("a voucher scheme", None),
        ("they must go", None),
    ]


def test_continuation_needs_a_standalone_quotation_in_the_same_paragraph() -> None:
    text = (
        '"We are ready," said Kim Min-su. "We will not wait." Then she left.\n\n'
        '"Nobody asked us," a resident said. Officials called it "a mistake".\n\n'
        '"Another paragraph."'
    )
    assert quotes(text) == [
        ("We are ready", "Kim Min-su"),
        ("We will not wait.", "Kim Min-su"),
        ("Nobody asked us", "a resident"),
        ("a mistake", None),
        ("Another paragraph.", None),
    ]


def test_pronoun_resolution_needs_an_unambiguous_antecedent() -> None:
    def people(text: str, *names: str) -> list[Entity]:
        out = []
        for name in names:
            start = 0
            while (i := text.find(name, start)) >= 0:
                out.append(Entity(i, i + len(name), "PERSON", name, "person:" + name.lower()))
                start = i + len(name)
        return out

    reported = (
        '"It is a chance," said the official. Kerry will raise it, the official added.\n\n'
        'The U.S. wants a "verb," he said.'
    )
    found = extract_quotes(
        reported, split_sentences(reported), people(reported, "Kerry"), lambda _n: None
    )
    # the last attribution ("the official added") is the antecedent, not the quote's
    assert [q.speaker for q in found] == ["the official", "the official"]

    ambiguous = (
        '"It is a chance," said the official.\n\n'
        "Lauten later apologized to Malia.\n\n"
        '"I reacted too fast," she said.'
    )
    found = extract_quotes(
        ambiguous, split_sentences(ambiguous), people(ambiguous, "Lauten", "Malia"), lambda _n: None
    )
    assert [q.speaker for q in found] == ["the official", "she"]


def test_speaker_drops_party_tag_and_ignores_words_inside_quotes() -> None:
    text = (
        '"These rules are serious," said Rep. Michele Bachmann (R-Minn.).\n\n'
        'Netanyahu spoke on Sunday. "President Obama has said he is determined," he said.'
    )
    start = text.index("Netanyahu")
    netanyahu = Entity(start, start + 9, "PERSON", "Netanyahu", "person:netanyahu")
    found = extract_quotes(text, split_sentences(text), [netanyahu], lambda _n: None)
    # "President Obama has said" is inside the quotation: not an attribution; and with
    # Netanyahu named since Bachmann spoke, "he" stays "he"
    assert [q.speaker for q in found] == ["Rep. Michele Bachmann", "he"]


def test_curly_and_single_quotes() -> None:
    text = "\u2018We will win,\u2019 the coach said.\n\n\u201cNo comment,\u201d said a spokeswoman."
    assert quotes(text) == [("We will win", "the coach"), ("No comment", "a spokeswoman")]


def test_quote_spans_pair_marks_within_paragraphs() -> None:
    text = 'a "b" c "d\n\ne" f'
    assert [(r.start, r.end) for r in find_quote_spans(text)] == [(3, 4)]


def test_unreadable_user_alias_file_fails_analysis_not_version(
    tmp_path: Path, isolated_env: Path
) -> None:
    from parallax.analysis import analyze_texts, analyzer_version

    config = isolated_env / "config" / "parallax.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'aliases = "{(tmp_path / "missing.toml").as_posix()}"\n', encoding="utf-8")
    assert analyzer_version()  # the reader can still label stored analysis
    with pytest.raises(AliasFileError, match=r"missing\.toml"):
        analyze_texts(["Kerry went to Seoul."])


def test_korean_names_found_and_widened_without_the_model() -> None:
    from parallax.analysis.pipeline import clean_entities

    body = "Paik Hak-Soon met Min Kyung. Moon Jae-in and a Kim-led team. Park Ji-based firms."
    start = body.index("Min Kyung")
    cut = (start, start + len("Min Kyung"), "PERSON")  # the model stopped at the hyphen
    found = {body[e.start : e.end] for e in clean_entities(body, model_text(body), [cut])}
    assert {"Paik Hak-Soon", "Moon Jae-in"} <= found
    assert not any("led" in f or "based" in f for f in found)
