"""Finding the subject phrase of a trigger: who committed.

No parser is available, so the subject is found by walking backwards from the
trigger over the tokens of the sentence with the per-language word lists:
adverbs and clitics next to the verb are skipped, the walk stops at clause
breakers and at a determiner that nothing links to the left, and comma-separated
chunks are kept when they are appositions or coordinated subjects
("El secretario general de CDC, Pere Esteve, y el líder de Unió, ...") and dropped
when they are fronted adverbials ("Por su parte, ...", "El domingo, ...").
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.analysis.commitments.lexicon import Lexicon
from tui.analysis.document import Token

_DASHES = frozenset({"-", "--", "—", "–"})
_DELIMITERS = _DASHES | {","}
_TRANSPARENT = frozenset({'"', "“", "”", "«", "»", "'"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """A subject phrase: its text span and what it is (number, pronoun, agent)."""

    start: int
    end: int
    text: str
    plural: bool
    pronoun: bool
    agent: bool
    #: The head names a known thing or event ("the address", "la reunión").
    thing: bool = False
    #: Start offset of the head word (-1: unknown).
    head: int = -1


def _is_delim(tok: Token) -> bool:
    return tok.text in _DELIMITERS


def _np_like(chunk: list[Token], before: Token | None, lex: Lexicon) -> bool:
    """Whether a comma chunk can be (part of) a subject rather than an adverbial."""
    words = [t for t in chunk if t.text not in _TRANSPARENT]
    if not words or len(words) > 14:
        return False
    first = words[0].text.lower()
    acronym = len(words[0].text) > 1 and words[0].text.isupper()  # "AT&T", not "at"
    if (
        not acronym
        and first in lex.intro
        and first not in lex.determiners
        and first not in lex.coordination
    ):
        return False
    if before is not None and before.text.lower() in lex.prepositions:
        return False
    content = [t.text.lower() for t in words if t.text.isalnum() or "-" in t.text]
    return not (content and all(w in lex.time_words or w.isdigit() for w in content))


def _head(words: list[Token], lex: Lexicon) -> Token | None:
    """The head word: the first content word, or the last one before a link,
    as the language's data says (``head``)."""
    content = [
        t for t in words if t.text not in _TRANSPARENT and t.text.lower() not in lex.determiners
    ]
    if not content:
        return None
    if not lex.head_first:
        head = content[0]
        for t in content:
            low = t.text.lower()
            if low in lex.possessive:
                continue  # "the boy's father": the head follows the possessive
            if low in lex.links or t.text in _DELIMITERS or low in lex.coordination:
                break
            head = t
        return head
    for t in content:
        if t.text.isalpha() and not t.text.isdigit():
            return t
    return content[0]


def _is_plural(words: list[Token], head: Token | None, lex: Lexicon) -> bool:
    lows = [t.text.lower() for t in words]
    if any(w in lex.coordination for w in lows):
        return True
    if head is None:
        return False
    low = head.text.lower()
    if low in lex.pronouns_plural:
        return True
    if low in lex.pronouns_singular:
        return False
    return head.text[:1].islower() and low.endswith("s") and len(low) > 3


def _title_case(tokens: tuple[Token, ...]) -> bool:
    """A headline in Title Case, where a capital says nothing about proper names."""
    long_words = [t.text for t in tokens if t.text.isalpha() and len(t.text) > 3]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return len(long_words) >= 4 and capitals >= 0.8 * len(long_words)


def _is_agent(head: Token | None, lex: Lexicon, title_case: bool = False) -> bool:
    """An agent is named by a pronoun, a known agent noun or a proper name, and is
    never a known thing or event ("la reunión", "prices")."""
    if head is None:
        return False
    low = head.text.lower()
    if low in lex.pronouns:
        return True
    if low in lex.nonagents:
        return False
    if low in lex.agents:
        return True
    # A lower-case head that is not a known agent ("the first episode of Still
    # Processing", "la huelga de los pilotos") is a thing, whatever its complements.
    if title_case:
        return len(head.text) > 1 and head.text.replace(".", "").isupper()  # "U.S.", "NATO"
    # A capital, or one inside the word as brands write it ("imToken", "eBay").
    return head.text[:1].isupper() or any(c.isupper() for c in head.text[1:])


