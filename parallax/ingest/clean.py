"""Boilerplate recognition and Markdown escaping for text captured from web pages.

The rules describe what page furniture looks like in general (short lines made only of
navigation/social words, "Latest ..."/"Related ..." promo headers, bullet lists and blurbs
after them at the end of a page, lone words), so they generalise beyond any one site.
Everything they drop is recorded by the caller in `Article.removed`.
"""

from __future__ import annotations

import re

from parallax.ingest.sanitize import sanitize_text

# Words that make up navigation, share and widget lines. A short line made only of these
# (plus punctuation/bullets) is page furniture, e.g. "Link copied", "Share on Facebook",
# "facebook recommendations", "Print | Email", "A A A", "Back to top".
_FURNITURE_WORDS = frozenset(
    [
        "link",
        "links",
        "copied",
        "copy",
        "url",
        "share",
        "shares",
        "shared",
        "sharing",
        "tweet",
        "tweets",
        "twitter",
        "x",
        "facebook",
        "fb",
        "whatsapp",
        "telegram",
        "linkedin",
        "pinterest",
        "reddit",
        "tumblr",
        "kakao",
        "kakaotalk",
        "kakaostory",
        "line",
        "weibo",
        "wechat",
        "naver",
        "band",
        "mail",
        "email",
        "e-mail",
        "print",
        "printer",
        "friendly",
        "comment",
        "comments",
        "recommend",
        "recommendations",
        "recommended",
        "like",
        "likes",
        "follow",
        "us",
        "on",
        "this",
        "article",
        "story",
        "page",
        "save",
        "saved",
        "bookmark",
        "bookmarks",
        "font",
        "size",
        "text",
        "a",
        "aa",
        "larger",
        "smaller",
        "reset",
        "home",
        "menu",
        "search",
        "login",
        "log",
        "in",
        "out",
        "sign",
        "up",
        "subscribe",
        "subscribed",
        "subscription",
        "newsletter",
        "close",
        "back",
        "to",
        "top",
        "next",
        "previous",
        "prev",
        "more",
        "read",
        "advertisement",
        "advert",
        "ad",
        "ads",
        "sponsored",
        "loading",
        "skip",
        "content",
        "main",
        "navigation",
        "toggle",
        "view",
        "all",
        "show",
        "hide",
        "click",
        "here",
        "tap",
        "google+",
        "rss",
        "feed",
        "feeds",
        "send",
        "the",
        "of",
        "and",
        "or",
        "your",
        "+a",
        "-a",
        "a+",
        "a-",
        "zoom",
        "listen",
        "audio",
        "play",
        "pause",
        "video",
        "photo",
        "photos",
        "gallery",
        "galleries",
        "tags",
        "tag",
        "related",
        "popular",
        "most",
        "viewed",
        "trending",
        "top",
        "latest",
        "news",
        "share:",
        "copy-link",
        "open",
        "app",
        "download",
        "via",
        "with",
        "messenger",
        "whatsapp",
    ]
)
SOCIAL_WORDS = frozenset(
    re.split(
        r"\s+",
        "facebook twitter x instagram youtube tiktok whatsapp telegram linkedin pinterest reddit "
        "tumblr kakao kakaotalk kakaostory line weibo wechat naver band threads bluesky "
        "mastodon flipboard google google+ apple rss email e-mail us",
    )
)
"""Social networks and sharing channels: named in page furniture, never the outlet itself."""
_PROMO_LEAD = re.compile(
    r"^(?:latest|more|related|recommended|popular|most\s+(?:read|viewed|popular|shared|emailed)|"
    r"top\s+(?:stories|news)|trending|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|also\s+read|"
    r"read\s+(?:more|also|next)|see\s+also|sponsored|from\s+around\s+the\s+web|editor'?s\s+picks?|"
    r"don'?t\s+miss|watch|featured|promoted|advertisement|follow\s+us|join\s+us|sign\s+up|"
    r"subscribe|get\s+the\s+app|download\s+the\s+app|topics|tags|filed\s+under|"
    r"more\s+on\s+this\s+(?:story|topic)|explore\s+more|paid\s+content|"
    r"partner\s+content|sponsored\s+content|promoted\s+stories)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•·▪▫‣◦●○■□►▶➤–—*+-]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’)\]]*$""")
