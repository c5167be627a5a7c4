"""Decode bytes from files and feeds: BOM, then declared charset, then detection.

Spanish text in Latin-1 or Windows-1252 must read correctly rather than as
mojibake, and binary files must be refused rather than imported as noise.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED_RE = re.compile(
    rb"""(?:<\?xml[^>]*encoding=["']([\w.:-]+)["']|<meta[^>]*charset=["']?([\w.:-]+))""",
    re.IGNORECASE,
)


class BinaryContentError(ValueError):
    """The bytes are not text in any encoding we can tell."""


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text of ``data``: BOM wins, then a declared charset, then UTF-8, then detection."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    if looks_binary(data):
        raise BinaryContentError("binary content, not text")
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    match = _DECLARED_RE.search(data[:2048])
    if match:
        candidates.append((match.group(1) or match.group(2)).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryContentError("binary content, not text")
    return str(best)


def looks_binary(data: bytes) -> bool:
    """Bytes that are not text: control bytes, or NULs that are not UTF-16/32.

    Judged on the first 4 KiB (after a BOM, anything goes: it says it is text).
    """
    sample = data[:4096]
    if any(sample.startswith(bom) for bom, _name in _BOMS):
        return False
    text_bytes = sample.replace(b"\x00", b"")
    controls = sum(1 for b in text_bytes if b < 9 or (13 < b < 32 and b != 27))
    if text_bytes and controls > len(text_bytes) // 10:
        return True  # text has almost no control bytes; images and archives are full of them
    if b"\x00" not in sample:
        return False
    return not _looks_utf16(sample)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4
