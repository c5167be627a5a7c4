"""Story-level grouping: one ``name`` per actor, and one kind per name.

Within a story a person is introduced in full and then named by surname
("Marco Rubio" … "Rubio", "Juan Ramón de la Fuente" … "De la Fuente"), an
organisation by its acronym ("Organización de las Naciones Unidas" … "ONU"), and a
shorter form of an organisation or place stands for the long one. Grouping also
fixes kinds: a lone "Rubio" is the person of the story even if a gazetteer knows a
town of that name.
"""

from __future__ import annotations

from collections import Counter

from tui.analysis.actors.candidates import Candidate, is_acronym
from tui.analysis.actors.classify import PERSON


def _initials(words: list[str], particles: frozenset[str]) -> str:
    return "".join(w[0] for w in words if w not in particles and w[:1].isupper()).upper()


def group(
    cands: list[Candidate], particles: frozenset[str], countries: frozenset[str] = frozenset()
) -> None:
    """Set a shared ``name`` (and kind) on mentions of the same actor, in place.

    ``countries`` are complete names: "Mexico" never stands for "Mexico City".
    """
    persons = [c for c in cands if c.kind == PERSON and len(c.words) > 1 and c.strength >= 1]
    # Longest full names first so that "Rubio" joins "Marco Rubio Jr." not "Rubio Jr.".
    persons.sort(key=lambda c: -len(c.words))
    long_forms = [c for c in cands if len(c.words) > 1]
    by_initials: dict[str, Candidate] = {}
    for c in long_forms:
        if c.kind != PERSON:
            ini = _initials(c.words, particles)
            if len(ini) >= 2:
                by_initials.setdefault(ini, c)
    for c in cands:
        if c.strength >= 3 and c.kind != PERSON:
            continue
        low = [w.casefold() for w in c.words]
        n = len(low)
        for p in persons:
            if p is c or len(p.words) <= n:
                continue
            plow = [w.casefold() for w in p.words]
            if plow[-n:] == low or (n == 1 and low[0] == plow[0] and c.kind == PERSON):
                c.kind, c.name = PERSON, p.name
                c.strength = max(c.strength, 2)
                if not c.role and p.role and plow[-n:] == low:
                    pass
                break
        else:
            if len(c.words) == 1 and is_acronym(c.words[0]):
                target = by_initials.get(c.words[0].replace(".", "").upper())
                if target is not None:
                    c.kind, c.name = target.kind, target.name
                    continue
            if c.kind != PERSON or c.strength < 2:
                for other in long_forms:
                    if other is c or other.kind == PERSON or len(other.words) <= n:
                        continue
                    if c.strength >= 3 or other.strength < 2:
                        continue
                    olow = [w.casefold() for w in other.words]
                    same_kind = other.kind == c.kind
                    prefix = olow[:n] == low and (
                        c.strength < 2 or (same_kind and " ".join(low) not in countries)
                    )
                    if (same_kind and olow[-n:] == low) or prefix:
                        # "Departamento de Estado" … "Departamento"; a weakly typed
                        # "Telefónica" after "Telefónica Móviles" takes its kind.
                        c.name, c.kind = other.name, other.kind
                        break
    _vote(cands)


def _vote(cands: list[Candidate]) -> None:
    """Mentions with the same name get the kind most strongly supported in the story."""
    votes: dict[str, Counter[str]] = {}
    for c in cands:
        votes.setdefault(c.name, Counter())[c.kind] += 1 + 2 * c.strength
    for c in cands:
        kinds = votes[c.name]
        if len(kinds) > 1:
            c.kind = kinds.most_common(1)[0][0]
