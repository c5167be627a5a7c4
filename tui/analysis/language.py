"""Language identification (py3langid, restricted to the languages we expect).

Restricting the model to the languages of the desk's sources avoids confusions with
close languages it would otherwise pick for short texts (gl, oc, an for Spanish).
The model is loaded once and only read afterwards, so threads may share it.
"""

from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("es", "en", "pt", "fr", "de", "it", "ca", "nl", "ru", "uk", "zh", "ur", "sk")


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    ident.set_languages(list(SUPPORTED))
    return ident


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text``; ``default`` for text too short to tell.

    The first 1,000 characters decide: a headline and a paragraph are plenty, and the
    cost of the classifier grows with the length of what it reads.
    """
    sample = text[:1000]
    if sum(ch.isalpha() for ch in sample) < 3:
        return default
    lang, _prob = _identifier().classify(sample)
    return str(lang)
