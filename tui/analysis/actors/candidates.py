"""Candidate names: runs of capitalised words, with the particles that join them.

A candidate is a span of tokens in one sentence that may name an actor. Finding
candidates is purely orthographic (capitals, particles such as "de la" or "of",
"Washington, D.C."); deciding whether and what it is happens in ``classify``.
Sentence openers and roles are trimmed here because they are matters of position:
"Las amenazas" (sentence-initial article), "Secretary of State Colin Powell" (a
title before the name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.analysis.lexicon import Lexicon, name_key

#: Tokens after which a capitalised word is in sentence-initial position.
OPENERS = frozenset({'"', "'", "“", "‘", "«", "¿", "¡", "-", "–", "—", "[", "*", "•"})
_DC = frozenset({"D.C.", "DC", "D.C"})
_QUOTES = {'"': '"', "“": "”", "«": "»", "‘": "’", "'": "'"}


@dataclass(slots=True)
class Candidate:
    """A possible actor: tokens ``first..last`` (inclusive) of sentence ``sentence``."""

    sentence: int
    first: int
    last: int
    words: list[str]
    initial: bool  # opens its sentence (or a quote/headline part)
    quoted: bool = False  # exactly the contents of a pair of quotes ('"Reforma"')
    role: str = ""
    role_adjacent: bool = False  # a role or title right before the name ("secretario Rubio")
    role_first: int = -1  # token where a role phrase before the name starts
    kind: str = ""
    strength: int = 0
    name: str = ""
    rule: str = ""  # which classification rule decided (for error analysis)
    confidence: float = 0.0  # set by ``confidence.assign`` once the story is read

    @property
    def text(self) -> str:
        """The words with single spaces ("Washington, D.C.")."""
        return " ".join(self.words).replace(" ,", ",")

    @property
    def key(self) -> str:
        """Look-up key (case-folded unless an acronym)."""
        return name_key(self.text)


def is_cap(word: str) -> bool:
    """A word that starts with a capital letter (``EE.UU.``, ``McDonald``, ``Ángel``),
    or an Arabic article before one (``al-Aqsa``, ``el-Sisi``)."""
    if word[:1].isupper():  # only letters have case
        return True
    return word[2:3] == "-" and word[:3] in _ARTICLE_PREFIXES and word[3:4].isupper()


_ALPHA = re.compile(r"[^\W\d_]")
_ARTICLE_PREFIXES = frozenset({"al-", "el-", "ad-", "as-", "an-", "ar-", "az-"})


def is_acronym(word: str) -> bool:
    """All-capital word of 2-7 letters, dotted or not (``ONU``, ``EE.UU.``, ``U.S.``)."""
    letters = word.replace(".", "").replace("&", "")
    if "-" in letters or "/" in letters:  # "IU-LV-CA", "PSE/EE"
        parts = letters.replace("/", "-").split("-")
        return all(2 <= len(p) <= 7 and p.isalpha() and p.isupper() for p in parts)
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def shouted(words: list[str]) -> list[bool]:
    """Which words sit in an all-capitals stretch (a headline "PLENO CASARES ELEGIRA
    SU ALCALDE"), where capitals carry no information: runs of three or more
    all-capital words, or a sentence of nothing else."""
    loud = [len(w) > 1 and w.isupper() for w in words]  # isupper needs a cased letter
    out = [False] * len(words)
    if not any(loud):
        return out  # the usual sentence
    alpha = [i for i, w in enumerate(words) if _ALPHA.search(w)]
    if alpha and all(loud[i] for i in alpha):
        return [loud[i] for i in range(len(words))]
    run: list[int] = []
    for i in [*alpha, -1]:
        if i >= 0 and loud[i]:
            run.append(i)
            continue
        if len(run) >= 3:
            for k in run:
                out[k] = True
        run = []
    return out


#: Words a Title-Case line needs before its capitals are read as style, not names.
_TITLE_MIN_WORDS = 3
#: Headlines are short and seldom list things; line-ups and tables are long or do.
_TITLE_MAX_TOKENS = 30
_LIST_MARKS = frozenset({",", ";", "(", ")"})


def title_cased(
    words: list[str], common: frozenset[str], lowercase: frozenset[str], headline: bool = False
) -> list[bool]:
    """Which words carry a capital only because the line is in Title Case ("Funding
    Fight Threatens Plan to Pump Billions Into Affordable Housing"); all ``False``
    for an ordinary sentence.

    A line is in Title Case when nearly all its longer words are capitalised and at
    least one of them is a function word ("Into", "Is") or two are words the story
    writes in lower case elsewhere (or, on a story's first line, small words are
    written in lower case between the capitals), which tells a headline from a
    results line ("Leeds 2 Chelsea 1"); a long line or one with several commas or
    brackets is a list of names, not a headline. Acronyms keep their capitals: they are
    written so in any line.
    """
    out = [False] * len(words)
    if len(words) > _TITLE_MAX_TOKENS or sum(w in _LIST_MARKS for w in words) > 2:
        return out  # a list of names ("César y Rogerio (Salamanca), Alex y Pepín ...")
    longer = [
        i
        for i, w in enumerate(words)
        if i > 0 and len(w) > 3 and _ALPHA.match(w) and not is_acronym(w)
    ]
    if len(longer) < _TITLE_MIN_WORDS:
        return out
    capital = [i for i in longer if words[i][:1].isupper()]
    if len(capital) * 10 < len(longer) * 9:
        return out
    # A capitalised function word ("Into", "Is", "Del") is proof; words the story
    # writes in lower case elsewhere ("Plan" … "the plan") count half.
    evidence = sum(
        2 if key in common else 1
        for i in range(1, len(words))
        if words[i][:1].isupper()
        and ((key := words[i].casefold()) in common or (len(key) > 3 and key in lowercase))
    )
    # A story's first line (its headline) needs no more than capitals throughout and
    # small words in lower case between them ("Mayor Wins Vote to Lead the Board").
    small = (
        headline
        and len(capital) == len(longer)
        and (len(longer) >= 4 or any(w.islower() for w in words))
        and "," not in words  # "Fixtures: May 17 v Northampton, Manchester City v ..."
        and sum(w[:1].isdigit() for w in words) < 2
    )
    if evidence < 2 and not small:
        return out
    for i, w in enumerate(words):
        if w[:1].isupper() and not is_acronym(w) and not w.isupper():
            out[i] = True
    return out


def find_candidates(index: int, words: list[str], lex: Lexicon) -> list[Candidate]:
    """Runs of capitalised words in one sentence, openers and roles trimmed."""
    particles = lex.sets["particles"]
    joiners = lex.sets["joiners"]
    org_heads = lex.sets["org_heads"]
    org_tails = lex.sets["org_tails"]
    weak = lex.sets["weak_particles"]
    org_preps = lex.sets["org_preps"]
    heads = lex.sets["head_nouns"]
    out: list[Candidate] = []
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        if not is_cap(w):
            i += 1
            continue
        j = i + 1
        while j < n:
            w2 = words[j]
            if is_cap(w2):
                j += 1
                continue
            k = j
            while k < n and k - j < 2 and words[k] in particles:
                k += 1
            # "of" joins "Bank of England", not "John Casesa of Schroder Wertheim".
            if (
                k > j
                and k < n
                and is_cap(words[k])
                and (w2 not in weak or words[j - 1].lower() in heads)
            ):
                j = k + 1
                continue
            if w2 in org_preps and _org_headed(words, i, j, org_heads, lex):
                # "Consejo por la Paz", "Asociación para el Desarrollo Rural"
                k = j + 1
                while k < n and k - j < 3 and words[k] in particles:
                    k += 1
                if k < n and is_cap(words[k]) and words[k].lower() not in lex.sets["not_names"]:
                    j = k + 1
                    continue
            if (
                w2 in joiners
                and j + 1 < n
                and is_cap(words[j + 1])
                # "Grovemark Ltd. and Halvern Inc." are two firms, each complete
                and words[j - 1].lower() not in org_tails
                and (
                    w2 == "&"
                    or _org_headed(words, i, j, org_heads, lex) != _org_tailed(words, j + 1, lex)
                )
            ):
                # "Ministerio de Trabajo y Asuntos Sociales", "Brown and Williamson Corp";
                # but "el Club Atlético X y Construcciones Y S.A." are two.
                j += 2
                continue
            if w2 == "," and j + 1 < n and words[j + 1] in _DC:
                j += 2
                continue
            break
        initial = (
            i == 0
            or words[i - 1] in OPENERS
            # "Comentario: El Barcelona se proclamó…": a function word after a colon
            or (words[i - 1] == ":" and w.lower() in lex.sets["not_names"])
        )
        quoted = i > 0 and j < n and _QUOTES.get(words[i - 1]) == words[j]
        if quoted and w.lower() not in lex.sets["not_names"]:
            initial = False  # a quoted name or nickname ('"Antoñete"'), not a quote's opener
        out.append(Candidate(index, i, j - 1, words[i:j], initial, quoted))
        i = j
    return out


def _org_headed(words: list[str], i: int, j: int, org_heads: frozenset[str], lex: Lexicon) -> bool:
    """Whether the run ``words[i:j]`` opens with an organisation head (after an article)."""
    if words[i].lower() in lex.sets["not_names"] and i + 1 < j:
        i += 1
    return words[i].lower() in org_heads


def _first_name_then_name(words: list[str], k: int, lex: Lexicon) -> bool:
    """ "Julio Rivera", "Domingo Siro": a word that is also a first name, before a name."""
    return words[k].casefold() in lex.first_names and k + 1 < len(words) and is_cap(words[k + 1])


def _compound_adjective(word: str) -> bool:
    """ "Boston-based", "Communist-led": a compound adjective, never part of a name."""
    return "-" in word and word.rsplit("-", 1)[1][:1].islower()


def _org_tailed(words: list[str], k: int, lex: Lexicon) -> bool:
    """Whether the capitalised run starting at ``k`` ends in an organisation tail
    ("... and Space Company", "... y Asociados S.A.")."""
    while k + 1 < len(words) and is_cap(words[k + 1]):
        k += 1
    return words[k].lower() in lex.sets["org_tails"]


def known(key: str, lex: Lexicon) -> bool:
    """Whether a case-folded name is in a gazetteer, alias or organisation list."""
    return key in lex.aliases or key in lex.organizations or key in lex.places


def trim(c: Candidate, lex: Lexicon) -> Candidate | None:
    """Drop leading common words and role words; ``None`` when nothing is left."""
    not_names = lex.sets["not_names"]
    demonyms = lex.sets["demonyms"]
    particles = lex.sets["particles"]
    if known(c.key, lex):
        return c
    if c.quoted and len(c.words) > 1 and c.words[0].lower() in lex.sets["articles"]:
        return c  # a quoted title keeps its article: '"El Brezo"', '"O Globo"'
    # Leading common words: "Las amenazas", "The U.S.", "However", "Ambos secretarios".
    cut = 0
    if len(c.words) > 1 and c.words[0].lower() in particles and not c.words[0].isupper():
        rest = name_key(" ".join(c.words[1:]))
        if c.words[0].lower() not in lex.sets["articles"] and not known(rest, lex):
            cut = -1  # "De la Fuente", "Van Gogh": a surname particle, kept
    if (
        cut == 0
        and not c.initial
        and len(c.words) > 1
        and c.words[0].lower() in lex.sets["articles"]
    ):
        cut = -1  # "en La Coruña", "el diario El País": a capital article inside a sentence
    while (
        cut >= 0
        and cut < len(c.words)
        and (
            (c.words[cut].lower() in not_names and not _first_name_then_name(c.words, cut, lex))
            or (c.words[cut].lower() in demonyms and c.words[cut].casefold() not in lex.first_names)
            or (cut > 0 and c.words[cut] in particles)
            or _compound_adjective(c.words[cut])
        )
    ):
        cut += 1
    cut = max(cut, 0)
    if (
        cut
        and (low_last := c.words[-1].lower())
        and (low_last in lex.sets["org_tails"] or low_last in lex.sets["loc_tails"])
        and not known(name_key(" ".join(c.words[cut:])), lex)
    ):
        # "Federal Open Market Committee", "Conservative Party": adjectives belong to the
        # name; only articles and short function words ("The", "But") are dropped.
        cut = 0
        while cut < len(c.words) - 1 and (
            c.words[cut].lower() in lex.sets["articles"]
            or (len(c.words[cut]) <= 4 and c.words[cut].lower() in not_names)
            or _compound_adjective(c.words[cut])
            # "Yesterday Grovemark Ltd.": a sentence opener before a firm
            or (cut == 0 and c.initial and c.words[0].lower() in lex.sets["temporal"])
        ):
            cut += 1
    if cut:
        if cut >= len(c.words):
            return None
        c.first += cut
        c.words = c.words[cut:]
        c.initial = False
        if known(c.key, lex):
            return c
    # Trailing particles can only come from a trimmed run; drop them.
    while c.words and (c.words[-1] in particles or c.words[-1].lower() in not_names):
        c.words.pop()
        c.last -= 1
    if not c.words:
        return None
    return _strip_role(c, lex)


def _strip_role(c: Candidate, lex: Lexicon) -> Candidate | None:
    """'President Bill Clinton' → 'Bill Clinton' with role 'President'."""
    roles = lex.sets["roles"]
    titles = lex.sets["titles"]
    modifiers = lex.sets["role_modifiers"]
    org_tails = lex.sets["org_tails"]
    words = c.words
    low0 = words[0].lower()
    if low0 not in roles and low0 not in titles:
        return c
    if words[-1].lower() in org_tails:
        return c  # "General Motors"
    k = 1
    while k < len(words) and (words[k].lower() in roles or words[k].lower() in modifiers):
        k += 1
    if k > 1 and words[k - 1].lower() in modifiers and k < len(words) and words[k - 1].islower():
        k += 1  # "Secretary of State", "Ministro de Defensa"
    while k < len(words) and words[k].islower():
        k += 1
    if k >= len(words):
        return None  # a role alone ("Secretario de Estado", "President")
    c.role = " ".join(words[:k])
    c.role_adjacent = True
    c.first += k
    c.words = words[k:]
    c.initial = False
    return c
