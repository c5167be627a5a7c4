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
    cands: list[Candidate],
    particles: frozenset[str],
    countries: frozenset[str] = frozenset(),
    first_names: frozenset[str] | None = None,
) -> None:
    """Set a shared ``name`` (and kind) on mentions of the same actor, in place.

    ``countries`` are complete names: "Mexico" never stands for "Mexico City".
    Look-ups go through indexes of the long forms, so a long story stays linear.
    """
    persons = [c for c in cands if c.kind == PERSON and len(c.words) > 1 and c.strength >= 1]
    # Longest full names first so that "Rubio" joins "Marco Rubio Jr." not "Rubio Jr.".
    persons.sort(key=lambda c: -len(c.words))
    person_suffix: dict[tuple[str, ...], Candidate] = {}
    person_first: dict[str, Candidate] = {}
    for p in persons:
        plow = tuple(w.casefold() for w in p.words)
        for k in range(1, len(plow)):
            person_suffix.setdefault(plow[-k:], p)
        person_first.setdefault(plow[0], p)

    by_initials: dict[str, Candidate] = {}
    suffixes: dict[tuple[str, tuple[str, ...]], tuple[int, Candidate]] = {}
    prefixes: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    same_prefixes: dict[tuple[str, tuple[str, ...]], tuple[int, Candidate]] = {}
    any_suffixes: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    for pos, c in enumerate(cands):
        if len(c.words) < 2 or c.kind == PERSON:
            continue
        ini = _initials(c.words, particles)
        if len(ini) >= 2:
            by_initials.setdefault(ini, c)
        olow = tuple(w.casefold() for w in c.words)
        if c.strength >= 1:
            for k in range(1, len(olow)):
                any_suffixes.setdefault(olow[-k:], (pos, c))
        if c.strength < 2:
            continue
        for k in range(1, len(olow)):
            suffixes.setdefault((c.kind, olow[-k:]), (pos, c))
            prefixes.setdefault(olow[:k], (pos, c))
            same_prefixes.setdefault((c.kind, olow[:k]), (pos, c))

    for c in cands:
        if c.strength >= 3 and c.kind != PERSON:
            continue
        low = tuple(w.casefold() for w in c.words)
        holder = person_suffix.get(low)
        if holder is None and len(low) == 1 and c.kind == PERSON:
            # "Harry" after "Harry Kane"; not "Kwikset" after "Kwikset Obsidian", a run
            # typed a person by its shape alone.
            first = person_first.get(low[0])
            if first is not None and (
                first.strength >= 2 or first_names is None or low[0] in first_names
            ):
                holder = first
        if holder is not None and holder is not c:
            c.kind, c.name = PERSON, holder.name
            c.strength = max(c.strength, 2)
            continue
        if len(c.words) == 1 and is_acronym(c.words[0]):
            target = by_initials.get(c.words[0].replace(".", "").upper())
            if target is not None:
                c.kind, c.name = target.kind, target.name
                continue
        if c.kind == PERSON and c.strength >= 2:
            continue
        # "Departamento de Estado" … "Departamento"; a weakly typed "Telefónica" after
        # "Telefónica Móviles" takes its kind; a country stays itself.
        options = [suffixes.get((c.kind, low))]
        if c.strength < 2:
            options.append(prefixes.get(low))
        if c.strength == 0:
            # A bare guess takes the kind of the longer name it ends ("Canadiens" after
            # "Montreal Canadiens"), whatever kind the guess was.
            options.append(any_suffixes.get(low))
        elif " ".join(low) not in countries:
            options.append(same_prefixes.get((c.kind, low)))
        found = [o for o in options if o is not None and o[1] is not c]
        if found:
            other = min(found, key=lambda o: o[0])[1]
            c.name, c.kind = other.name, other.kind
    _vote(cands)


def _vote(cands: list[Candidate]) -> None:
    """Mentions with the same name get the kind most strongly supported in the story."""
    votes: dict[str, Counter[str]] = {}
    cued = {c.name for c in cands if c.strength > 0}
    for c in cands:
        # A guess without any cue (strength 0) counts only where no mention has one;
        # each level of evidence weighs four times the one below.
        if c.strength > 0 or c.name not in cued:
            votes.setdefault(c.name, Counter())[c.kind] += 4**c.strength
    for c in cands:
        kinds = votes[c.name]
        if len(kinds) > 1 or (kinds and c.kind not in kinds):
            c.kind = kinds.most_common(1)[0][0]
