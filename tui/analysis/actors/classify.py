"""Deciding what a candidate is: person, organisation, place, or not an actor.

Evidence is taken in order of reliability and each decision records a strength,
so that story-level grouping (``aliases``) may overrule weak guesses but not
gazetteer facts:

3. the whole name is a known alias, organisation or place, or the place of a
   dateline ("Lyon (Francia), 23 may");
2. a cue in the name (head "Ministerio", tail "Inc.", a first name, "Río ...") or
   right before it (a title or role: "el presidente Zedillo", "Mr. Smith"; a noun of
   places or organisations: "la isla de Sicilia", "la empresa de telefonía Amena");
1. context guesses (a preposition of place before, a speech verb after, brackets
   after a name, a score or a share price after it; see ``context``) and the shape of
   the name (two or three capitalised words look like a person).

Names listed together then share a kind (``finder``), and the story settles one kind
per actor (``aliases``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.analysis.actors.candidates import Candidate, is_acronym, is_cap
from tui.analysis.actors.context import (
    dateline_end,
    org_noun_before,
    place_context,
    quote_line,
    results_line,
    verb_opener,
)
from tui.analysis.lexicon import Lexicon, name_key

PERSON, ORG, PLACE = "person", "organization", "place"
_WEB = re.compile(r"\.(?:com|net|org|es|mx)$")
#: A capital inside a word after a lower-case letter ("CapitalG", "FRESHeBUDS"),
#: which brands have and names of people do not (save "McDonald", "DeSantis").
_CAMEL = re.compile(r"[a-z]{2,}[A-Z]|[A-Z]{2,}[a-z]+[A-Z]")
#: English contractions: a pronoun and a verb, never a name ("I'm", "We've").


@dataclass(frozen=True, slots=True)
class Story:
    """Facts about the whole story that help decide single mentions.

    ``capitalised``: words written with a capital other than at a sentence start
    (evidence of a name); ``lowercase``: words also written in lower case (evidence
    of a common word); ``sporty``: a sports story, where a city or country next to a
    score or an opponent is a team ("Parma 2 Barcelona 1", "ante el Getafe").
    """

    capitalised: frozenset[str]
    lowercase: frozenset[str]
    sporty: bool


_DIGIT = re.compile(r"\d")
_INITIAL = re.compile(r"^(?:[A-ZÁÉÍÓÚ]\.)+$")
_ROMAN = re.compile(r"^(?=[MDCLXVI])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")


def role_before(words: list[str], first: int, lex: Lexicon) -> tuple[str, bool, int]:
    """Role phrase right before token ``first``: (text, adjacent?, first role token).

    Accepts "<role> [modifiers, particles, Capitalised words]* [,] NAME", e.g.
    "el secretario de Relaciones Exteriores de México, Juan Ramón de la Fuente".
    """
    roles = lex.sets["roles"]
    titles = lex.sets["titles"]
    modifiers = lex.sets["role_modifiers"]
    particles = lex.sets["particles"]
    k = first - 1
    if k >= 0 and words[k] == ",":
        k -= 1
    end = k
    steps = 0
    while k >= 0 and steps < 8:
        w = words[k]
        low = w.lower()
        if low in roles or low in titles:
            # Take in leading role words too ("primer ministro", "vice president").
            while k > 0 and words[k - 1].lower() in roles and words[k - 1].islower():
                k -= 1
            adjacent = end == first - 1 and k == end
            return " ".join(words[k : end + 1]), adjacent or end == k, k
        if not (low in modifiers or w in particles or is_cap(w)):
            break
        k -= 1
        steps += 1
    return "", False, -1


def role_after(words: list[str], last: int, lex: Lexicon) -> str:
    """Role in an apposition after a name: "Marco Rubio, secretario de Estado, dijo"."""
    k = last + 1
    if k >= len(words) or words[k] != ",":
        return ""
    k += 1
    if (
        k < len(words)
        and words[k].lower() in lex.sets["articles"] | lex.sets["indefinite_articles"]
    ):
        k += 1
    if k >= len(words) or words[k].lower() not in lex.sets["roles"]:
        return ""
    start = k
    while k < len(words) and k - start < 8 and words[k] not in _ROLE_END:
        k += 1
    if k < len(words) and words[k] not in _ROLE_END:
        return ""  # too long to be a role
    return " ".join(words[start:k])


_ROLE_END = frozenset({",", ".", ";", ":", ")", '"', "”", "»"})


def classify(
    c: Candidate,
    words: list[str],
    lex: Lexicon,
    story: Story,
) -> bool:
    """Set ``c.kind``/``c.strength``/``c.name``; ``False`` when it is not an actor."""
    doc_caps, sporty = story.capitalised, story.sporty
    key = c.key
    toks = c.words
    low = [w.lower() for w in toks]
    alias = lex.aliases.get(key)
    if alias is not None:
        c.name, c.kind, c.strength = alias[0], alias[1], 3
        return True
    if key in lex.organizations:
        return _set(c, ORG, 3, lex.organizations[key])
    sets = lex.sets
    products = sets["products"]
    if (
        key.casefold() in products
        or low[0] in products
        or (len(low) > 1 and f"{low[0]} {low[1]}" in products)
    ):
        return False  # "iPhone", "Android Auto", "PlayStation 5": things, not actors
    if lex.contraction.search(toks[0]):
        return False  # "I'm", "We've", "You'll": a pronoun and a verb
    if (
        low[0] in sets["event_heads"] and not (len(toks) > 1 and key.split()[0] in lex.first_names)
    ) or (len(low) > 1 and f"{low[0]} {low[1]}" in sets["event_heads"]):
        return False
    if len(toks) == 1 and (low[0].rstrip(".") in sets["not_names"] or low[0] in sets["demonyms"]):
        return False
    if len(toks) == 1 and (len(toks[0]) == 1 or (len(toks[0]) == 2 and toks[0][1] == ".")):
        return False  # a lone letter or initial ("X", "M.")
    if len(toks) == 1 and key not in lex.places:
        if "-" in key and toks[0].rsplit("-", 1)[1][:1].islower():
            return False  # "York-based", "Moscow-backed": adjectives
        if _demonym(key, lex):
            return False  # "Rwandan", "Armenians", "Kuwaiti": adjectives of places
    if _DIGIT.search(key):
        return False  # codes and scores ("M.63", "AUS/N.7")
    if _ROMAN.match(toks[0]) or low[0] in sets["ordinals"]:
        return False  # "III Conferencia Iberoamericana", "Cuarta Reunión": events

    if not c.role:
        c.role, c.role_adjacent, c.role_first = role_before(words, c.first, lex)
    before = c.first - 2 if c.quoted else c.first - 1  # 'el diario "Reforma"'
    prev = words[before].lower() if before >= 0 else ""
    nxt = words[c.last + 1].lower() if c.last + 1 < len(words) else ""
    if prev in sets["thing_nouns"] and not (
        before >= 1 and words[before - 1].lower() in sets["place_of"]
    ):
        # "cyclone Fiona", "el buque Rowan": a named thing, not an actor; but "the
        # maker of drones Skyrix" names the maker.
        return False
    titled = prev in sets["titles"]
    # "presidente de Bancomer": the name completes the role, it is not its holder.
    complement = bool(c.role) and not c.role_adjacent and prev in sets["particles"]
    if complement:
        c.role, c.role_first = "", -1

    if len(toks) > 1 and low[-1] in sets["thing_tails"] and key not in lex.places:
        return False  # "Affordable Care Act", "Labor Code": a law, not an actor
    if 2 <= len(toks) <= 4 and low[-1] in sets["demonyms"] and not sporty:
        return False  # "Virginia Republican", "Sunni Muslim": people described, not named
    if (titled or (c.role_adjacent and c.role)) and not (len(toks) == 1 and is_acronym(toks[0])):
        # People are not acronyms: "another major FDI contributor" holds no rank.
        return _set(c, PERSON, 2, rule="L93")
    if c.last <= dateline_end(words, lex) and not (len(toks) == 1 and is_acronym(toks[0])):
        # "Lyon (Francia), 23 may (EFE)": where the story was filed is a place.
        return _set(c, PLACE, 3, lex.places.get(key, ""), rule="dateline")
    noun = place_context(words, c.first, lex)
    if noun >= 0:
        if words[noun] in sets["facility_nouns"] and len(toks) <= 3:
            # "el estadio Artemio Franchi", "la plaza del Pradillo": the noun is part of
            # the name of a facility (a town or an island keeps its own name).
            c.first = noun
            c.words = words[noun : c.last + 1]
        return _set(c, PLACE, 2, lex.places.get(key, ""), rule="place-context")
    if (
        len(toks) == 1
        and low[0] in sets["surnames"]
        and key not in lex.countries
        and not (key in lex.places and (prev in sets["place_of"] or prev in sets["place_preps"]))
    ):
        return _set(c, PERSON, 2, rule="surname")  # "Rubio", "Suárez": also towns
    if len(toks) == 1 and key.endswith(lex.ends["place_suffixes"]):
        lex_place = True  # "Derbyshire", "Worcestershire"
    else:
        lex_place = key in lex.places
    if lex_place:
        if team_position(c, words, prev, key, lex, sporty):
            return _set(c, ORG, 2, rule="team")
        return _set(c, PLACE, 2, lex.places.get(key, ""), rule="gazetteer")
    if low[-1] in sets["org_tails"] or low[0] in sets["org_heads"]:
        if (
            len(toks) == 1
            and low[0] in sets["generic_heads"]
            and not (prev in sets["articles"] and not c.initial)
        ):
            return False  # "Grupo", "Partido" alone: a common noun ("la Junta" is a body)
        return _set(c, ORG, 2, rule="L97")
    if len(low) > 1 and f"{low[0]} {low[1]}" in sets["org_heads"]:
        return _set(c, ORG, 2, rule="L99")
    if len(toks) > 1 and (low[0] in sets["loc_heads"] or low[-1] in sets["loc_tails"]):
        return _set(c, PLACE, 2, rule="L103")
    if toks[0].casefold() in lex.first_names and not is_acronym(toks[0]):
        return _set(c, PERSON, 2, rule="L105")
    if len(toks) > 1 and toks[1] not in sets["particles"]:
        head = name_key(toks[0])
        if head in lex.organizations and not is_acronym(toks[0]):
            return _set(c, ORG, 2, rule="org-first")  # "Boeing Commercial Airplanes"
    if any(w in sets["org_words"] for w in low):
        return _set(c, ORG, 2, rule="L107")
    if len(toks) > 1 and prev in sets["articles"] and not c.initial:
        return _set(c, ORG, 1, rule="article-before")  # "the White Sox", "el Banco Santander"
    if any(w in sets["surnames"] for w in low):
        return _set(c, PERSON, 2, rule="L109")
    if "nouns_capitalised" in sets["flags"] and not all(is_acronym(w) for w in toks):
        return False  # German: a capital marks any noun; only evidence above counts
    if _aged(c, words):
        return _set(c, PERSON, 1, rule="age")  # "Zarbin, 41, was arrested": an age
    if c.initial and len(toks) == 1 and not _evidence(c, words, doc_caps, lex, sporty):
        return False
    if len(toks) == 1 and (key in story.lowercase or key.endswith(lex.ends["noun_suffixes"])):
        return False  # "Finanzas" when "finanzas" is also in the story; "Promoción"
    if (
        len(toks) == 1
        and (c.initial or prev == ":")
        and verb_opener(toks[0], nxt, lex, story.capitalised)
    ):
        return False  # "…por teléfono: Coinciden en mayor cooperación": a verb, capitalised
    if nxt == ":" and len(toks) == 1 and (c.first == 0 or not words[c.first - 1][:1].isalpha()):
        return False  # a label: "Goles: ...", "Jugadores: ..."
    if prev in sets["org_context"]:
        return _set(c, ORG, 2, rule="L113")
    if org_noun_before(words, c.first, lex):
        return _set(c, ORG, 2, rule="org-noun")  # "la empresa de telefonía móvil Amena"
    if prev in sets["place_of"] and c.first >= 2 and words[c.first - 2].lower() in sets["org_of"]:
        return _set(c, ORG, 1, rule="org-of")  # "los accionistas de Bancomer"
    if quote_line(words, c.last):
        return _set(c, ORG, 1, rule="quote")  # "Jazztel 28,00 - 6,00": a share price
    if prev == "(" and nxt == ")" and c.first >= 2 and is_cap(words[c.first - 2]):
        # "Javier Arenas (PP)", "Saúl Morales (Lares)", "Telecomunicaciones de Sao
        # Paulo (Telesp)": a name in brackets after a name is its party, club or short
        # name (known places were decided above).
        return _set(c, ORG, 1, rule="bracketed")
    if len(toks) == 1 and toks[0].isupper() and len(toks[0]) >= 6 and "-" in (prev, nxt):
        return False  # a shouted section word ("SOCCER - ..."), not an acronym
    if len(toks) > 1 and (_ROMAN.match(toks[-1]) or low[-1] in sets["generations"]):
        return _set(c, PERSON, 2, rule="generation")  # "Theodore Roosevelt IV", "Cal Ripken Jr."
    if len(toks) > 1 and any(is_acronym(w) for w in toks) and not all(w.isupper() for w in toks):
        return _set(c, ORG, 1, rule="acronym-in-name")  # "TAU Vitoria", "UBS Warburg"
    if all(is_acronym(w) for w in toks):
        return _set(c, ORG, 1, rule="L115")
    if complement or _org_context_after(c, words, lex) or _WEB.search(key):
        return _set(c, ORG, 1, rule="org-context")
    if c.role:
        return _set(c, PERSON, 1, rule="L117")
    if prev in sets["articles"]:
        return _set(c, ORG, 1, rule="L119")  # "el PP", "the Fed": people take no article
    if prev in sets["place_preps"] and len(toks) == 1:
        return _set(c, PLACE, 1, rule="L121")
    if nxt in sets["person_verbs"]:
        return _set(c, PERSON, 1, rule="L123")
    if (
        nxt == ","
        and c.first == 0
        and len(words) > c.last + 3
        and words[c.last + 2][:1].isdigit()
        and words[c.last + 3][:1].isalpha()
    ):
        return _set(c, PLACE, 1, rule="dateline")  # "Madrid, 23 may"; not "Lukashenko, 41, won"
    if any(w.casefold().endswith(lex.ends["noun_suffixes"]) for w in toks):
        return False  # "Docencia Universitaria", "Cultura Indígena": common nouns
    if prev in sets["versus"]:
        return _set(c, ORG, 1, rule="versus")  # "Manchester City v Charlton"
    if c.quoted and len(toks) > 1:
        return _set(c, ORG, 0, rule="quoted")  # '"Daily News"': people go unquoted
    if low[0] in sets["articles"] or (len(toks) > 1 and low[0] in sets["foreign_articles"]):
        return _set(c, ORG, 1, rule="article")  # "El Barcelona": people take no article
    if len(toks) > 1 and _INITIAL.match(toks[0]) and not is_acronym(toks[-1]):
        return _set(c, PERSON, 1, rule="initial")  # "P. Simmons", "J. Zanetti"
    # A name and a row of figures is a team's standings ("Puchon 3 1 0 6 1") but, for
    # a full name, a golfer's rounds ("Iain Pyman 71 75 75 71").
    rounds = len(toks) > 1 and c.last + 2 < len(words) and words[c.last + 2].isdigit()
    if low[0] not in sets["sport_words"] and not rounds and results_line(c, words, lex, False):
        return _set(c, ORG, 0, rule="results")  # "Puchon 2 Chonbuk 1"
    if (
        2 <= len(toks) <= 4
        and not sporty
        and toks[1] not in sets["particles"]
        and toks[0].casefold() in lex.countries
        and toks[0].casefold() not in lex.first_names
    ):
        # "Catalunya Caixa", "Bangladesh Lamps", "Dublin Newsroom": a run led by a
        # country or region names a firm or a body, not a person (towns are often
        # surnames too: "Franklin Barrett").
        return _set(c, ORG, 1, rule="place-led")
    if 2 <= len(toks) <= 4 and all(is_cap(w) and not w.isupper() for w in toks):
        if any(_CAMEL.search(w) for w in toks):
            return _set(c, ORG, 0, rule="camel")  # "FRESHeBUDS Pro": a product or a firm
        return _set(c, PERSON, 1, rule="multi-sport" if sporty else "multi")
    if sporty and "sport_default_org" in sets["flags"]:
        return _set(c, ORG, 0, rule="default-sport")  # results tables name teams
    after = words[c.last + 1 : c.last + 3]
    if sporty and len(after) == 2 and all(w[:1].isdigit() for w in after):
        return _set(c, ORG, 0, rule="standings")  # "Chonnam 0 2 1 4": a team's line
    return _set(c, ORG if len(toks) > 1 else PERSON, 0, rule="default")


def team_position(
    c: Candidate, words: list[str], prev: str, key: str, lex: Lexicon, sporty: bool
) -> bool:
    """A place name used as the name of a team or club."""
    if prev in lex.sets["team_articles"] and key not in lex.countries:
        return True  # "el Barcelona", "del Getafe": cities take no article
    if prev in lex.sets["org_context"]:
        return True  # "la selección Colombia", "el club Barcelona"
    team_noun = words[c.first - 2].lower() if c.first >= 2 else ""
    if prev in lex.sets["place_of"] and team_noun in lex.sets["team_nouns"]:
        return True  # "la selección de Brasil", "los sextetos de San Sebastián"
    if key in lex.countries and "country_teams" not in lex.sets["flags"]:
        return False  # English convention: a national side is its country
    if results_line(c, words, lex):
        return True  # "Saracens 25 Leicester 23", "Dundee 3 1 2 0 3", "Kent 108-3"
    if prev in lex.sets["versus"]:
        return True  # a fixture: "May 17 v Northampton"
    if not sporty:
        return False
    n = len(words)
    nxt = words[c.last + 1] if c.last + 1 < n else ""
    after = words[c.last + 2] if c.last + 2 < n else ""
    before = words[c.first - 2] if c.first >= 2 else ""
    if (prev.isdigit() and len(prev) <= 3) or (nxt.isdigit() and len(nxt) <= 3):
        return True  # a score (a four-digit year after a dateline is not)
    if nxt == "-" and (is_cap(after) or after[:1].isdigit()):
        return True  # "Parma - Barcelona"
    if prev == "-" and (is_cap(before) or before[:1].isdigit()):
        return True
    if nxt == ":" and c.first <= 2:
        return True  # a line-up: "Gales : Freestone, ..."
    if prev == "(" and nxt == ")" and is_cap(before):
        # A player's club: "Marcos (Mérida)"; not a town's country "Sao Paulo (Brasil)"
        # nor a currency's "Pesos (Argentina)".
        low = before.lower()
        return low not in lex.places and low not in lex.sets["event_heads"]
    if "city_teams" in lex.sets["flags"] and key not in lex.countries:
        # Where clubs carry their town's name, a town in a sports story is a club,
        # except where the story is placed: "in Leeds", a dateline "LONDON 1996-08-30".
        dateline = (c.first == 0 and nxt == "(") or (
            len(words) <= 10 and any(w.isdigit() and len(w) == 4 for w in words)
        )
        return not dateline and prev not in lex.sets["place_preps"]
    return prev in lex.sets["team_preps"]


def _demonym(key: str, lex: Lexicon) -> bool:
    """A word made of a place name and a demonym ending ("Rwanda" + "n")."""
    for suffix in lex.sets["demonym_suffixes"]:
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            stem = key[: -len(suffix)]
            if stem in lex.countries or stem + "a" in lex.countries or stem in lex.places:
                return True
    return False


def _org_context_after(c: Candidate, words: list[str], lex: Lexicon) -> bool:
    """Words after a name that only an organisation takes: "Pirelli shares", "Ruch said
    it", "Hyundai's chairman"."""
    k = c.last + 1
    if k < len(words) and words[k] in lex.sets["possessive_clitics"]:
        k += 1
    nxt = words[k].lower() if k < len(words) else ""
    if nxt in lex.sets["org_after"]:
        return True
    if nxt in lex.sets["person_verbs"] and k + 1 < len(words):
        return words[k + 1].lower() in lex.sets["org_pronouns"]
    return False


