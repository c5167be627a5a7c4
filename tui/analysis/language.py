"""Language identification: a fast count of function words, then py3langid.

Most news text declares itself within a sentence or two through its function words
("el", "los", "y" / "the", "of", "and"), so a count of words that belong to only
one of the languages with rules (``data/<lang>/stopwords.txt``) decides at once
when one language clearly wins. Otherwise (short or mixed text, other languages,
Catalan next to Spanish) py3langid decides, restricted to the languages we expect,
which avoids confusions with close languages it would otherwise pick for short texts
(gl, oc, an for Spanish).

The fast path matters for throughput: py3langid walks every byte of its sample
through a large automaton in Python, and its model takes most of a second to load.

Models and word tables are loaded once per process under a lock and only read
afterwards, so threads may share them.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

from tui.analysis.lexicon import words
from tui.language_codes import iso639_1

SUPPORTED = ("es", "en", "pt", "fr", "de", "it", "ca", "nl", "ru", "uk", "zh", "ur", "sk")
#: Languages whose function words the fast path counts (they have rule files).
FAST = ("es", "en", "pt", "fr", "de", "it")
#: Characters the classifier reads: a headline and a paragraph are plenty, and the
#: cost of the classifier grows with the length of what it reads.
SAMPLE = 1000
#: Characters the fast path reads, and the votes it needs to decide alone.
_FAST_SAMPLE = 600
_FAST_MIN_VOTES = 6
_FAST_MARGIN = 4
_FAST_ALONE = 3

_WORD = re.compile(r"[^\W\d_]+")
_LINKS = re.compile(r"\S*[/@]\S*")  # addresses and paths: no language in them
#: Letters of Latin-script languages other than the six (Czech, Slovak, Polish,
#: Hungarian, Romanian, Turkish, Croatian...).
_OTHER_LETTERS = re.compile("[čřěůľĺŕžšťďňąęłśźżőűășțğşđČŘĚŮĽĹŔŽŠŤĎŇĄĘŁŚŹŻŐŰĂȘȚĞŞĐ]")
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)
_LOCK = threading.Lock()
_words: tuple[dict[str, str], frozenset[str]] | None = None
_model: Any = None


def _function_words() -> tuple[dict[str, str], frozenset[str]]:
    """Word → the one language it marks; and words that send a text to the model."""
    global _words
    if _words is None:
        with _LOCK:
            if _words is None:
                owners: dict[str, set[str]] = {}
                for lang in FAST:
                    for word in words(lang, "stopwords"):
                        owners.setdefault(word, set()).add(lang)
                unique = {w: next(iter(o)) for w, o in owners.items() if len(o) == 1}
                others = frozenset(words("common", "other_languages"))
                _words = (unique, others)
    return _words


def _identifier() -> Any:
    """py3langid's model restricted to ``SUPPORTED`` (loaded once, on first need)."""
    global _model
    if _model is None:
        with _LOCK:
            if _model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE)
                ident.set_languages(list(SUPPORTED))
                _model = ident
    return _model


def _fast_guess(sample: str) -> str | None:
    """The language whose function words clearly dominate ``sample``, or ``None``."""
    unique, others = _function_words()
    if _OTHER_LETTERS.search(sample):
        return None  # "č", "ł", "ș"...: a language without rules, for the model
    votes: Counter[str] = Counter()
    for word in _WORD.findall(_LINKS.sub(" ", sample).lower()):
        lang = unique.get(word)
        if lang is not None:
            votes[lang] += 1
        elif word in others or word[0] > "\u024f":
            return None  # a language without rules, or another script: ask the model
    if not votes:
        return None
    (best, count), *rest = votes.most_common()
    runner_up = sum(n for _, n in rest)
    if count >= _FAST_MIN_VOTES and count >= _FAST_MARGIN * runner_up:
        return best
    if count >= _FAST_ALONE and not runner_up:
        return best  # tables and headlines: few function words, all of one language
    return None


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text``; ``default`` for text too short to tell."""
    sample = text[:SAMPLE]
    if _THREE_LETTERS.search(sample) is None:
        return default
    guess = _fast_guess(sample[:_FAST_SAMPLE])
    if guess is not None:
        return guess
    lang, _prob = _identifier().classify(sample)
    return str(lang)


def story_language(text: str, declared: str | None) -> str:
    """The language to analyse ``text`` in: the declared one (normalised: ``spa`` →
    ``es``) unless it is missing, unknown, or the text's function words clearly say
    another language with rules (a Spanish feed that declares ``en``); then the
    detected one."""
    code = iso639_1(declared or "")
    if not code:
        return detect_language(text)
    sample = text[:_FAST_SAMPLE]
    if _THREE_LETTERS.search(sample) is None:
        return code
    guess = _fast_guess(sample)
    if guess is not None and guess != code and (code in FAST or code not in SUPPORTED):
        return guess
    return code
