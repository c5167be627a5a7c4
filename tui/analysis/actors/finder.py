"""The actors step of ``analyze``: from a segmented document to Actor mentions."""

from __future__ import annotations

from collections import Counter

from tui.analysis.actors import confidence
from tui.analysis.actors.aliases import group
from tui.analysis.actors.candidates import (
    Candidate,
    find_candidates,
    is_cap,
    known,
    shouted,
    title_cased,
    trim,
)
from tui.analysis.actors.classify import PERSON, PLACE, Story, classify, role_after, team_position
from tui.analysis.document import Document, Token
from tui.analysis.lexicon import Lexicon, load_lexicon, name_key
from tui.analysis.model import Actor, ActorKind

_MAX_PIECE = 4
_DC = frozenset({"D.C.", "DC", "D.C"})


def find_actors(doc: Document) -> list[Actor]:
    """Actor mentions in text order, non-overlapping, grouped by ``name``."""
    out: list[Actor] = []
    quotes_kept = "quotes_in_names" in load_lexicon(doc.language).sets["flags"]
    for c in typed_candidates(doc):
        tokens = doc.sentences[c.sentence].tokens
        start, end = tokens[c.first].start, tokens[c.last].end
        last = tokens[c.last].text
        if c.last == len(tokens) - 1 and last.endswith(".") and "." not in last[:-1]:
            end -= 1  # "... Acme Inc." at a sentence end: the stop ends the sentence
        elif quotes_kept and _quoted(tokens, c.first, c.last):
            # Where the news style quotes names (Spanish: el diario "Reforma", Antonio
            # Chenel "Antoñete"), the mention keeps its quotes, which delimit the name.
            start, end = tokens[c.first - 1].start, tokens[c.last + 1].end
        kind: ActorKind = c.kind  # type: ignore[assignment]
        out.append(
            Actor(start, end, doc.text[start:end], kind, c.name, c.role, round(c.confidence, 2))
        )
    return out


_QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "‘": "’", "'": "'"}


