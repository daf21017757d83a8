"""The store's interface, over both journal modes (compacting rarely and on every write)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from parallax.model import (
    AmbiguousIdError,
    Analysis,
    Anchor,
    Article,
    Entity,
    NotFoundError,
    Story,
    content_id,
)
from storage import ArticleFilter, Library, StoreCorruptError, StoreError, StoreVersionError


def make_article(n: int, **kw: object) -> Article:
    body = kw.pop("body", None) or (
        f"Report number {n} about talks in Seoul. " + " ".join(f"w{n}x{i}" for i in range(60))
    )
    fields: dict[str, object] = dict(
        id=content_id(f"article {n}"),
        title=f"Article {n}",
        body=body,
        raw=f"raw {n}",
        source="AFP" if n % 2 else "The Korea Herald",
        agency="AFP" if n % 2 else "Yonhap",
        published=f"2014-02-{10 + n % 10:02d}T09:00:00",
    )
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


@pytest.fixture(params=[5000, 1], ids=["journal", "compact-every-write"])
def lib(request: pytest.FixtureRequest, tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "library.json", compact_ops=request.param)
    library.add_articles([make_article(i) for i in range(6)])
    yield library
    library.close()


def reopen(lib: Library) -> Library:
    return Library.open(lib.path)


def test_add_skip_identical_and_roundtrip(lib: Library) -> None:
    again = lib.add_articles([make_article(0)])
    assert again[0].status == "skipped" and "already" in (again[0].reason or "")
    a = reopen(lib).get(make_article(3).id)
    assert a.title == "Article 3" and a.raw == "raw 3" and a.source == "AFP"


def test_duplicate_of_from_ingest_is_kept_and_never_guessed(lib: Library) -> None:
    """Near-duplicates have one home, ingest's MinHash check: the store records its
    verdict and does not run a second, possibly disagreeing, detector of its own."""
    original = make_article(1)
    twin = make_article(100, body=original.body + " Extra line.", source="Other site")
    flagged = make_article(101, body="Some other text. " * 20, duplicate_of=original.id)
    results = lib.add_articles([twin, flagged])
    assert [r.duplicate_of for r in results] == [None, original.id]
    again = reopen(lib)
    assert again.summary(flagged.id).duplicate_of == original.id
    assert again.summary(twin.id).duplicate_of is None


def test_prefix_resolution(lib: Library) -> None:
    target = make_article(2).id
    assert lib.get(target[:7]).id == target
    with pytest.raises(NotFoundError):
        lib.get("zzzz")
    lib.add_articles([make_article(i) for i in range(6, 20)])
    # 20 hex ids over 16 possible first characters: at least two share one (pigeonhole).
    firsts = [make_article(i).id[0] for i in range(20)]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    with pytest.raises(AmbiguousIdError):
        lib.resolve_id(shared)


def test_filters_and_sorting(lib: Library) -> None:
    assert len(lib.list()) == 6
    assert {r.source for r in lib.list(ArticleFilter(source="afp"))} == {"AFP"}
    assert len(lib.list(ArticleFilter(agency="Yonhap"))) == 3
    first = make_article(0).id
    lib.set_flag(first, "read", True)
    lib.set_flag(make_article(1).id, "starred", True)
    lib.set_flag(make_article(2).id, "archived", True)
    assert first not in {r.id for r in lib.list(ArticleFilter(read=False))}
    assert [r.id for r in lib.list(ArticleFilter(starred=True))] == [make_article(1).id]
    assert make_article(2).id not in {r.id for r in lib.list()}
    assert [r.id for r in lib.list(ArticleFilter(archived=True))] == [make_article(2).id]
    assert len(lib.list(ArticleFilter(all_=True))) == 6
    dates = [r.published for r in lib.list()]
    assert dates == sorted(dates, reverse=True)
    titles = [r.title for r in lib.list(sort="title", reverse=False)]
    assert titles == sorted(titles)
    assert {
        r.id for r in lib.list(ArticleFilter(date_from="2014-02-13", date_to="2014-02-14"))
    } == {
        make_article(3).id,
        make_article(4).id,
    }


@pytest.mark.parametrize("sort", ["date", "source", "title", "imported"])
@pytest.mark.parametrize("reverse", [True, False])
def test_list_limit_is_the_start_of_the_full_list(tmp_path: Path, sort: str, reverse: bool) -> None:
    lib = Library.open(tmp_path / "library.json")
    # Many ties (same day, same source) and undated articles: the order must still agree.
    arts = [
        make_article(i, published=None if i % 7 == 0 else f"2014-02-{1 + i % 4:02d}T09:00:00")
        for i in range(40)
    ]
    lib.add_articles(arts)
    lib.set_flag(arts[3].id, "archived", True)
    full = [s.id for s in lib.list(sort=sort, reverse=reverse)]  # type: ignore[arg-type]
    assert len(full) == 39
    for limit in (0, 1, 5, 38, 39, 100):
        page = lib.list(sort=sort, reverse=reverse, limit=limit)  # type: ignore[arg-type]
        assert [s.id for s in page] == full[:limit]
    lib.close()


def test_search_is_case_and_accent_insensitive(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "s.json")
    lib.add_articles(
        [
            make_article(1, body="Le président Park a rencontré Kerry à Séoul. " * 5),
            make_article(2, body="Nothing about it here at all. " * 5),
        ]
    )
    assert [r.id for r in lib.list(ArticleFilter(search="SEOUL president"))] == [make_article(1).id]
    assert [r.id for r in lib.list(ArticleFilter(search="renc"))] == [make_article(1).id]
    assert lib.list(ArticleFilter(search="Pyongyang")) == []


def test_tags_flags_notes_survive_reopen(lib: Library) -> None:
    aid = make_article(4).id
    lib.update_tags(aid, add=["korea", "todo"])
    lib.update_tags(aid, remove=["TODO"], add=["Korea"])  # case-insensitive, no duplicates
    lib.set_flag([aid], "starred", True)
    anchor = Anchor(quote="talks", prefix="about ", suffix=" in", start=20, end=25)
    note = lib.add_note(aid, "check *this*", anchor)
    lib.update_note(note.id[:5], "checked")
    other = lib.add_note(aid, "to delete")
    lib.delete_note(other.id)
    again = reopen(lib)
    assert again.summary(aid).tags == ["korea"]
    assert again.summary(aid).starred
    [stored] = again.notes(aid)
    assert stored.text == "checked" and stored.anchor == anchor
    assert again.summary(aid).note_count == 1
    assert again.all_tags() == {"korea": 1}
    assert len(lib.list(ArticleFilter(tag="KOREA"))) == 1


def test_stories_and_entity_filter(lib: Library) -> None:
    a, b = make_article(0).id, make_article(1).id
    lib.save_stories([Story(id="s1", title="Kerry in Seoul", article_ids=[a, b], pinned=True)])
    again = reopen(lib)
    assert again.story("s1").article_ids == [a, b]
    assert {r.id for r in again.list(ArticleFilter(story="s1"))} == {a, b}
    lib.save_stories([Story(id="s2", title="other", article_ids=[a])])
    assert reopen(lib).summary(b).story is None
    analysis = Analysis(
        version="v", model="m", entities=[Entity(0, 6, "PERSON", "Report", key="person:john kerry")]
    )
    lib.set_analysis(a, analysis)
    assert [r.id for r in reopen(lib).list(ArticleFilter(entity="person:john kerry"))] == [a]
    assert reopen(lib).get(a).analysis == analysis


def test_other_process_changes_are_seen(lib: Library) -> None:
    other = reopen(lib)
    aid = make_article(5).id
    assert not lib.changed_since_open()
    other.update_tags(aid, add=["fromother"])
    assert lib.changed_since_open()
    assert lib.refresh() is True
    assert lib.summary(aid).tags == ["fromother"]
    # A read-modify-write in the first object keeps the other's tag (no lost update).
    lib.update_tags(aid, add=["mine"])
    assert reopen(lib).summary(aid).tags == ["fromother", "mine"]


def test_files_are_owner_only(lib: Library) -> None:
    lib.add_note(make_article(0).id, "x")
    for p in [lib.path, lib.journal_path, lib.content_dir, *lib.content_dir.rglob("*")]:
        if p.exists():
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


def test_corrupt_store_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_bytes(b'{"articles": {"x": ')
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError) as err:
        Library.open(path)
    assert str(path) in str(err.value) and "doctor" in str(err.value)
    assert path.read_bytes() == before


def test_future_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"_meta": {"1": {"schema": 99, "gen": 1}}, "articles": {}}))
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="newer Parallax"):
        Library.open(path)
    assert path.read_bytes() == before


def test_unreadable_store_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "library.json"
    path.write_text("{}")
    path.chmod(0)
    with pytest.raises(StoreError, match="permission denied"):
        Library.open(path)


def test_torn_journal_tail_is_ignored_then_cut(lib: Library) -> None:
    aid = make_article(0).id
    lib.update_tags(aid, add=["kept"])
    with open(lib.journal_path, "ab") as fh:
        fh.write(b'{"g": 1, "ops": [["articles", "')  # a write that crashed half-way
    again = reopen(lib)
    assert again.summary(aid).tags == ["kept"]
    again.update_tags(aid, add=["after"])
    assert reopen(lib).summary(aid).tags == ["kept", "after"]


def test_migrates_schema_1_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    old = make_article(7)
    old_doc = old.to_dict()
    old_doc["tags"] = ["legacy"]
    del old_doc["author"], old_doc["duplicate_of"]  # fields schema 1 did not have
    db = TinyDB(path, storage=JSONStorage)
    db.table("articles").insert(old_doc)
    db.table("notes").insert(
        {"id": "n1", "article_id": old.id, "text": "old note", "created": "2014", "updated": "2014"}
    )
    db.table("_meta").insert({"schema": 1})
    db.close()
    original = path.read_bytes()
    lib = Library.open(path)
    assert lib.get(old.id).body == old.body
    assert lib.summary(old.id).tags == ["legacy"]
    assert [s.author for s in lib.list()] == [None]
    assert [n.text for n in lib.notes()] == ["old note"]
    backups = list((tmp_path / "library.backups").iterdir())
    assert any(b.read_bytes() == original for b in backups)


def test_changes_absorbed_by_own_write_are_still_reported(lib: Library) -> None:
    """The reader polls `refresh()`: another session's tag must show even if the reader
    wrote something itself in between (its write catches up with the files first)."""
    other = reopen(lib)
    a, b = make_article(1).id, make_article(2).id
    other.update_tags(a, add=["fromother"])
    lib.set_flag(b, "read", True)
    assert lib.summary(a).tags == ["fromother"]
    assert lib.changed_since_open()
    assert lib.refresh() is True
    assert lib.refresh() is False and not lib.changed_since_open()


def test_store_corrupted_under_an_open_library_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    lib = Library.open(path, compact_ops=1)  # every write would rewrite the snapshot
    lib.add_articles([make_article(1)])
    garbage = b'{"articles": {"x": '
    tmp = tmp_path / "replacement"
    tmp.write_bytes(garbage)
    os.replace(tmp, path)  # another program replaced the file with something unparsable
    for _attempt in range(2):
        with pytest.raises(StoreCorruptError):
            lib.refresh()
        with pytest.raises(StoreCorruptError):
            lib.update_tags(make_article(1).id, add=["lost?"])
    assert path.read_bytes() == garbage


def test_article_imported_by_another_process_resolves_by_prefix(lib: Library) -> None:
    new = make_article(42)
    reopen(lib).add_articles([new])
    assert lib.get(new.id[:8]).title == "Article 42"
    lib.update_tags(new.id[:8], add=["seen"])
    assert reopen(lib).summary(new.id).tags == ["seen"]
    assert lib.refresh() is True  # the list still learns about the import


def test_search_finds_articles_the_index_missed(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise StoreError("cannot write library.fts.log: the disk is full")

    monkeypatch.setattr("storage.search.append_durable", fail)
    monkeypatch.setattr("storage.search.atomic_write", fail)
    new = make_article(77, body="Negotiators in Vladivostok agreed on nothing. " * 10)
    assert lib.add_articles([new])[0].status == "imported"  # the articles are committed
    monkeypatch.undo()
    for store in (lib, reopen(lib)):
        assert [s.id for s in store.list(ArticleFilter(search="vladivostok negot"))] == [new.id]
        assert len(store.list(ArticleFilter(search="seoul"))) == 6


def test_foreign_json_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text('{"users": {"1": {"name": "someone else\'s data"}}}')
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError, match="not a Parallax store"):
        Library.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("fold_min_bytes", [4 * 1024 * 1024, 0], ids=["append", "fold-every-add"])
def test_search_index_log_survives_a_torn_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fold_min_bytes: int
) -> None:
    monkeypatch.setattr("storage.search.SearchIndex.fold_min_bytes", fold_min_bytes)
    path = tmp_path / "library.json"
    first = make_article(1, body="Alpha negotiations in Geneva. " * 10)
    second = make_article(2, body="Bravo summit in Hanoi. " * 10)
    third = make_article(3, body="Charlie talks in Oslo. " * 10)
    Library.open(path).add_articles([first])
    with open(tmp_path / "library.fts.log", "ab") as fh:
        fh.write(b'{"first": 1, "docs": ["zz')  # an index append cut short by a crash
    lib = Library.open(path)
    assert [s.id for s in lib.list(ArticleFilter(search="geneva"))] == [first.id]
    lib.add_articles([second])
    Library.open(path).add_articles([third])  # another process, same index
    assert lib.refresh() is True  # the reader picks up the other process's import
    for store in (lib, Library.open(path)):
        for word, article in (("geneva", first), ("hanoi", second), ("oslo", third)):
            assert [s.id for s in store.list(ArticleFilter(search=word))] == [article.id]
        assert store.search_index.size() == 3