def _evidence(
    c: Candidate, words: list[str], doc_caps: frozenset[str], lex: Lexicon, sporty: bool
) -> bool:
    """Whether a lone sentence-initial word is a name: capitalised elsewhere in the
    story, an acronym, followed by a speech verb ("Aznar dijo", but not "Analysts
    said") or by a relative clause about a person ("Henke, who ...")."""
    word, key = c.words[0], c.key
    if key in doc_caps or is_acronym(word):
        return True
    nxt = words[c.last + 1].lower() if c.last + 1 < len(words) else ""
    subject_like = nxt in lex.sets["person_verbs"] or nxt in lex.sets["subject_followers"]
    if not subject_like and len(nxt) > 3:
        subject_like = nxt.endswith(lex.ends["subject_verb_suffixes"])
    if subject_like:
        return not key.endswith(lex.ends["plural_nouns"])
    if (sporty and nxt[:1].isdigit()) or results_line(c, words, lex) or quote_line(words, c.last):
        return True  # a results line: "Chonnam 0 2 1", "Andersson 1:34"
    after = words[c.last + 2].lower() if c.last + 2 < len(words) else ""
    return nxt == "," and after in lex.sets["person_relatives"]


def _aged(c: Candidate, words: list[str]) -> bool:
    """A name with an age in apposition: "Zarbin, 41, was", "Ximo, de 41 años,"."""
    k = c.last + 1
    if k + 2 >= len(words) or words[k] != ",":
        return False
    age = words[k + 1]
    return age.isdigit() and len(age) <= 2 and words[k + 2] == ","


def _set(c: Candidate, kind: str, strength: int, name: str = "", rule: str = "") -> bool:
    c.kind, c.strength, c.rule = kind, strength, rule
    c.name = name or " ".join(c.words).replace(" ,", ",")
    return True
