"""Markdown -> Text rendering: literal text, offsets that survive Markdown, safe links."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from parallax.model import Analysis, Anchor, Article, Entity, Note, Quote, Span
from tui.render import (
    CAPTION_STYLE,
    ENTITY_STYLES,
    LINK_STYLE,
    find_anchor,
    one_line,
    render_body,
    split_sentences,
    visible,
)


def article(body: str, entities: list[tuple[str, str]] = (), **kw: object) -> Article:  # type: ignore[assignment]
    ents = []
    for word, label in entities:
        pos = body.find(word)
        assert pos >= 0, word
        ents.append(Entity(pos, pos + len(word), label, word, f"{label.lower()}:{word.lower()}"))
    analysis = Analysis("t", "m", entities=ents) if entities else None
    return Article(id="a", title="t", body=body, raw=body, analysis=analysis, **kw)  # type: ignore[arg-type]


def terminal_output(text: Text) -> str:
    out = StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200).print(text)
    return out.getvalue()


def styles_at(text: Text, start: int, end: int) -> list[object]:
    return [span.style for span in text.spans if span.start <= start and span.end >= end]


def test_markup_in_article_text_is_shown_literally() -> None:
    body = "Hello [bold]not bold[/] and [@click=app.quit]click[/] :smile: \\[x]"
    r = render_body(article(body))
    assert r.text.plain == "Hello [bold]not bold[/] and [@click=app.quit]click[/] :smile: [x]"
    assert "[bold]not bold[/]" in terminal_output(r.text)


def test_escape_sequences_become_visible_and_never_reach_the_terminal() -> None:
    body = "Title\x1b]0;pwned\x07 and \x1b[31mred\x1b[0m and \x9b2J and \u202eevil"
    r = render_body(article(body))
    out = terminal_output(r.text)
    assert "\x1b]0;" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\u241b]0;pwned" in r.text.plain  # ESC shown as a visible symbol
    assert len(visible(body)) == len(body)  # one-for-one, so offsets stay aligned
    assert one_line("a\nb\x1b") == "a b\u241b"


def test_entity_offsets_survive_markdown_syntax() -> None:
    body = "**John Kerry** went to [Seoul](https://example.com/seoul) on *Thursday*.\n\n- item with Beijing"
    art = article(
        body, [("John Kerry", "PERSON"), ("Seoul", "GPE"), ("Thursday", "DATE"), ("Beijing", "GPE")]
    )
    r = render_body(art)
    shown = [r.text.plain[m.start : m.end] for m in r.entities]
    assert shown == ["John Kerry", "Seoul", "Thursday", "Beijing"]
    seoul = r.entities[1]
    assert ENTITY_STYLES["places"] in styles_at(r.text, seoul.start, seoul.end)
    assert "\u2022 item with Beijing" in r.text.plain


def test_only_http_links_are_styled_and_none_are_live_hyperlinks() -> None:
    body = "See [site](https://example.com) and [bad](javascript:alert(1)) and [file](file:///etc/passwd)."
    r = render_body(article(body))
    site = r.text.plain.index("site")
    assert LINK_STYLE in styles_at(r.text, site, site + 4)
    file_pos = r.text.plain.index("file")
    assert LINK_STYLE not in styles_at(r.text, file_pos, file_pos + 4)
    assert all(getattr(span.style, "link", None) is None for span in r.text.spans)
    out = terminal_output(r.text)
    assert "\x1b]8;" not in out  # no OSC 8 hyperlinks at all


def test_html_is_not_interpreted() -> None:
    r = render_body(article("Before <script>alert(1)</script> after\n\n<div>block</div>"))
    assert "<script>alert(1)</script>" in r.text.plain
    assert "<div>block</div>" in r.text.plain


def test_quotes_get_their_speaker_and_captions_are_set_apart() -> None:
    body = 'He said "we are ready," according to officials.\n\nPhoto by Evan Vucci\n\nLast.'
    q0 = body.index("we are")
    cap = body.index("Photo")
    art = Article(
        id="a",
        title="t",
        body=body,
        raw=body,
        captions=[Span(cap, cap + len("Photo by Evan Vucci"))],
        analysis=Analysis(
            "t", "m", quotes=[Quote(q0, q0 + 12, "we are ready", "Min Kyung-wook", None)]
        ),
    )
    r = render_body(art)
    # the speaker is not spliced into the article's words (the reader shows it beside them)
    assert 'He said "we are ready," according to officials.' in r.text.plain
    assert "Min Kyung-wook" not in r.text.plain
    quote = r.quotes[0]
    assert r.text.plain[quote.start : quote.end] == "we are ready"
    line = next(ln for ln in r.text.plain.split("\n") if "Photo" in ln)
    assert line.startswith("\u258f Photo by Evan Vucci")
    pos = r.text.plain.index("Photo")
    assert any(
        s == CAPTION_STYLE or (hasattr(s, "italic") and s.italic)
        for s in styles_at(r.text, pos, pos + 5)
    )  # type: ignore[union-attr]


def test_notes_are_marked_and_orphans_reported() -> None:
    body = "First sentence here. The troop figure is 28,500 today."
    start = body.index("28,500")
    good = Note(
        "n1", "a", "check", "", "", Anchor("28,500", "figure is ", " today", start, start + 6)
    )
    moved = Note("n2", "a", "moved", "", "", Anchor("First sentence", "", " here", 40, 54))
    orphan = Note("n3", "a", "gone", "", "", Anchor("not there", "", "", 0, 9))
    r = render_body(article(body), [good, moved, orphan])
    assert [r.text.plain[m.start : m.end] for m in r.notes] == ["First sentence", "28,500"]
    assert r.orphaned_notes == [2]


def test_find_anchor_prefers_context_and_never_guesses() -> None:
    body = "the cat sat. the cat ran."
    note = Note("n", "a", "", "", "", Anchor("the cat", "sat. ", " ran", 5, 12))
    assert find_anchor(body, note) == (13, 20)
    ambiguous = Note("n", "a", "", "", "", Anchor("the cat", "zzz", "yyy", 99, 106))
    assert find_anchor(body, ambiguous) is None


def test_cheap_sentence_split_for_unanalysed_articles() -> None:
    body = "One. Two here!\n\nThree"
    assert [body[s:e] for s, e in split_sentences(body)] == ["One.", "Two here!", "Three"]


def test_entity_types_stay_distinct_without_colour() -> None:
    """With NO_COLOR the colours go; each type still differs by bold/underline/italic."""
    attrs = {
        group: (style.bold, style.underline, style.italic)
        for group, style in ENTITY_STYLES.items()
        if group in ("people", "orgs", "places")
    }
    assert len(set(attrs.values())) == len(attrs)


def test_list_dates_keep_the_year_unless_it_is_this_year() -> None:
    from tui.widgets.article_list import short_date

    assert short_date("2014-02-13T10:28:00", 10) == "2014-02-13"
    assert short_date("2014-02-13T10:28:00", 8, this_year="2026") == "Feb 2014"
    assert short_date("2026-02-03", 8, this_year="2026") == "   3 Feb"
    assert short_date(None, 8) == " " * 8
    assert short_date("sometime", 8) == " " * 8
