"""Bytes to text: byte-order marks, declared charsets, UTF-8 with repairs, legacy encodings."""

from __future__ import annotations

import codecs
import re

from ..errors import DecodeError, UnsupportedInput

__all__ = ["sniff_binary", "decode_bytes"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document (convert it to text or HTML first)"),
    (b"PK\x03\x04", "a zip archive (unpack it first)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"BZh", "a bzip2 archive (unpack it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive (unpack it first)"),
    (b"Rar!\x1a\x07", "a RAR archive (unpack it first)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
# UTF-8 with a handful of bad bytes is still UTF-8; beyond this share it is something else.
_MAX_REPLACED_SHARE = 0.005


def sniff_binary(head: bytes) -> str | None:
    """Name the binary format ``head`` starts with, or None if it may be text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def decode_bytes(data: bytes, input: str, declared: str | None = None) -> tuple[str, str | None]:
    """Decode ``data`` to text; returns (text, note) where note says what was repaired or guessed."""
    what = sniff_binary(data[:16])
    if what:
        raise UnsupportedInput(input, f"binary content: this is {what}, not text")

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(encoding), input), (
                    None if encoding == "utf-8" else f"decoded as {encoding} (byte-order mark)")
            except UnicodeDecodeError as exc:
                raise DecodeError(input, f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}") from None

    if declared:
        try:
            codecs.lookup(declared)
            return _check_text(data.decode(declared), input), (
                None if codecs.lookup(declared).name == "utf-8" else f"decoded as declared {declared}")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection

    try:
        return _check_text(data.decode("utf-8"), input), None
    except UnicodeDecodeError:
        pass
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd")
    # Repair only text that is UTF-8 elsewhere: with no valid multi-byte sequence at all, stray
    # high bytes are a legacy encoding (one cp1252 "é" in ASCII text), not damage.
    if bad <= max(1, len(repaired) * _MAX_REPLACED_SHARE) and _NON_ASCII.search(repaired):
        return _check_text(repaired, input), f"{bad} invalid UTF-8 sequence(s) replaced"

    guess = _guess_encoding(data)
    if guess:
        try:
            return _check_text(data.decode(guess), input), f"decoded as {guess} (detected)"
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return _check_text(data.decode("cp1252"), input), "decoded as cp1252 (fallback)"
    except UnicodeDecodeError:
        return _check_text(data.decode("latin-1"), input), "decoded as latin-1 (fallback)"


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional helper; the fallbacks still decode
        return None
    results = from_bytes(data[:200_000])
    best = results.best()
    if best is None:
        return None
    # Short Western text decodes equally well as cp1250, cp1252 or cp1257 and the detector
    # breaks the tie arbitrarily ("naïve" became "naďve"): prefer the far commoner cp1252.
    for match in results:
        if (match.chaos <= best.chaos and match.coherence >= best.coherence
                and "cp1252" in match.could_be_from_charset):
            return "cp1252"
    return best.encoding


def _check_text(text: str, input: str) -> str:
    if not text:
        return text
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, len(sample) * 0.01):
        raise UnsupportedInput(
            input, f"binary content: {controls} control characters in the first {len(sample)} characters; expected text")
    return text
