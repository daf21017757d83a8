"""Named-entity F1 on the CoNLL-2003 English test set: plain spaCy vs Parallax analysis.

Both systems see the same text (each document's sentences one per line, gold tokens
joined by spaces) and the same loaded model in the same run; only Parallax adds its
text preparation and post-rules. Labels are mapped as `../shared/eval/README.md` says:
PERSON->PER; GPE, LOC, FAC->LOC; ORG->ORG; NORP, EVENT, WORK_OF_ART, PRODUCT, LAW,
LANGUAGE->MISC; numeric and date labels dropped. Scoring is exact-span micro F1 over
gold tokens.

Run: uv run python benchmarks/ner_conll.py [--limit N]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
TEST = EVAL / "conll2003" / "test.txt"

LABEL_MAP = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ("PER", "LOC", "ORG", "MISC")

Span = tuple[int, int, str]  # first token, end token (exclusive), type


class Document:
    """One CoNLL document: its text, each token's char range, and gold entity spans."""

    def __init__(self, sentences: Sequence[Sequence[tuple[str, str]]]) -> None:
        parts: list[str] = []
        self.offsets: list[tuple[int, int]] = []
        self.gold: set[Span] = set()
        pos = 0
        index = 0
        for sentence in sentences:
            current: tuple[int, str] | None = None
            for i, (token, tag) in enumerate(sentence):
                if i:
                    parts.append(" ")
                    pos += 1
                self.offsets.append((pos, pos + len(token)))
                parts.append(token)
                pos += len(token)
                kind = tag[2:] if tag != "O" else ""
                if current and (tag == "O" or tag.startswith("B-") or kind != current[1]):
                    self.gold.add((current[0], index, current[1]))
                    current = None
                if tag != "O" and current is None:
                    current = (index, kind)
                index += 1
            if current:
                self.gold.add((current[0], index, current[1]))
            parts.append("\n")
            pos += 1
        self.text = "".join(parts)

    def to_tokens(self, spans: Iterable[tuple[int, int, str]]) -> set[Span]:
        """Char spans -> token spans (every token the span overlaps), mapped labels only."""
        out: set[Span] = set()
        for start, end, label in spans:
            kind = LABEL_MAP.get(label)
            if kind is None:
                continue
            toks = [i for i, (s, e) in enumerate(self.offsets) if s < end and e > start]
            if toks:
                out.add((toks[0], toks[-1] + 1, kind))
        return out


def read_conll(path: Path) -> list[Document]:
    docs: list[Document] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sentence:
                sentences.append(sentence)
                sentence = []
            if sentences:
                docs.append(Document(sentences))
                sentences = []
            continue
        if not line.strip():
            if sentence:
                sentences.append(sentence)
                sentence = []
            continue
        cols = line.split()
        sentence.append((cols[0], cols[-1]))
    if sentence:
        sentences.append(sentence)
    if sentences:
        docs.append(Document(sentences))
    return docs


def score(
    gold: Sequence[set[Span]], pred: Sequence[set[Span]]
) -> dict[str, tuple[float, float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for span in p & g:
            tp[span[2]] += 1
        for span in p - g:
            fp[span[2]] += 1
        for span in g - p:
            fn[span[2]] += 1
    out: dict[str, tuple[float, float, float]] = {}
    for kind in (*TYPES, "ALL"):
        if kind == "ALL":
            t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
        else:
            t, f_p, f_n = tp[kind], fp[kind], fn[kind]
        precision = t / (t + f_p) if t + f_p else 0.0
        recall = t / (t + f_n) if t + f_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[kind] = (precision, recall, f1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args()

    from parallax.analysis import loader
    from parallax.analysis.identity import alias_table
    from parallax.analysis.pipeline import run
    from parallax.config import spacy_model_name

    docs = read_conll(TEST)
    if args.limit:
        docs = docs[: args.limit]
    texts = [d.text for d in docs]
    name = spacy_model_name()
    nlp = loader.load_pipeline(name)
    print(f"model {name} {loader.model_version(name)}, components {nlp.pipe_names}")
    print(f"{len(docs)} documents, {sum(len(d.gold) for d in docs)} gold entities")

    t0 = time.perf_counter()
    raw = [d.to_tokens((e.start_char, e.end_char, e.label_) for e in doc.ents)
           for d, doc in zip(docs, nlp.pipe(texts, batch_size=32), strict=True)]  # fmt: skip
    t1 = time.perf_counter()
    analyses = run(nlp, texts, [None] * len(texts), aliases=alias_table(use_config=False),
                   version="bench", model=name)  # fmt: skip
    ours = [d.to_tokens((e.start, e.end, e.label) for e in a.entities)
            for d, a in zip(docs, analyses, strict=True)]  # fmt: skip
    t2 = time.perf_counter()

    gold = [d.gold for d in docs]
    base = score(gold, raw)
    mine = score(gold, ours)
    print(f"\n{'type':<5} {'plain spaCy P/R/F1':>24} {'Parallax P/R/F1':>24} {'dF1':>7}")
    for kind in (*TYPES, "ALL"):
        b, m = base[kind], mine[kind]
        print(
            f"{kind:<5} {b[0]:7.3f} {b[1]:7.3f} {b[2]:7.3f}   {m[0]:7.3f} {m[1]:7.3f} {m[2]:7.3f} "
            f"{m[2] - b[2]:+7.3f}"
        )
    print(f"\nF1: plain spaCy {base['ALL'][2]:.3f}, Parallax {mine['ALL'][2]:.3f} "
          f"(ratio {mine['ALL'][2] / base['ALL'][2]:.3f})")  # fmt: skip
    print(f"time: plain {t1 - t0:.1f}s, Parallax {t2 - t1:.1f}s")


if __name__ == "__main__":
    main()
