"""The import pipeline: files -> ingest -> analysis -> store -> stories.

Used by `parallax import` and by `parallax demo` (to build the demo store). Each input is
reported as imported, skipped or failed; one bad file never stops the batch. Articles are
handed to the store in batches, each one atomic (`Library.add_articles`), so an interrupted
import leaves whole articles or nothing, and never touches what was stored before.

Analysis is best-effort: when the spaCy model is missing the user is warned once (with the
install hint from `ModelUnavailableError`) and articles are stored un-analysed, to be
brought up to date later with `parallax reanalyze`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from parallax.model import Article, ParallaxError

if TYPE_CHECKING:
    from parallax.ingest.dedup import NearDuplicateIndex
    from storage import Library

ProgressCallback = Callable[[int, int | None, str], None]
"""`progress(done, total_or_None, current_path)`, called once per input file."""

ANALYSIS_BATCH = 64
"""Articles analysed and stored together: big enough for spaCy's `pipe`, small enough
that an interrupted import loses little work."""

COUNT_LIMIT = 100_000
"""Stop counting files for the progress bar past this many (the bar just stays open)."""


@dataclass
class ImportReport:
    """What an import did, in the shape of `parallax import --json`.

    Every entry has the same keys within its list, so scripts need no `.get`:

    Attributes:
        imported: `{"path", "id", "title", "duplicate_of"}` per new article
            (`duplicate_of` is the id of a near-duplicate already stored, else null).
        skipped: `{"path", "id", "record", "reason"}`: `id` when the store already had
            the article, `record` ("line 3", "item 7") when one record of a many-article
            file was skipped; null otherwise.
        failed: `{"path", "id", "record", "reason", "error"}` per input (or record) that
            could not be read or parsed; `error` repeats `reason` (the original name).
        warnings: messages for stderr (decoding problems, a missing model...).
        analysed: False when articles were stored without analysis.
    """

    imported: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    analysed: bool = True

    def skip(
        self, path: str, reason: str, *, record: str | None = None, article_id: str | None = None
    ) -> None:
        """Record a skipped input, record or already-stored article."""
        if record and not reason.startswith(f"{path}: {record}"):
            reason = f"{path}: {record}: {reason}"
        self.skipped.append({"path": path, "id": article_id, "record": record, "reason": reason})

    def fail(self, path: str, reason: str, *, record: str | None = None) -> None:
        """Record a failed input or record; `reason` names the file (and the record)."""
        if record and not reason.startswith(f"{path}: {record}"):
            reason = f"{path}: {record}: {reason}"
        self.failed.append(
            {"path": path, "id": None, "record": record, "reason": reason, "error": reason}
        )

    def to_dict(self) -> dict[str, object]:
        return {"imported": self.imported, "skipped": self.skipped, "failed": self.failed}


def count_inputs(paths: Sequence[str]) -> int:
    """How many files an import of `paths` will read (for the progress bar's total).

    Counts regular files under directories (hidden ones included: ingest decides what to
    skip, so this is an estimate); stdin and unreadable paths count as one.
    """
    total = 0
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for _root, _dirs, files in os.walk(path):
                total += len(files)
                if total >= COUNT_LIMIT:
                    return total
        else:
            total += 1
    return total


def import_paths(
    lib: Library,
    paths: Sequence[str],
    *,
    analyze: bool = True,
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Import every article found under `paths` into `lib`.

    Args:
        lib: the store.
        paths: files, directories (recursive) and "-" for `stdin`.
        analyze: run entity/quote analysis before storing.
        progress: called after each input file.
        stdin: the stream "-" reads (bytes).
        max_bytes: the per-file size limit (default: PARALLAX_MAX_BYTES, else 20 MB).

    Returns:
        The report; it never raises for bad input (store errors do propagate).
    """
    from parallax.ingest import ingest_paths

    report = ImportReport(analysed=analyze)
    store_file = getattr(lib, "path", None)
    stores = [store_file] if isinstance(store_file, str | os.PathLike) else []
    pending: list[tuple[str, Article]] = []
    state = {"analyse": analyze}
    new_ids: list[str] = []
    done = 0

    from storage import ArticleFilter

    stored = {r.id for r in lib.list(ArticleFilter(all_=True))}
    dups = _near_duplicate_index(stored, lib, stores, report)

    def flush() -> None:
        if not pending:
            return
        articles = [a for _, a in pending]
        _keep_legacy_ids(stored, articles)
        if dups is not None:
            _flag_near_duplicates(dups, articles)
        if state["analyse"]:
            state["analyse"] = _analyse(articles, report)
        results = lib.add_articles(articles)
        for (path, article), result in zip(pending, results, strict=True):
            if result.status == "imported":
                report.imported.append(
                    {
                        "path": path,
                        "id": result.id,
                        "title": article.title,
                        "duplicate_of": result.duplicate_of,
                    }
                )
                new_ids.append(result.id)
            else:
                report.skip(path, result.reason or "already in the store", article_id=result.id)
        pending.clear()

    for path in paths:
        try:
            for result in ingest_paths(
                [path], stdin=stdin, max_bytes=max_bytes, exclude_stores=stores
            ):
                done += 1
                for warning in result.warnings:
                    named = warning.startswith(result.path)
                    report.warnings.append(warning if named else f"{result.path}: {warning}")
                for record, reason in result.failed_records:
                    report.fail(result.path, reason, record=record)
                for record, reason in result.skipped_records:
                    report.skip(result.path, reason, record=record)
                if result.status == "failed":
                    report.fail(result.path, result.reason or "failed")
                elif result.status == "skipped" or not result.articles:
                    if not (result.failed_records or result.skipped_records):
                        report.skip(result.path, result.reason or "no article found in it")
                else:
                    pending.extend((result.path, a) for a in result.articles)
                    if len(pending) >= ANALYSIS_BATCH:
                        flush()
                if progress is not None:
                    progress(done, None, result.path)
        except (ParallaxError, OSError, ValueError, UnicodeError) as exc:
            # Ingest reports bad input as results; this guards the batch against a bug
            # or an I/O error while walking a directory.
            report.fail(path, str(exc) or type(exc).__name__)
    flush()
    if dups is not None:
        dups.save()
    if report.imported and not state["analyse"]:
        report.analysed = False
    if new_ids:
        _update_stories(lib, new_ids, report)
    return report


def _keep_legacy_ids(stored: set[str], articles: list[Article]) -> None:
    """Give an article the id an earlier version stored it under, when that differs.

    Ids used to hash the raw text exactly, so a file with trailing spaces or CRLF line
    ends got an id that the whitespace-insensitive `identity_text` no longer produces;
    re-importing such a file must still be a no-op, not a second copy.
    """
    from parallax.ingest.common import legacy_id

    for article in articles:
        old = legacy_id(article.raw)
        if old != article.id and old in stored:
            article.id = old


def _near_duplicate_index(
    stored: set[str], lib: Library, stores: Sequence[str | os.PathLike[str]], report: ImportReport
) -> NearDuplicateIndex | None:
    """The store's near-duplicate index, brought in line with what the store holds.

    Signatures missing from the cache (articles imported before it existed, or by another
    process whose cache write lost a race) are computed once from the stored bodies;
    articles no longer stored are dropped. None (and a warning) if numpy is unavailable:
    the store's own exact-duplicate check still runs.
    """
    try:
        from parallax.ingest.dedup import NearDuplicateIndex, signature
    except ImportError as exc:
        report.warnings.append(f"near-duplicate detection is unavailable ({exc})")
        return None
    index = NearDuplicateIndex.for_store(stores[0]) if stores else NearDuplicateIndex()
    index.forget_except(stored)
    for article in lib.iter_articles(index.missing(sorted(stored))):
        index.add(article.id, signature(article.body))
    return index


def _flag_near_duplicates(index: NearDuplicateIndex, articles: list[Article]) -> None:
    """Name each new article's twin (the earliest-stored near-duplicate) in
    `duplicate_of`, and remember its signature so later articles of the same batch can
    find it too. An id already stored (an exact re-import) is never its own twin."""
    from parallax.ingest.dedup import signature

    for article in articles:
        sig = signature(article.body)
        if article.duplicate_of is None:
            article.duplicate_of = index.find(sig, exclude=article.id)
        index.add(article.id, sig)


def _analyse(articles: list[Article], report: ImportReport) -> bool:
    """Attach analysis to `articles`; False (and one warning) when it cannot run, so the
    rest of the import stores articles un-analysed instead of failing."""
    try:
        from parallax.analysis import analyze_articles
    except ImportError as exc:
        report.warnings.append(f"analysis is unavailable ({exc}); articles stored without it")
        return False
    try:
        analyses = analyze_articles(articles)
    except ParallaxError as exc:
        report.warnings.append(
            f"{str(exc).rstrip('. ')}. Articles are stored without analysis; "
            "run `parallax reanalyze` later."
        )
        return False
    except Exception as exc:  # an analyser bug must not lose the import
        if os.environ.get("PARALLAX_DEBUG"):
            raise
        paths = sorted({a.path or a.id for a in articles})
        report.warnings.append(
            f"analysis failed ({type(exc).__name__}: {exc}) for {len(articles)} article(s) "
            f"from {', '.join(paths[:3])}{' ...' if len(paths) > 3 else ''}; they are stored "
            "without analysis (`parallax reanalyze` retries). This is a bug; please report it."
        )
        report.analysed = False
        return True  # later batches may well analyse fine
    for article, analysis in zip(articles, analyses, strict=True):
        article.analysis = analysis
    return True


def _update_stories(lib: Library, new_ids: list[str], report: ImportReport) -> None:
    """Group the new articles into stories; a failure here never fails the import."""
    try:
        from parallax.compare.stories import update_stories
    except ImportError:
        # Story grouping not available in this build: articles simply have no story
        # until `parallax story assign` runs.
        return
    try:
        update_stories(lib, new_ids)
    except ParallaxError as exc:
        report.warnings.append(f"stories were not updated: {exc} (`parallax story assign` retries)")