def _is_thing(words: list[Token], head: Token | None, lex: Lexicon) -> bool:
    """Whether the phrase names a known thing or event. Where the head comes last
    (English), a final known thing noun right after a modifier is the head too:
    "the State of the Union address", "the company's new phone"."""
    if head is not None and head.text.lower() in lex.nonagents:
        return True
    if lex.head_first or len(words) < 2:
        return False
    last, before = words[-1].text, words[-2].text.lower()
    if not last[:1].islower():
        return False  # a name ("... Action League"), not a thing noun
    return last in lex.nonagents and before not in lex.links | lex.determiners


def _skippable(tok: Token, lex: Lexicon) -> bool:
    """Adverbs, auxiliaries, clitics and quotes between a subject and its verb."""
    low = tok.text.lower()
    return (
        low in lex.skip
        or tok.text in _TRANSPARENT
        or (tok.text[:1].islower() and lex.adverb.match(low) is not None)
    )


def _skip_back(tokens: tuple[Token, ...], j: int, lex: Lexicon) -> int:
    while j >= 0 and _skippable(tokens[j], lex):
        j -= 1
    return j


def _parenthetical(chunk: tuple[Token, ...], closing: str, lex: Lexicon) -> bool:
    """A comma/dash/bracket insertion between subject and verb, to be jumped over."""
    if not chunk:
        return False
    if closing == ")":
        # "(FOGADE)", "(NATO)": an acronym in brackets belongs to the name before it.
        return not (len(chunk) == 1 and chunk[0].text.isupper())
    if closing in _DASHES:
        return True
    first = chunk[0].text.lower()
    if first in lex.intro or first in lex.stop:
        return True
    return any(t.text.lower() in lex.stop for t in chunk)


def _jump_insertions(tokens: tuple[Token, ...], j: int, lex: Lexicon) -> int:
    """Skip "(...)", "-- ... --" and ", which ...," insertions right before the verb."""
    for _ in range(3):
        if j < 0:
            return j
        closing = tokens[j].text
        if closing == ")":
            opening: frozenset[str] = frozenset({"("})
        elif closing in _DASHES:
            opening = _DASHES
        elif closing == ",":
            opening = frozenset({","})
        else:
            return j
        k = j - 1
        while k >= 0 and tokens[k].text == closing and closing != ")":
            k -= 1  # "--" arrives as two "-" tokens
        p = k
        while p >= 0 and j - p < 30 and tokens[p].text not in opening:
            p -= 1
        if p < 0 or j - p >= 30:
            return j
        if not _parenthetical(tokens[p + 1 : k + 1], closing, lex):
            return j
        while p > 0 and tokens[p - 1].text == tokens[p].text and closing != ")":
            p -= 1
        j = _skip_back(tokens, p - 1, lex)
    return j


