"""Near-duplicate detection (`parallax.ingest.dedup`): wire copy edited the way a second
site edits it is found; different articles, even on the same event, are not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parallax.ingest import ingest_paths
from parallax.ingest.dedup import NearDuplicateIndex, is_near_duplicate, signature
from tests.conftest import AFP_SEED, EVAL_DIR, YONHAP_SEED


def _body(path: Path) -> str:
    [result] = list(ingest_paths([str(path)]))
    return result.articles[0].body


def _edit(text: str, rate: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(
        f"changed{rng.randrange(10**6)}" if rng.random() < rate else w for w in text.split(" ")
    )


AFP = _body(AFP_SEED)
PARAS = AFP.split("\n\n")
VARIANTS = {
    "same text, other site furniture": AFP,
    "US spelling": AFP.replace("programme", "program").replace("labour", "labor"),
    "last 30% of paragraphs cut": "\n\n".join(PARAS[: int(len(PARAS) * 0.7)]),
    "cut to half": "\n\n".join(PARAS[: len(PARAS) // 2]),
    "caption and subheading dropped": "\n\n".join(
        p for p in PARAS if not p.startswith("##") and "Vucci" not in p
    ),
    "editor's line added": AFP + "\n\nThis story was updated with comments from analysts.",
    "5% of words changed": _edit(AFP, 0.05),
    "2% of words changed": _edit(AFP, 0.02),
    "Markdown escapes and line breaks differ": AFP.replace("\n\n", "\n").replace("'", "\\'"),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_wire_copy_variants_are_near_duplicates(name: str) -> None:
    assert is_near_duplicate(signature(AFP), signature(VARIANTS[name]))


def test_different_copy_of_the_same_event_is_not() -> None:
    assert not is_near_duplicate(signature(AFP), signature(_body(YONHAP_SEED)))
    assert not is_near_duplicate(signature(AFP), signature(_edit(AFP, 0.5)))


def test_short_texts_are_never_matched() -> None:
    headline = "Kerry due in Seoul after rare North-South Korea talks"
    assert not is_near_duplicate(signature(headline), signature(headline))


@pytest.mark.skipif(not (EVAL_DIR / "basil").exists(), reason="BASIL eval data not present")
def test_no_false_twins_among_basil_triplets() -> None:
    """BASIL has 100 events each covered by Fox, NYT and HuffPost in their own words:
    the hardest realistic negatives (same people, places, quotes)."""
    articles = [a for r in ingest_paths([str(EVAL_DIR / "basil" / "articles")]) for a in r.articles]
    assert len(articles) >= 100
    index = NearDuplicateIndex()
    flagged = []
    for article in articles:
        sig = signature(article.body)
        twin = index.find(sig)
        if twin is not None:
            flagged.append((article.id, twin))
        index.add(article.id, sig)
    assert flagged == []


def test_index_finds_the_earliest_twin_and_round_trips(tmp_path: Path) -> None:
    store = tmp_path / "library.json"
    index = NearDuplicateIndex.for_store(store)
    index.add("first", signature(AFP))
    index.add("second", signature(VARIANTS["US spelling"]))
    assert index.find(signature(VARIANTS["cut to half"])) == "first"
    assert index.find(signature(AFP), exclude="first") == "second"
    index.save()
    again = NearDuplicateIndex.for_store(store)
    assert again.ids == ["first", "second"]
    assert again.find(signature(VARIANTS["5% of words changed"])) == "first"
    again.forget_except({"second"})
    assert again.find(signature(AFP)) == "second"


def test_huge_text_is_fingerprinted_by_its_head_only() -> None:
    from parallax.ingest.dedup import MAX_WORDS

    huge = " ".join(f"w{i}" for i in range(300_000))  # far more than any wire story
    sig = signature(huge)
    assert sig.usable and sig.shingles <= MAX_WORDS
    assert is_near_duplicate(sig, signature(huge[: len(huge) // 2]))
