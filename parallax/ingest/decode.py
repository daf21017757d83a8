"""Bytes to text: BOMs, UTF-8, UTF-16 without BOM, legacy encodings, binary detection.

Order matters: a BOM is authoritative; strict UTF-8 is tried next because a legacy detector
can mislabel short UTF-8 text; mostly-valid UTF-8 with a few bad bytes stays UTF-8 (with
replacement characters and a warning) because a mixed-encoding page is usually UTF-8 with a
pasted fragment; only then is charset-normalizer asked to guess a legacy encoding.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryInputError(ValueError):
    """The bytes are not text (an image, archive, executable or NUL-heavy data)."""


@dataclass(slots=True)
class Decoded:
    """Decoded text plus how it was decoded and anything the user should know."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _binary_kind(data: bytes, *, strict: bool) -> str | None:
    """Why `data` looks binary, or None if it may be text.

    With `strict` (the bytes are not valid UTF-8) a file magic number or many control
    bytes are enough; otherwise only a high share of NULs marks valid UTF-8 as binary,
    so a text file carrying a few hostile NULs still imports (sanitised).
    """
    if strict:
        for magic, kind in _MAGIC:
            if data.startswith(magic):
                return kind
    sample = data[:8192]
    if not sample:
        return None
    nuls = sample.count(b"\x00")
    if nuls / len(sample) > 0.05:
        return "binary data (it is full of NUL bytes)"
    if strict:
        controls = sum(1 for b in sample if b < 9 or (13 < b < 32 and b != 27))
        if controls / len(sample) > 0.10:
            return "binary data (mostly control bytes)"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 LE/BE from a regular pattern of NULs (ASCII-heavy UTF-16 text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _count_replacements(data: bytes, encoding: str) -> tuple[str, int]:
    text = data.decode(encoding, errors="replace")
    return text, text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")


def decode_bytes(data: bytes, *, name: str = "<input>") -> Decoded:
    """Decode `data` to text, raising `BinaryInputError` for non-text.

    Args:
        data: the file's bytes.
        name: shown in warnings so a user knows which file was affected.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text, bad = _count_replacements(body, encoding)
            warnings = []
            if bad:
                warnings.append(
                    f"{name}: {bad} undecodable byte(s) in {encoding} replaced with U+FFFD"
                )
            return Decoded(text, encoding, warnings)
    utf16 = _utf16_without_bom(data)
    if utf16:
        text, bad = _count_replacements(data, utf16)
        warnings = [f"{name}: {bad} undecodable byte(s) replaced with U+FFFD"] if bad else []
        return Decoded(text, utf16, warnings)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        kind = _binary_kind(data, strict=False)
        if kind:
            raise BinaryInputError(kind)
        return Decoded(text, "utf-8")
    kind = _binary_kind(data, strict=True)
    if kind:
        raise BinaryInputError(kind)
    text, bad = _count_replacements(data, "utf-8")
    valid_multibyte = sum(1 for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    # Legacy single-byte text has no valid UTF-8 sequences; legacy double-byte text (EUC-KR,
    # Shift-JIS) forms some by accident but far more invalid ones. Mostly-valid UTF-8 with a
    # pasted fragment in another encoding keeps its UTF-8 and loses only the bad bytes.
    if valid_multibyte and bad <= valid_multibyte + 4:
        return Decoded(
            text,
            "utf-8",
            [f"{name}: {bad} undecodable byte(s) replaced with U+FFFD (mixed encodings?)"],
        )
    guess = _western_single_byte(data) or _detect_legacy(data)
    if guess:
        text, bad = _count_replacements(data, guess)
        warnings = [f"{name}: decoded as {guess} (detected)"]
        if bad:
            warnings.append(f"{name}: {bad} undecodable byte(s) replaced with U+FFFD")
        return Decoded(text, guess, warnings)
    return Decoded(
        text, "utf-8", [f"{name}: unknown encoding; {bad} undecodable byte(s) replaced with U+FFFD"]
    )


def _western_single_byte(data: bytes) -> str | None:
    """ "cp1252" when the non-ASCII bytes sit alone between ASCII letters (é, ï, €, “).

    Detectors often mislabel short Western European text (cp1257, cp1250...); in such text
    accented letters come one at a time, while CJK and Cyrillic legacy encodings produce long
    runs of high bytes, so runs of length one are a reliable, cheap signal.
    """
    runs = re.findall(rb"[\x80-\xff]+", data[:262_144])
    if not runs or sum(1 for r in runs if len(r) == 1) < 0.8 * len(runs):
        return None
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "cp1252"


def _detect_legacy(data: bytes) -> str | None:
    """Ask charset-normalizer for the most plausible legacy encoding of `data`."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    try:
        best = from_bytes(data[:262_144]).best()
    except Exception:  # the detector must never take the import down
        return None
    if best is None:
        return None
    try:
        codecs.lookup(best.encoding)
    except LookupError:
        return None
    return str(best.encoding)
