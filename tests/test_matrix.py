"""The story matrix: the pairwise decisions, applied across every source at once."""

from __future__ import annotations

from parallax.compare import compare_articles
from parallax.compare.matrix import story_matrix
from parallax.model import Analysis, Article, Entity, Quote

A = (
    "The minister arrived in Paris on Monday for talks, a day after the union leaders "
    "rejected the new pension reform plan in a stormy overnight vote. Schools stayed open."
)
B = (
    "Crowds gathered outside parliament as the union leaders rejected the new pension "
    "reform plan. Trains ran normally."
)
C = "The union leaders rejected the new pension reform plan, officials said."


def art(aid: str, body: str, analysis: Analysis | None = None) -> Article:
    return Article(id=aid, title=aid.upper(), body=body, raw=body, analysis=analysis)


def test_facts_link_exactly_as_pairwise_comparison_does() -> None:
    arts = [art("a", A), art("b", B), art("c", C)]
    m = story_matrix(arts).to_dict()
    pension = next(r for r in m["facts"] if "pension" in r["text"])
    assert pension["sources"] == [0, 1, 2] and pension["only"] is None
    # Every pair the matrix puts in one row is linked by compare_articles too.
    for x, y in ((0, 1), (0, 2), (1, 2)):
        d = compare_articles(arts[x], arts[y]).to_dict()
        ix, iy = pension["cells"][x][0], pension["cells"][y][0]
        assert iy in d["sentences"]["a"][ix]["matches"]
    only = {r["text"]: r["only"] for r in m["facts"] if r["only"] is not None}
    assert only == {"Schools stayed open.": 0, "Trains ran normally.": 1}
    assert [o["facts"] for o in m["only"]] == [1, 1, 0]


def _ent(body: str, text: str, label: str, key: str) -> Entity:
    k = body.index(text)
    return Entity(k, k + len(text), label, text, key)


def test_entities_fold_across_sources_and_quote_fragments_are_same() -> None:
    body_a = 'North Korea wants "denuclearisation from a noun into a verb", he said.'
    body_b = 'North Korean officials spoke of a "noun" and a "verb", he said.'
    qa = body_a.index("denuclearisation")
    an_a = Analysis(
        "t",
        "m",
        entities=[_ent(body_a, "North Korea", "GPE", "gpe:north korea")],
        quotes=[Quote(qa, qa + 40, body_a[qa : qa + 40], "he")],
    )
    qb = body_b.index("noun")
    an_b = Analysis(
        "t",
        "m",
        entities=[_ent(body_b, "North Korean", "NORP", "norp:north korean")],
        quotes=[Quote(qb, qb + 4, "noun", "he")],
    )
    m = story_matrix([art("a", body_a, an_a), art("b", body_b, an_b)]).to_dict()
    assert [(e["key"], e["cells"]) for e in m["entities"]] == [("gpe:north korea", [1, 1])]
    (quote,) = [q for q in m["quotes"] if q["cells"][0] and q["cells"][1]]
    assert quote["status"] == "same"