_SUBHEADING = re.compile(r"^\s*[-–—=*]{1,3}\s*(?P<text>[^-–—=*\s].{0,150}?)\s*[-–—=*]{1,3}\s*$")
_CAPTION_PATTERNS = (
    # "... on February 12, 2014 - by Evan Vucci", "... | Photo by Jane Doe"
    re.compile(
        r"\s[-–—|/]\s*(?:photo(?:graph)?\s*(?:by|:)\s*|by\s+)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*\)?$"
    ),
    re.compile(
        r"\((?:[^()]{0,40}\b)?(?:photo|file photo|photograph|image|pictured|picture)\b[^()]{0,80}\)\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:AP|AFP|Reuters|EPA|Getty Images|Yonhap|Xinhua|Kyodo|Bloomberg|PA)\s*(?:Photo|/|via Getty)",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:photos?|file photo|caption|pictured|images?|pictures?|사진|写真|图片|圖片)\s*[:：]",
        re.IGNORECASE,
    ),
    re.compile(r"\([^()]{0,40}(?:사진|写真|图片|圖片)[^()]{0,20}\)\s*$"),
    re.compile(r"(?:photo|image|picture)\s*(?:credit|courtesy)\s*[:：]?", re.IGNORECASE),
    re.compile(r"[©]\s*\w"),
    # gallery widgets: "... Hide Caption 1 of 5"
    re.compile(r"\b(?:hide|show|view)\s+caption\b(?:\s+\d+\s+of\s+\d+)?\s*$", re.IGNORECASE),
)


def words(line: str) -> list[str]:
    """The words of `line`, lower-cased, with bullets and edge punctuation stripped."""
    line = _BULLET.sub("", line)
    return [w for w in (t.strip(".,:;!?|·•()[]\"'“”‘’").lower() for t in line.split()) if w]


def is_prose(line: str) -> bool:
    """Article prose: a sentence of some length, not a label, link or widget."""
    n = len(line.split())
    return (n >= 8 and bool(_SENTENCE_END.search(line.strip()))) or n >= 25


def is_furniture(line: str) -> bool:
    """A navigation/share/widget line: short and made only of furniture words."""
    if len(line) > 400:  # cheap exit for prose paragraphs
        return False
    if is_nav_menu(line) or _FONT_WIDGET.match(line):
        return True
    ws = words(line)
    if not ws or len(ws) > 6 or (_SENTENCE_END.search(line.strip()) and len(ws) > 2):
        return False
    return all(w in _FURNITURE_WORDS for w in ws) and not all(
        w in ("a", "the", "and", "or", "of", "on", "to", "in") for w in ws
    )


def is_nav_menu(line: str) -> bool:
    """A menu bar: three or more short items separated by "|", "•", "·", "/" or ">".

    Items may be abbreviations ("U.S.", "Int'l"), so a full stop ends an item only when
    it closes a word of three or more lower-case letters, as at the end of a sentence.
    """
    items = [x.strip() for x in re.split(r"\s+[|•·/>»›]\s+", line.strip())]
    return (
        len(items) >= 3
        and all(0 < len(x.split()) <= 3 for x in items)
        and not any(re.search(r"[a-z]{3}[.!?…]$|[!?…]$", x) for x in items)
    )


_FONT_WIDGET = re.compile(
    r"^\s*(?:[Aa][+-]?|[+-][Aa]|[Aa]{2,3})(?:\s+(?:[Aa][+-]?|[+-][Aa]|[Aa]{2,3})){1,4}\s*$"
)
"""A text-size widget ("A A", "A+ A-", "A A A", "aA")."""

