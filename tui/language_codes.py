"""Language tags as feeds write them, normalised to ISO 639-1 ("es", "en").

Feeds declare their language in many ways: ``es-MX``, ``es_ES``, ``ES``, the ISO
639-2/3 codes ``spa`` and ``eng``, sometimes the name of the language. The analysis
picks its word lists by the two-letter code, so ``spa`` read as ``sp`` meant
Spanish stories analysed with no Spanish rules at all. This module has no imports
from the rest of the package: feed parsing and the analysis both use it.
"""

from __future__ import annotations

import re

#: ISO 639-2 (bibliographic and terminology) and 639-3 codes of the languages feeds
#: are likely to declare, and a few English and native names of them.
_TO_639_1 = {
    "spa": "es", "esp": "es", "spanish": "es", "español": "es", "espanol": "es",
    "castellano": "es",
    "eng": "en", "english": "en",
    "por": "pt", "portuguese": "pt", "português": "pt", "portugues": "pt",
    "fre": "fr", "fra": "fr", "french": "fr", "français": "fr", "francais": "fr",
    "ger": "de", "deu": "de", "german": "de", "deutsch": "de",
    "ita": "it", "italian": "it", "italiano": "it",
    "cat": "ca", "catalan": "ca", "català": "ca",
    "glg": "gl", "baq": "eu", "eus": "eu",
    "dut": "nl", "nld": "nl", "dutch": "nl", "nederlands": "nl",
    "rus": "ru", "russian": "ru", "ukr": "uk", "ukrainian": "uk",
    "chi": "zh", "zho": "zh", "cmn": "zh", "chinese": "zh",
    "jpn": "ja", "kor": "ko", "ara": "ar", "urd": "ur", "hin": "hi", "ben": "bn",
    "slo": "sk", "slk": "sk", "cze": "cs", "ces": "cs", "pol": "pl", "tur": "tr",
    "swe": "sv", "nor": "no", "nob": "nb", "nno": "nn", "dan": "da", "fin": "fi",
    "gre": "el", "ell": "el", "heb": "he", "per": "fa", "fas": "fa",
    "rum": "ro", "ron": "ro", "hun": "hu", "bul": "bg", "hrv": "hr", "srp": "sr",
    "vie": "vi", "tha": "th", "ind": "id", "may": "ms", "msa": "ms", "tgl": "tl",
    "fil": "tl", "swa": "sw",
}  # fmt: skip
#: Old two-letter codes still found in feeds.
_OLD = {"iw": "he", "in": "id", "ji": "yi"}
_PRIMARY = re.compile(r"[^\W\d_]+")


def iso639_1(value: str) -> str:
    """The ISO 639-1 code of a language tag (``spa``, ``es-MX``, ``es_ES``, ``ES`` →
    ``es``; ``eng``, ``en-US`` → ``en``), or ``""`` when it names no known language."""
    match = _PRIMARY.match(value.strip())
    if match is None:
        return ""
    primary = match.group(0).casefold()
    if len(primary) == 2 and primary.isascii():
        return _OLD.get(primary, primary)
    return _TO_639_1.get(primary, "")