def _quoted(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """Whether tokens ``first..last`` are exactly the contents of a pair of quotes
    written tight against them ("Reforma" inside «"Reforma"»)."""
    if first == 0 or last + 1 >= len(tokens):
        return False
    before, after = tokens[first - 1], tokens[last + 1]
    return (
        _QUOTE_PAIRS.get(before.text) == after.text
        and before.end == tokens[first].start
        and after.start == tokens[last].end
    )


def typed_candidates(doc: Document) -> list[Candidate]:
    """The typed, grouped candidates behind ``find_actors`` (kept for error analysis)."""
    lex = load_lexicon(doc.language)
    sentences = [[t.text for t in s.tokens] for s in doc.sentences]
    loud = [shouted(words) for words in sentences]
    # Title-Case lines (headlines, feed titles) are read like shouted ones: their
    # capitals are style, so only names known from elsewhere count there.
    written_low = frozenset(w for words in sentences for w in words if w[:1].islower())
    common = lex.sets["function_words"]
    titled = [False] * len(sentences)
    for index, words in enumerate(sentences):
        if not any(loud[index]):
            flags = title_cased(words, common, written_low, headline=index == 0)
            if any(flags):
                loud[index], titled[index] = flags, True
    quiet = [
        [w.lower() if flag else w for w, flag in zip(words, flags, strict=True)]
        for words, flags in zip(sentences, loud, strict=True)
    ]
    for sentence, words in zip(doc.sentences, quiet, strict=True):
        _quiet_units(doc.text, sentence.tokens, words)
    sport = lex.sets["sport_words"]
    story = Story(
        capitalised=_capitalised_inside(quiet),
        # Words lowered here because they sat in a shouted headline are no evidence of a
        # common word ("AMENA RETIRA SU DENUNCIA" does not make "Amena" a noun).
        lowercase=frozenset(
            w
            for words, flags in zip(quiet, loud, strict=True)
            for w, flag in zip(words, flags, strict=True)
            if w[:1].islower() and not flag
        ),
        sporty=len({w for words in quiet for w in words if w.lower() in sport}) >= 2,
    )
    found: list[Candidate] = []
    for index, words in enumerate(quiet):
        found.extend(_sentence_actors(index, words, lex, story))
    names = {c.key: c for c in found}
    for index, words in enumerate(sentences):
        if any(loud[index]):
            pieces = _shouted_names(index, words, loud[index], found, lex, names, titled[index])
            for c in pieces:
                if titled[index]:
                    _weaken_headline_town(c, words, lex)
                if c.kind == PLACE and c.key.casefold() not in lex.countries:
                    prev = words[c.first - 1].lower() if c.first else ""
                    if team_position(c, words, prev, c.key.casefold(), lex, story.sporty):
                        c.kind = "organization"  # a standings line: "NEW YORK 75 56 .573"
                found.append(c)
    found.sort(key=lambda c: (c.sentence, c.first))
    group(found, lex.sets["particles"], lex.countries, lex.first_names)
    if story.sporty:
        _teams_throughout(found, quiet, lex)
    confidence.assign(found, quiet, lex, story)
    return found


def _weaken_headline_town(c: Candidate, words: list[str], lex: Lexicon) -> None:
    """A lone town from the gazetteer in a Title-Case line that the body does not name
    is weak: many towns are also words ("Deal Maker for ...", "Bath", "Reading").
    A preposition of place before it ("Protests in Khartoum") confirms it."""
    if c.kind != PLACE or c.rule or len(c.words) > 1 or c.key.casefold() in lex.countries:
        return
    prev = words[c.first - 1].lower() if c.first else ""
    if prev not in lex.sets["place_preps"]:
        c.strength, c.rule = 1, "headline-town"


def _teams_throughout(found: list[Candidate], sentences: list[list[str]], lex: Lexicon) -> None:
    """In a sports story, a town or country that plays somewhere in it ("la selección
    de Brasil goleó") is the team wherever the gazetteer alone called it a place
    ("En la reanudación, Brasil incrementó su acoso"), except after a preposition of
    place ("en Brasil")."""
    teams = {c.name for c in found if c.rule == "team"}
    if not teams:
        return
    for c in found:
        if c.name in teams and c.rule in {"gazetteer", "team"} and c.kind == PLACE:
            prev = sentences[c.sentence][c.first - 1].lower() if c.first else ""
            if prev not in lex.sets["place_preps"]:
                c.kind, c.rule = "organization", "team+story"


def _shouted_names(
    index: int,
    words: list[str],
    loud: list[bool],
    found: list[Candidate],
    lex: Lexicon,
    names: dict[str, Candidate],
    titled: bool = False,
) -> list[Candidate]:
    """Known names (gazetteers, names found elsewhere in the story) in all-capitals runs
    and Title-Case lines; in a Title-Case line also a known first name and the
    capitalised word after it ("Billy Porter Takes Credit")."""
    out: list[Candidate] = []
    particles = lex.sets["particles"]
    i = 0
    while i < len(words):
        if not loud[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and (
            loud[j + 1]
            or words[j + 1] == ","
            or words[j + 1] in _DC
            or (titled and words[j + 1] in particles and j + 2 < len(words) and loud[j + 2])
        ):
            j += 1
        while words[j] in particles or words[j] == ",":
            j -= 1
        for c in _known_pieces(index, words, i, j, lex, names, titled):
            head = words[c.first - 1].lower().rstrip(".") if c.first > i else ""
            if head in lex.sets["org_heads"] and c.kind != "person":
                # "FC BARCELONA", "BANCO SANTANDER": a club or firm named after a place
                c.first -= 1
                c.kind = "organization"
                c.name = " ".join(words[c.first : c.last + 1])
            c.words = words[c.first : c.last + 1]
            out.append(c)
        i = j + 1
    return out


_CURRENCY = frozenset("$€£¥")


def _quiet_units(text: str, tokens: tuple[Token, ...], words: list[str]) -> None:
    """Lower-case units and currency prefixes glued to numbers or symbols ("60GB",
    "US$40", "R$"), which are not names, in place."""
    for i, tok in enumerate(tokens):
        glued_digit = tok.start > 0 and text[tok.start - 1].isdigit()
        glued_money = (
            i + 1 < len(tokens)
            and tokens[i + 1].start == tok.end
            and (tokens[i + 1].text in _CURRENCY)
        )
        if glued_digit or glued_money:
            words[i] = words[i].lower()


def _capitalised_inside(sentences: list[list[str]]) -> frozenset[str]:
    """Words capitalised somewhere other than a sentence start: evidence of names."""
    seen: set[str] = set()
    for words in sentences:
        for i in range(1, len(words)):
            w = words[i]
            if is_cap(w) and words[i - 1] not in {'"', "“", "«", ":", "-", "(", "—"}:
                seen.add(w.casefold())
    return frozenset(seen)


def _sentence_actors(index: int, words: list[str], lex: Lexicon, story: Story) -> list[Candidate]:
    kept: list[Candidate] = []
    queue = find_candidates(index, words, lex)
    n = 0
    while n < len(queue):
        raw = queue[n]
        n += 1
        c = trim(raw, lex)
        if c is None:
            continue
        rest = (
            _split_byline(c, words, lex)
            or _split_after_place(c, lex)
            or _split_glued(c, lex)
            or _split_inner_role(c, lex)
        )
        if rest is not None:
            queue.append(rest)
        if c.initial and len(c.words) > 1 and _looks_like_verb(c.words[0], lex, story.capitalised):
            c.first += 1
            c.words = c.words[1:]
            c.initial = False
        if not classify(c, words, lex, story):
            continue
        if c.role_first >= 0 and c.kind == "person":
            # Names inside a role phrase belong to the role ("secretario de Estado",
            # "ministro de Asuntos Exteriores"), except the places in it ("... de México").
            heads = lex.sets["org_heads"]
            inside = [
                k
                for k in kept
                if k.first >= c.role_first
                and (
                    k.strength < 2
                    or (
                        k.strength < 3
                        and len(k.words) == 1
                        and k.words[0].lower() in heads
                        and words[k.first - 1].lower() not in lex.sets["articles"]
                    )
                )
            ]
            for k in inside:
                kept.remove(k)
                kept.extend(_known_pieces(index, words, k.first, k.last, lex, {}))
        if c.kind != "person":
            c.role = ""
        elif not c.role:
            c.role = role_after(words, c.last, lex)
        kept.append(c)
    kept.sort(key=lambda c: c.first)
    _coordinate(kept, words, lex)
    return kept


#: Rules that decide from the shape of a name alone, with no cue in or around it.
_CUELESS = frozenset({"default", "multi", "multi-sport", "quoted"})
_WEAK_LENDERS = frozenset({"gazetteer", "surname"})
#: Marks that list names (the words, "o", "or"..., are ``list_words`` in the data).
_LIST_MARKS = frozenset({",", ";"})


def _coordinate(kept: list[Candidate], words: list[str], lex: Lexicon) -> None:
    """Names listed together are of one kind: in "Deutsche Bank, Goldman Sachs, Ing
    Barings y Merril Lynch" the names typed by a cue lend their kind to the ones
    typed by shape alone. In place; only cue-less kinds change."""
    joiners = lex.sets["joiners"]
    lists = lex.sets["list_words"]
    start = 0
    for end in range(1, len(kept) + 1):
        if end < len(kept):
            gap = words[kept[end - 1].last + 1 : kept[end].first]
            if len(gap) == 1 and (gap[0] in _LIST_MARKS or gap[0] in lists or gap[0] in joiners):
                continue
            if len(gap) == 2 and gap[0] == "," and gap[1] in joiners:
                continue
        run = kept[start:end]
        start = end
        if len(run) < 2:
            continue
        if len(run) == 2 and words[run[0].last + 1] in {",", ";"}:
            continue  # "El Ararteko, Xabier Markiegi, ...": an apposition, not a list
        _towns_among_people(run, lex)
        # Town names double as surnames and clubs; only other cues lend a kind.
        cued = Counter(
            c.kind for c in run if c.rule not in _CUELESS and c.rule not in _WEAK_LENDERS
        )
        if not cued:
            continue
        kind, votes = cued.most_common(1)[0]
        if votes * 2 <= sum(cued.values()):
            continue  # the cued names disagree
        for c in run:
            if c.rule in _CUELESS and c.kind != kind:
                c.kind = kind
                c.rule += "+list"


def _towns_among_people(run: list[Candidate], lex: Lexicon) -> None:
    """In a list of people ("Page, Melville, Delaney, Matthew Jones") a lone town
    name is a surname: at least two other members are people, one of them by a cue,
    and no other member is a place or an organisation."""
    towns = [c for c in run if c.rule == "gazetteer" and c.key.casefold() not in lex.countries]
    if len(towns) != 1 or len(run) < 3:
        return
    others = [c for c in run if c is not towns[0]]
    if all(c.kind == PERSON for c in others) and any(c.rule not in _CUELESS for c in others):
        towns[0].kind, towns[0].rule = PERSON, "gazetteer+list"


def _split_byline(c: Candidate, words: list[str], lex: Lexicon) -> Candidate | None:
    """Cut a byline from its dateline: "Por Juan Miguel Núñez Madrid, 23 may (EFE)"
    is a reporter and the place the story was filed from; ``c`` keeps the reporter."""
    k = c.last + 1
    if c.first > 1 or len(c.words) < 3 or k + 2 >= len(words):
        return None
    if words[k] != "," or not words[k + 1].isdigit() or not words[k + 2][:1].isalpha():
        return None
    if known(c.key, lex):
        return None
    for size in (3, 2, 1):
        if size >= len(c.words) - 1:
            continue  # leave at least a first name and a surname
        tail = c.words[-size:]
        if name_key(" ".join(tail)) in lex.places and tail[0] not in lex.sets["particles"]:
            cut = len(c.words) - size
            rest = Candidate(c.sentence, c.first + cut, c.last, tail, False)
            c.words, c.last = c.words[:cut], c.first + cut - 1
            return rest
    return None


def _split_after_place(c: Candidate, lex: Lexicon) -> Candidate | None:
    """Cut "Córdoba de la IX Asamblea" after a known place that the whole run is not;
    the cut-off rest is returned as a new candidate (``c`` keeps the place)."""
    particles = lex.sets["particles"]
    if len(c.words) < 3 or known(c.key, lex):
        return None
    for k in range(1, len(c.words) - 1):
        if c.words[k] not in particles:
            continue
        head = name_key(" ".join(c.words[:k]))
        if head in lex.places or head in lex.aliases:
            r = k
            while r < len(c.words) and c.words[r] in particles:
                r += 1
            if r >= len(c.words) or c.words[0].lower() in lex.sets["org_heads"]:
                return None
            if r == len(c.words) - 1 and any(
                w in lex.sets["articles"] or w in lex.sets["contracted_articles"]
                for w in c.words[k:r]
            ):
                return None  # one town: "Salvatierra de los Barros", "Río Grande do Sul"
            rest = Candidate(c.sentence, c.first + r, c.last, c.words[r:], False)
            c.words = c.words[:k]
            c.last = c.first + k - 1
            return rest
        return None
    return None


def _split_glued(c: Candidate, lex: Lexicon) -> Candidate | None:
    """Cut two names run together: "Asuntos Sociales Matilde Fernández" (a first name
    after a word that is not one), "Grupo Parlamentario del PP" (a known acronym after
    a particle). ``c`` keeps the first part; the second is returned."""
    words = c.words
    particles = lex.sets["particles"]
    heads = lex.sets["head_nouns"]
    first_names = lex.first_names
    for k in range(1, len(words)):
        w, before = words[k], words[k - 1]
        cut = 0
        if (
            k + 1 < len(words)
            and w.casefold() in first_names
            and before.casefold() not in first_names
            and before not in particles
            and before.lower() not in heads
            and before.lower() not in lex.sets["titles"]
            and is_cap(before)
            # An unknown word before a first name is a first name we do not list
            # ("Sandro José Marín Rodríguez"), unless it is a known name or a word.
            and (k > 1 or known(name_key(before), lex) or before.lower() in lex.sets["not_names"])
        ):
            cut = k
        elif before in particles and w.isupper() and k == len(words) - 1 and known(w, lex):
            cut = k - 1
            while cut > 0 and words[cut - 1] in particles:
                cut -= 1
            if cut == 0:
                return None
            rest = Candidate(c.sentence, c.first + k, c.last, words[k:], False)
            c.words, c.last = words[:cut], c.first + cut - 1
            return rest
        if cut:
            rest = Candidate(c.sentence, c.first + cut, c.last, words[cut:], False)
            c.words, c.last = words[:cut], c.first + cut - 1
            return rest
    return None


def _split_inner_role(c: Candidate, lex: Lexicon) -> Candidate | None:
    """ "Northrop Grumman CEO Ron Sugar": the organisation, then the person with a role.
    A role word at the very end ("Ryanair CEO") is dropped."""
    inner = lex.sets["inner_roles"]
    words = c.words
    for k in range(1, len(words)):
        if words[k].lower() not in inner:
            continue
        r = k + 1
        while r < len(words) and (words[r].lower() in inner or words[r] in lex.sets["particles"]):
            r += 1
        role = " ".join(words[k:r])
        c.words, c.last = words[:k], c.first + k - 1
        if r >= len(words):
            return None
        rest = Candidate(c.sentence, c.first + r, c.first + len(words) - 1, words[r:], False)
        rest.role, rest.role_adjacent = role, True
        return rest
    return None


def _looks_like_verb(word: str, lex: Lexicon, doc_caps: frozenset[str]) -> bool:
    """A sentence-initial word that is a verb form, not a name ("Alistan Reunión ...")."""
    key = word.casefold()
    if key in doc_caps or key in lex.first_names or known(key, lex):
        return False
    low = word.lower()
    return any(low.endswith(s) for s in lex.verb_suffixes)


def _known_pieces(
    index: int,
    words: list[str],
    first: int,
    last: int,
    lex: Lexicon,
    names: dict[str, Candidate],
    first_names: bool = False,
) -> list[Candidate]:
    """Known names (gazetteers, and names found elsewhere in the story) by longest match;
    with ``first_names``, also a known first name and the capitalised word after it."""
    out: list[Candidate] = []
    i = first
    while i <= last:
        if not words[i][:1].isalpha() or not words[i][:1].isupper():
            i += 1
            continue
        if first_names and (person := _first_name_pair(index, words, i, last, lex, names)):
            out.append(person)
            i = person.last + 1
            continue
        for size in range(min(_MAX_PIECE, last - i + 1), 0, -1):
            piece = words[i : i + size]
            text = " ".join(piece).replace(" ,", ",")
            kind, name, echo = _lookup(name_key(text), lex, names)
            if not kind and text.isupper():
                kind, name, echo = _lookup(text.casefold(), lex, names)
            if kind:
                # A town may be a person's surname in the story ("CHAVES" after "Manuel
                # Chaves"): gazetteer places stay open to story-level grouping. A name
                # found elsewhere in the story is as sure as it was there.
                strength = 2 if kind == PLACE else 3
                if echo is not None:
                    strength = echo.strength
                c = Candidate(index, i, i + size - 1, piece, False, kind=kind, strength=strength)
                c.name = name
                if echo is not None:
                    c.rule = echo.rule
                out.append(c)
                i += size
                break
        else:
            i += 1
    return out


def _first_name_pair(
    index: int, words: list[str], i: int, last: int, lex: Lexicon, names: dict[str, Candidate]
) -> Candidate | None:
    """A person named in a Title-Case line: a known first name, then a capitalised word
    that is no common word ("Billy Porter"), unless the pair is a name known otherwise."""
    if i + 1 > last or words[i].casefold() not in lex.first_names:
        return None
    surname = words[i + 1]
    if not surname[:1].isupper() or surname.casefold() in lex.sets["not_names"]:
        return None
    if name_key(f"{words[i]} {surname}") in names or known(name_key(words[i]), lex):
        return None  # found in the body, or a place or brand ("Paris Hilton" aside)
    c = Candidate(index, i, i + 1, words[i : i + 2], False, kind="person", strength=2)
    c.name, c.rule = f"{words[i]} {surname}", "L105-title"
    return c


def _lookup(
    key: str, lex: Lexicon, names: dict[str, Candidate]
) -> tuple[str, str, Candidate | None]:
    """Kind and name of a known name, and the mention elsewhere in the story it
    echoes (``None`` for a word list or gazetteer entry)."""
    if key.casefold() in lex.sets["not_names"] or len(key) < 2:
        return "", "", None
    alias = lex.aliases.get(key)
    if alias is not None:
        return alias[1], alias[0], None
    if key in lex.organizations:
        return "organization", lex.organizations[key], None
    found = names.get(key)
    if found is not None:
        return found.kind, found.name, found
    if key in lex.places:
        return PLACE, lex.places[key], None
    if key.casefold() in lex.sets["surnames"]:
        return "person", key.title(), None  # "AZNAR ESPERA QUE ...": a well-known surname
    return "", "", None