_COPYRIGHT = re.compile(
    r"^\s*(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b|"
    r"\bmay not be (?:published|reproduced|redistributed)\b",
    re.IGNORECASE,
)
_CREDIT_ROLE = (
    r"(?:(?:additional\s+)?reporting|writing|editing|compiled|translated|produced)\s+by\b"
)
_CREDITS = re.compile(
    # "(Reporting by Jane Doe; Editing by John Smith)" or the same without the brackets
    # when it lists two roles; a sentence that merely starts "Reporting by ..." is prose.
    rf"^\s*(?:[(\[]\s*{_CREDIT_ROLE}[^()\[\]]{{1,300}}[)\]]"
    rf"|{_CREDIT_ROLE}[^;]{{1,80}}(?:;\s*{_CREDIT_ROLE}[^;]{{1,80}})+)\s*\.?\s*$",
    re.IGNORECASE,
)


def is_copyright(line: str) -> bool:
    """A copyright/rights notice ("Copyright © 2014 The Associated Press. All rights reserved.")."""
    return len(line.split()) <= 60 and bool(_COPYRIGHT.search(line))


_CONTRIBUTED = re.compile(
    r"^\s*[(\[]?[^.!?]{1,120}\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|story|"
    r"reporting|article)\b[^.!?]{0,80}[.]?[)\]]?\s*$",
    re.IGNORECASE,
)


def is_credits(line: str) -> bool:
    """A wire-copy credits line: "(Reporting by Jane Doe; Editing by John Smith)", or
    "CNN's Jethro Mullen contributed to this report."."""
    return (bool(_CREDITS.match(line)) or bool(_CONTRIBUTED.match(line))) and len(
        line.split()
    ) <= 50


def is_promo(line: str) -> bool:
    """A promo/teaser header such as "Latest Photo Galleries on xinmsn" or "Related stories"."""
    stripped = _BULLET.sub("", line.strip())
    return (
        len(stripped.split()) <= 8
        and not _SENTENCE_END.search(stripped)
        and bool(_PROMO_LEAD.match(stripped))
    )


def is_bullet(line: str) -> bool:
    """A list item line ("• 938 Live", "- item")."""
    return bool(_BULLET.match(line)) and not _SUBHEADING.match(line)


def is_stray_word(line: str) -> bool:
    """A lone token (a tag, widget label, author handle): no spaces, no sentence end."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= 30
        and len(stripped.split()) == 1
        and not _SENTENCE_END.search(stripped)
        and not stripped.startswith(("#", "http"))
    )


def subheading(line: str) -> str | None:
    """The text of an AFP-style "- Subheading -" line, else None."""
    match = _SUBHEADING.match(line)
    if not match:
        return None
    text = match.group("text").strip()
    if len(text.split()) > 14 or _SENTENCE_END.search(text):
        return None
    return text


def is_caption(line: str) -> bool:
    """A photo caption: a picture description ending in (or carrying) a photo credit."""
    stripped = line.strip()
    if len(stripped) > 600:
        return False
    return any(p.search(stripped) for p in _CAPTION_PATTERNS)


# -- Markdown escaping --------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Applied to the whole text at once (MULTILINE) rather than line by line: a capture with a
# million lines is escaped in C-level regex passes instead of millions of Python calls.
_LINE_START = re.compile(
    r"^([^\S\n]*)(#{1,6}(?=[^\S\n]|$)|>|[-+*](?=[^\S\n]|$)|(\d{1,9})([.)])(?=[^\S\n]|$)"
    r"|=+[^\S\n]*$|(?:-[ \t]*){3,}$|`{3,}|~{3,})",
    re.MULTILINE,
)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    marker = match.group(3) + "\\" + match.group(4) if match.group(3) else "\\" + marker
    return indent + marker


def escape_markdown(text: str) -> str:
    """Escape characters that Markdown would treat as syntax, so text renders as it reads.

    Inline markers (`*`, `_`, backticks, brackets, `<`, `|`, `~`, backslash) are
    backslash-escaped everywhere; block markers (headings, quotes, list markers, rules)
    only at the start of a line; `&` only where it would start an HTML entity.
    The text is sanitised first, so escaping can never split a terminal escape sequence
    ("ESC [" -> "ESC \\[") into a form the sanitiser would no longer recognise whole.
    """
    text = sanitize_text(text)
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return _LINE_START.sub(_escape_line_start, text)