def subject_before(text: str, tokens: tuple[Token, ...], index: int, lex: Lexicon) -> Phrase | None:
    """The subject phrase that ends just before token ``index`` (None when dropped)."""
    j = _skip_back(tokens, index - 1, lex)
    if j >= 0 and tokens[j].text.lower() in lex.pronouns:
        # A pronoun next to the verb is the whole subject.
        return _phrase(text, [tokens[j]], [tokens[j]], lex, False)
    j = _jump_insertions(tokens, j, lex)
    end = j + 1
    k = j
    left = 0
    while k >= 0:
        tok = tokens[k]
        low = tok.text.lower()
        if low in lex.stop:
            left = k + 1
            break
        if low in lex.determiners and k > 0:
            prev = tokens[k - 1]
            plow = prev.text.lower()
            if not (
                plow in lex.links
                or plow in lex.coordination
                or plow in lex.determiners
                or _is_delim(prev)
            ):
                left = k
                break
        if (
            tok.text == "."
            and k > 0
            and not (tokens[k - 1].text[:1].isupper() and len(tokens[k - 1].text) <= 4)
        ):
            left = k + 1
            break
        k -= 1
    region = list(tokens[left:end])
    # A sentence adverb opening the region ("Then imToken will", "Luego la empresa")
    # is not part of the subject; a preposition ("In Paris ...") is left to the chunks.
    while (
        len(region) > 1 and region[0].text.lower() in lex.intro - lex.prepositions - lex.determiners
    ):
        region.pop(0)
    if not region:
        return None
    chunks: list[list[Token]] = [[]]
    for tok in region:
        if _is_delim(tok):
            if chunks[-1]:
                chunks.append([])
        else:
            chunks[-1].append(tok)
    if len(chunks) > 1 and not chunks[-1] and not _is_delim(region[-1]):
        chunks.pop()
    before = tokens[left - 1] if left > 0 and not _is_delim(region[0]) else None
    last = len(chunks) - 1
    if chunks[-1] and _np_like(chunks[-1], None, lex):
        # Subject next to the verb. A chunk before it belongs to it only in a list
        # ("Poland, Hungary and the Czech Republic"); otherwise it is fronted matter
        # ("Según el presidente, Esteban Olaizola, los pescadores ...").
        picked = last
        coordinated = any(t.text.lower() in lex.coordination for t in chunks[last])
        while coordinated and picked > 0:
            item = chunks[picked - 1]
            item_before = before if picked - 1 == 0 else None
            named = any(t.text[:1].isupper() for t in item)
            if len(item) > 6 or not named or not _np_like(item, item_before, lex):
                break
            picked -= 1
        chosen = [t for c in chunks[picked:] for t in c]
        first_chunk = picked
    else:
        # "X, an appositive, VERB": the subject is the leftmost noun-phrase chunk.
        first_chunk = -1
        for n, chunk in enumerate(chunks):
            if _np_like(chunk, before if n == 0 else None, lex):
                head = _head([t for t in chunk if t.text not in _TRANSPARENT], lex)
                if first_chunk < 0:
                    first_chunk = n
                thing = head is None or head.text.lower() in lex.nonagents
                named = any(t.text[:1].isupper() for t in chunk[1:])
                if not thing and (named or _is_agent(head, lex)):
                    # "the costs of food, fuel and rent, Liz Truss and her chancellor,
                    # ...": chunks without an agent are the tail of a fronted clause.
                    first_chunk = n
                    break
        if first_chunk < 0:
            return None
        last_chunk = first_chunk
        for n in range(first_chunk + 1, len(chunks)):
            if not _np_like(chunks[n], None, lex):
                break
            last_chunk = n
        span = chunks[first_chunk : last_chunk + 1]
        if any(c[0].text.lower() in lex.coordination for c in span[1:]):
            chosen = [t for c in span for t in c]  # several actors, each with an apposition
        else:
            # The shortest span that names the actor: the name, when a title or
            # description comes first ("The investor, Donald A. Wright, plans").
            head = _head([t for t in span[0] if t.text not in _TRANSPARENT], lex)
            named = head is not None and head.text[:1].isupper()
            if not named and len(span) > 1 and span[1][0].text[:1].isupper():
                first_chunk += 1
            chosen = list(chunks[first_chunk])
    # Trim adverbial and quote tokens at the edges.
    while chosen and (
        chosen[0].text in _TRANSPARENT
        or chosen[0].text.lower() in lex.coordination
        or (chosen[0].text.lower() in lex.intro and chosen[0].text.lower() not in lex.determiners)
    ):
        chosen.pop(0)
    while chosen and (chosen[-1].text in _TRANSPARENT or chosen[-1].text.lower() in lex.links):
        if chosen[-1].text == ")" and any(t.text == "(" for t in chosen):
            break  # "The North Atlantic Treaty Organization (NATO)"
        chosen.pop()
    if not chosen:
        return None
    # "votar la ley y el PSOE prometió": a leading conjunct that names a thing is the
    # object of the previous clause, not part of the subject.
    while True:
        cut = next((n for n, t in enumerate(chosen) if t.text.lower() in lex.coordination), -1)
        if cut <= 0 or cut == len(chosen) - 1:
            break
        head = _head(chosen[:cut], lex)
        if head is None or head.text.lower() not in lex.nonagents:
            break
        chosen = chosen[cut + 1 :]
        chunks = [chosen]
        first_chunk = 0
    first_words = [t for t in chunks[first_chunk] if t.text not in _TRANSPARENT]
    return _phrase(text, chosen, first_words, lex, _title_case(tokens))


def _phrase(
    text: str, chosen: list[Token], head_chunk: list[Token], lex: Lexicon, title_case: bool
) -> Phrase:
    """Describe the chosen tokens: text, number, pronoun, agent (by the head word)."""
    words = [t for t in chosen if t.text not in _TRANSPARENT]
    head = _head(head_chunk or words, lex)
    pronoun = len(words) == 1 and words[0].text.lower() in lex.pronouns
    return Phrase(
        start=chosen[0].start,
        end=chosen[-1].end,
        text=text[chosen[0].start : chosen[-1].end],
        plural=_is_plural(words, head, lex),
        pronoun=pronoun,
        agent=_is_agent(head, lex, title_case),
        thing=_is_thing(words, head, lex),
        head=head.start if head is not None else -1,
    )
