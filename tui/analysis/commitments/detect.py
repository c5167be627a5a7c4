"""Sentence-level commitment detection, actor resolution and due dates.

For each sentence that the language's prefilter says may hold a trigger (and each
headline, which has frames of its own), every trigger rule is tried; a match becomes
a commitment unless a cue says it is not asserted (hedge, demand, expectation,
condition, a far-past one-off decision) or its subject is a thing ("the address
promised unity"), or, for bare futures and plan verbs, no agent ("the festival will
feature") or a reader being addressed ("you'll be spoilt for choice"). Negation cues
keep the commitment but mark it ``negated``.

The actor is the subject phrase; a dropped subject or a pronoun resolves to the
sentence's own subject or an earlier one, in a headline to the story's actor in the
lead, and a first-person quote to its named speaker. A frame that reaches into its
complement ("anunció que ... cerrará") is one commitment; its due date comes only
from its own stretch of the sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from tui.analysis.commitments.lexicon import Lexicon, Trigger, available, load
from tui.analysis.commitments.spans import action_text, open_quote
from tui.analysis.commitments.subjects import Phrase, subject_before
from tui.analysis.document import Document, Sentence, Token
from tui.analysis.model import Actor, Commitment, DateMention

#: How many earlier sentences a dropped subject or pronoun may reach back.
_REACH = 5
#: Characters before a trigger that cue patterns look at.
_WINDOW = 400
#: A closing quotation mark, with the comma that may follow it.
_QUOTE_CLOSE = re.compile(r"[\"”»]\s*,?\s*")
_EDGE = re.compile(r"^[^\w\"“«(]+|[^\w.)\"”»]+$")
_QUOTE_BEFORE = re.compile(r"[\"”»],?\s*$")


@dataclass(frozen=True, slots=True)
class _Referent:
    """A subject phrase kept for resolving later dropped subjects and pronouns."""

    start: int
    end: int
    text: str
    plural: bool


#: How many person mentions before a plural role phrase ``_by_role`` looks through.
_ROLE_REACH = 400


@dataclass(slots=True)
class _Context:
    doc: Document
    lex: Lexicon
    actors: list[Actor]
    dates: list[DateMention]
    subjects: dict[int, _Referent | None]
    forecasts: dict[int, bool]
    _index: _Index | None = None

    @property
    def index(self) -> _Index:
        """Actors and dates indexed by position and surname, built once per document.

        Every commitment used to scan every actor and every date of the story:
        quadratic, so a 2 MB text took minutes. Lookups through the index cost
        a bisection plus what they return.
        """
        if self._index is None:
            self._index = _Index(self.actors, self.dates)
        return self._index


class _Index:
    def __init__(self, actors: list[Actor], dates: list[DateMention]) -> None:
        self.actors = sorted(actors, key=lambda a: a.start)
        self.actor_starts = [a.start for a in self.actors]
        self.longest_actor = max((a.end - a.start for a in actors), default=0)
        # surname -> [(first position in ``actors``, name)], as the old scan met them
        self.surnames: dict[str, list[tuple[int, str]]] = {}
        seen: set[tuple[str, str]] = set()
        for i, a in enumerate(actors):
            parts = a.name.split()
            surname = parts[-1] if parts else ""
            if a.kind != "place" and len(surname) > 2 and (surname, a.name) not in seen:
                seen.add((surname, a.name))
                self.surnames.setdefault(surname, []).append((i, a.name))
        self.people = [a for a in self.actors if a.kind == "person"]
        self.people_starts = [a.start for a in self.people]
        self.dates = sorted(dates, key=lambda d: d.start)
        self.date_starts = [d.start for d in self.dates]

    def overlapping(self, start: int, end: int) -> list[Actor]:
        """Actor mentions overlapping ``[start, end)``, in the order of ``actors``."""
        lo = bisect.bisect_left(self.actor_starts, start - self.longest_actor)
        hi = bisect.bisect_left(self.actor_starts, end)
        return [a for a in self.actors[lo:hi] if a.start < end and start < a.end]

    def dates_between(self, start: int, end: int) -> list[DateMention]:
        lo = bisect.bisect_left(self.date_starts, start)
        hi = bisect.bisect_left(self.date_starts, end)
        return self.dates[lo:hi]

    def people_before(self, before: int) -> list[Actor]:
        hi = bisect.bisect_left(self.people_starts, before)
        return self.people[max(0, hi - _ROLE_REACH) : hi]


def find_commitments(
    doc: Document, actors: list[Actor], dates: list[DateMention]
) -> list[Commitment]:
    """Commitments in text order."""
    if not doc.sentences or not available(doc.language):
        return []
    lex = load(doc.language)
    ctx = _Context(doc, lex, actors, dates, {}, {})
    out: list[Commitment] = []
    text = doc.text
    for sentence in doc.sentences:
        if lex.prefilter.search(text, sentence.start, sentence.end) is not None:
            out.extend(_sentence_commitments(ctx, sentence))
        elif lex.headline_triggers and is_headline(text, sentence):
            # Headlines have frames of their own ("Airbus to Build ..."), without the
            # words the prefilter looks for.
            out.extend(_sentence_commitments(ctx, sentence, headline_only=True))
    return out


def is_headline(text: str, sentence: Sentence) -> bool:
    """A line of its own that does not end in a full stop: a headline or title."""
    last = sentence.end - 1
    while last >= sentence.start and text[last].isspace():
        last -= 1
    if last < sentence.start or text[last] in ".!?…:;,":
        return False
    # Only the characters next to the sentence are read: no copy of the text.
    i = sentence.start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i >= 0 and text[i] != "\n":
        return False
    j = sentence.end
    while j < len(text) and text[j] in " \t":
        j += 1
    return j >= len(text) or text[j] == "\n"


def _matches(
    lex: Lexicon, text: str, sentence: Sentence, headline_only: bool = False
) -> list[tuple[re.Match[str], Trigger]]:
    found: list[tuple[re.Match[str], Trigger]] = []
    headline: bool | None = True if headline_only else None
    for trigger in lex.triggers:
        if headline_only and not trigger.headline:
            continue
        if trigger.headline:
            if headline is None:
                headline = is_headline(text, sentence)
            if not headline:
                continue
        for m in trigger.regex.finditer(text, sentence.start, sentence.end):
            if trigger.context is not None and not trigger.context.search(
                text, sentence.start, sentence.end
            ):
                continue
            found.append((m, trigger))
    # Earlier first; at the same start the longer trigger wins; then no overlaps.
    found.sort(
        key=lambda mt: (
            mt[0].start("t"),
            -(mt[0].end("t") - mt[0].start("t")),
            not mt[1].negated,
        )
    )
    kept: list[tuple[re.Match[str], Trigger]] = []
    last_end = -1
    for m, trigger in found:
        if "a" in m.re.groupindex and m.group("a") is not None:
            a0, a1 = m.span("a")
            if any(a0 <= k.start("t") < a1 for k, _ in kept):
                continue  # an actor never holds a trigger ("U.S. Pledges to Pay")
        if m.start("t") >= last_end:
            kept.append((m, trigger))
            # A frame that reaches into its complement ("anunció que ... cerrará",
            # "said it will build") covers the verb there: one commitment, not two.
            last_end = max(m.end("t"), m.end())
    return kept


def _sentence_commitments(
    ctx: _Context, sentence: Sentence, headline_only: bool = False
) -> list[Commitment]:
    text = ctx.doc.text
    matches = _matches(ctx.lex, text, sentence, headline_only)
    if not matches:
        return []
    cancelled = any(trigger.cancels for _, trigger in matches)
    out = []
    for n, (m, trigger) in enumerate(matches):
        if trigger.cancels:
            continue
        # The commitment's own stretch of the sentence, for its due date: from the
        # end of the previous trigger to the start of the next one.
        lo = matches[n - 1][0].end("t") if n else sentence.start
        hi = matches[n + 1][0].start("t") if n + 1 < len(matches) else sentence.end
        found = _evaluate(ctx, sentence, m, trigger, (lo, hi))
        if found is not None:
            if cancelled and not found.negated:
                found = _negate(found)
            out.append(found)
    return out


def _negate(c: Commitment) -> Commitment:
    return Commitment(
        c.start, c.end, c.text, c.trigger, c.actor, c.actor_names, c.action, c.kind, True, c.due
    )


def _token_at(sentence: Sentence, offset: int) -> int:
    """Index of the first token of ``sentence`` that ends after ``offset``."""
    tokens = sentence.tokens
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end > offset:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _evaluate(
    ctx: _Context,
    sentence: Sentence,
    m: re.Match[str],
    trigger: Trigger,
    own: tuple[int, int],
) -> Commitment | None:
    lex, text = ctx.lex, ctx.doc.text
    t0, t1 = m.span("t")
    trig_text = text[t0:t1]
    # Cues are anchored at the trigger or look at its own clause: a bounded window
    # keeps very long sentences linear.
    prefix = text[max(sentence.start, t0 - _WINDOW) : t0]
    clause_prefix = re.split(r"[;:]", prefix)[-1]
    after = text[m.end() : sentence.end]
    negated = (
        trigger.negated
        or lex.negation.search(prefix) is not None
        or lex.negation.search(trig_text + " ") is not None
    )
    conditional = trigger.conditional or lex.conditional_form.search(trig_text) is not None
    if not negated:
        # "If elected, she will ...": a capacity condition is neither hedge nor condition.
        open_prefix = lex.capacity.sub("", prefix)
        # A quotation set off by a comma holds the speaker's own words: a demand or wish
        # before it ("le pide que rece, «igual que yo lo haré»") does not govern it; one
        # that opens right after the cue is its content ("confía en que «se harán»").
        quote = open_quote(clause_prefix)
        independent = quote > 0 and "," in clause_prefix[max(0, quote - 3) : quote]
        governed = clause_prefix[quote + 1 :] if independent else clause_prefix
        if lex.hedge.search(open_prefix) or lex.govern.search(lex.capacity.sub("", governed)):
            return None
        if _conditional(lex, trigger, conditional, clause_prefix, after):
            return None
        if lex.question.search(text[sentence.start : sentence.end]):
            return None  # a question asserts nothing
        if trigger.kind == "decision" and (
            lex.past_anchor.search(after[:60]) or lex.past_anchor.search(clause_prefix)
        ):
            return None  # a one-off decision anchored in the past (guidelines §7.3)
        if lex.passive.search(prefix) or lex.completed.search(prefix):
            return None
        if trigger.kind == "obligation" and lex.impersonal.search(prefix):
            return None  # "se debe celebrar": an agentless rule, nobody is bound
    index = _token_at(sentence, t0)
    tokens = sentence.tokens
    if (
        trigger.subject == "before"
        and index > 0
        and tokens[index - 1].text.lower() in lex.noun_markers
        and tokens[index].text.lower() not in lex.determiners
    ):
        return None  # a noun after a determiner ("la firma de", "their promise"), not a verb
    if not negated and _forecast(ctx, sentence):
        return None
    if trigger.agent and _passive_se(lex, trig_text):
        return None
    phrase = _subject(ctx, sentence, index, m, trigger)
    if (
        phrase is not None
        and phrase.text.lower() not in lex.first_person
        and _first_person(lex, trig_text)
    ):
        phrase = None  # "lo cumpliré": the speaker, never the object before it
    if phrase is not None and not phrase.agent and _named(ctx, phrase, t0):
        phrase = replace(phrase, agent=True, thing=False)
    if phrase is not None and phrase.thing:
        phrase = _trailing_name(ctx, sentence, phrase)
    if phrase is not None and phrase.thing and phrase.end <= m.start():
        return None  # "the address promised unity", "alguien decidió": not an actor
    if trigger.agent and not negated and _addresses_reader(ctx, phrase, m, sentence):
        return None  # "will make all your fantasies come true": promotion, not a plan
    if trigger.agent:
        if phrase is None:
            if (
                not lex.pro_drop
                or _passive_word(lex, trig_text)
                or lex.impersonal.search(prefix) is not None
            ):
                return None  # no agent, or an impersonal "se" ("se va a quedar pequeña")
            if _after_relative(ctx, sentence, index):
                return None
        elif not phrase.agent:
            return None
    if trigger.subject == "none":
        actor, span = "", None
    else:
        actor, span = _actor(ctx, sentence, phrase, trig_text, t0)
    if phrase is not None and not phrase.pronoun and phrase.agent:
        ctx.subjects.setdefault(
            sentence.index, _Referent(phrase.start, phrase.end, phrase.text, phrase.plural)
        )
    has_actor_group = "a" in m.re.groupindex and m.group("a") is not None
    action = action_text(lex, text, m.end("a") if has_actor_group else t1, sentence.end)
    return Commitment(
        start=sentence.start,
        end=sentence.end,
        text=text[sentence.start : sentence.end],
        trigger=trig_text,
        actor=actor,
        actor_names=_actor_names(ctx, span, actor) if span else (),
        action=action,
        kind=trigger.kind,
        negated=negated,
        due=_due(ctx, sentence, t0, own),
    )


def _trailing_name(ctx: _Context, sentence: Sentence, phrase: Phrase) -> Phrase:
    """A name that ends a thing phrase without a link before it ("la sesión
    preparatoria Neymar ha anunciado", where a headline ran into its lead) is the
    subject; the thing words before it belong to the previous clause."""
    lex = ctx.lex
    inside = [t for t in sentence.tokens if phrase.start <= t.start and t.end <= phrase.end]
    # "the costs of food, fuel and rent, Liz Truss and her chancellor, Kwasi Kwarteng,
    # have unveiled": the comma chunks that name agents at the end are the subject.
    chunks: list[list[Token]] = [[]]
    for t in inside:
        if t.text == ",":
            chunks.append([])
        else:
            chunks[-1].append(t)
    if len(chunks) > 1:
        first = len(chunks)
        while first > 0 and _names_agent(lex, chunks[first - 1]):
            first -= 1
        if 0 < first < len(chunks):
            start, end = chunks[first][0].start, inside[-1].end
            words = [t for c in chunks[first:] for t in c]
            plural = any(t.text.lower() in lex.coordination for t in words)
            return Phrase(start, end, ctx.doc.text[start:end], plural, False, True)
    k = len(inside)
    while k > 0 and inside[k - 1].text[:1].isupper():
        k -= 1
    if k == 0 or k == len(inside) or inside[k - 1].text.lower() in lex.links:
        return phrase
    if not inside[k - 1].text[:1].islower() or inside[k - 1].text.lower() in lex.determiners:
        return phrase
    start, end = inside[k].start, inside[-1].end
    return Phrase(start, end, ctx.doc.text[start:end], False, False, True)


def _names_agent(lex: Lexicon, chunk: list[Token]) -> bool:
    """A comma chunk that names an agent: it opens with a name or a determiner and
    holds a name or a known agent noun, and no known thing."""
    if not chunk:
        return False
    first = chunk[0].text
    if not (first[:1].isupper() or first.lower() in lex.determiners):
        return False
    lows = [t.text.lower() for t in chunk]
    if any(w in lex.nonagents for w in lows):
        return False
    return any(t.text[:1].isupper() for t in chunk) or any(w in lex.agents for w in lows)


def _agent_words(ctx: _Context, start: int, end: int, words: list[str]) -> bool:
    """Whether a name captured by a trigger pattern is an agent: a known agent noun,
    an acronym, or a person, organisation or place the actors step found there."""
    lex = ctx.lex
    if not words or words[0].lower() in lex.nonagents | lex.intro | lex.stop:
        return False
    if any(w.lower() in lex.agents for w in words):
        return True
    if any(len(w) > 1 and w.replace(".", "").replace("&", "").isupper() for w in words):
        return True
    return any(
        a.start == start and a.end <= end + 1
        for a in ctx.index.overlapping(start, start + 1)
        if a.kind in ("person", "organization", "place")
    )


def _addresses_reader(
    ctx: _Context, phrase: Phrase | None, m: re.Match[str], sentence: Sentence
) -> bool:
    """Whether a bare future speaks to the reader ("you'll be spoilt for choice",
    "the kids will enjoy your visit"): marketing and programme language."""
    if phrase is not None:
        low = phrase.text.lower()
        if ctx.lex.reader.search(low) is not None:
            return True  # "You will pay $99": the reader is nobody's commitment
        if low in ctx.lex.first_person:
            return False
    clause = ctx.lex.clause_split.split(ctx.doc.text[m.start("t") : sentence.end], maxsplit=1)[0]
    return ctx.lex.reader.search(clause) is not None


def _named(ctx: _Context, phrase: Phrase, trigger_start: int) -> bool:
    """Whether the actors step found a person, organisation or place at the head of
    the phrase: in a Title-Case headline a capital says nothing, a known name does
    ("Netflix Will Raise Prices"). The name must end the phrase: in "Museum Of
    London's Next Exhibition" the name only owns the thing."""
    if phrase.head < 0:
        return False
    return any(
        phrase.end <= a.end
        for a in ctx.index.overlapping(phrase.head, phrase.head + 1)
        if a.kind in ("person", "organization", "place")
    )


def _forecast(ctx: _Context, sentence: Sentence) -> bool:
    """Whether the sentence is attributed to forecasters (cached per sentence)."""
    found = ctx.forecasts.get(sentence.index)
    if found is None:
        pattern = ctx.lex.forecasters
        found = pattern.search(ctx.doc.text, sentence.start, sentence.end) is not None
        ctx.forecasts[sentence.index] = found
    return found


def _passive_se(lex: Lexicon, trigger_text: str) -> bool:
    """ "se inaugurará", "se aplicará": a passive or impersonal "se", nobody acts;
    "se reunirán", "se pronunciará" are the agents' own pronominal verbs."""
    words = trigger_text.lower().split()
    if len(words) < 2 or not _passive_word(lex, trigger_text) or not lex.pronominal:
        return False
    return not words[1].startswith(lex.pronominal)


def _passive_word(lex: Lexicon, trigger_text: str) -> bool:
    """Whether the trigger opens with the language's impersonal marker ("se ...")."""
    first = trigger_text.lower().split(maxsplit=1)[0] if trigger_text.strip() else ""
    return bool(lex.impersonal_word) and first == lex.impersonal_word


def _conditional(
    lex: Lexicon, trigger: Trigger, conditional: bool, clause_prefix: str, after: str
) -> bool:
    """Whether the commitment hangs on a condition set for others (hypothetical).

    Conditional forms ("would", "-ría") with any condition after them, and bare
    futures or plans with a condition before them or later in their own clause
    ("will strike unless management raises wages"), are hypothetical, unless the
    condition only gives the actor the capacity to act ("if elected").
    """
    if not (conditional or trigger.agent):
        return False
    own_clause = lex.clause_split.split(after, maxsplit=1)[0]
    later = after if conditional else own_clause
    found = lex.condition_after.search(later) or lex.condition_before.search(clause_prefix)
    if found is None:
        return False
    return lex.capacity.search(clause_prefix + " " + later) is None


def _subject(
    ctx: _Context, sentence: Sentence, index: int, m: re.Match[str], trigger: Trigger
) -> Phrase | None:
    """The subject phrase of the trigger, following the trigger's ``subject`` option."""
    lex, text, tokens = ctx.lex, ctx.doc.text, sentence.tokens
    if "a" in m.re.groupindex and m.group("a"):
        start, end = m.span("a")
        words = text[start:end].split()
        agent = not trigger.agent or _agent_words(ctx, start, end, words)
        plural = any(w.lower() in lex.coordination for w in words)
        return Phrase(start, end, text[start:end], plural, False, agent)
    t0 = m.start("t")
    if index < len(tokens) and tokens[index].start < t0 and trigger.subject == "before":
        # A clitic trigger inside its subject's token: "We'll", "they’d".
        tok = tokens[index]
        word = text[tok.start : t0]
        low = word.lower()
        return Phrase(tok.start, t0, word, low in lex.pronouns_plural, low in lex.pronouns, True)
    if trigger.subject == "possessive":
        tok = tokens[index]
        return Phrase(tok.start, tok.end, tok.text, False, True, True)
    if trigger.subject == "after":
        comma = text.find(",", m.end("t"), sentence.end)
        begin = comma if comma >= 0 else m.end("t")
        verb = lex.finite_verb.search(text, begin, sentence.end)
        if verb is None:
            return None
        return subject_before(text, tokens, _token_at(sentence, verb.start()), lex)
    if trigger.subject == "main":
        ref = _main_subject(ctx, sentence)
        if ref is None:
            return None
        return Phrase(ref.start, ref.end, ref.text, ref.plural, False, True)
    if _QUOTE_BEFORE.search(text, max(sentence.start, t0 - 4), t0) or lex.inverted.search(
        text, max(sentence.start, t0 - 12), t0
    ):
        # "«...», prometió Errejón": after a quotation the subject follows the verb.
        after = _np_after(ctx, sentence, m.end("t"))
        if after is not None:
            return after
    j = index - 1
    while j >= 0 and tokens[j].text.lower() in lex.skip:
        j -= 1
    if j >= 0 and tokens[j].text.lower() in lex.coordination:
        # "X paid tribute ... and promised to": the verbs share the main subject.
        ref = _main_subject(ctx, sentence)
        if ref is not None and ref.end <= tokens[j].start:
            return Phrase(ref.start, ref.end, ref.text, ref.plural, False, True)
    phrase = subject_before(text, tokens, index, lex)
    if phrase is None:
        relative, antecedent = _relative_antecedent(ctx, sentence, index)
        if relative and antecedent is not None and antecedent.agent:
            return antecedent
    return phrase


def _relative_antecedent(
    ctx: _Context, sentence: Sentence, index: int
) -> tuple[bool, Phrase | None]:
    """Whether the trigger follows a relative pronoun ("Mondale, who promised",
    "un acuerdo que pondrá fin"), and if so the noun phrase it stands for.

    "que"/"that" after a verb of saying is a complementiser, not a relative."""
    tokens, lex = sentence.tokens, ctx.lex
    j = index - 1
    while j >= 0 and tokens[j].text.lower() in lex.skip:
        j -= 1
    if j < 1 or tokens[j].text.lower() not in lex.relatives:
        return False, None
    before = tokens[j - 1]
    if lex.finite_verb.fullmatch(before.text) or before.text == ":":
        return False, None
    if j >= 2 and lex.finite_verb.fullmatch(f"{tokens[j - 2].text} {before.text}"):
        return False, None  # "ha añadido que se reunirá": a compound verb of saying
    # ", que continuará ...": a non-restrictive relative; the antecedent precedes the comma.
    at = j - 1 if before.text == "," else j
    antecedent = subject_before(ctx.doc.text, tokens, at, lex)
    if antecedent is not None and tokens[j].text.lower() in lex.relatives_thing:
        # "a partnership with Waymo that will add": after a preposition the noun before
        # it is the antecedent as often as the name; the name is no safe subject.
        k = _token_at(sentence, antecedent.start) - 1
        if k >= 0 and tokens[k].text.lower() in lex.prepositions:
            return True, None
    return True, antecedent


def _after_relative(ctx: _Context, sentence: Sentence, index: int) -> bool:
    """Whether a dropped subject is a relative pronoun with a non-agent antecedent."""
    relative, antecedent = _relative_antecedent(ctx, sentence, index)
    return relative and (antecedent is None or not antecedent.agent)


def _plural_verb(lex: Lexicon, trigger_text: str) -> bool:
    """Whether the trigger's (first) verb is plural ("acordaron", "se comprometieron")."""
    for word in re.findall(r"\w+", trigger_text.lower()):
        if word in lex.skip or word in lex.determiners or len(word) <= 2:
            continue
        return bool(lex.plural_suffixes) and word.endswith(lex.plural_suffixes)
    return False


def _first_person(lex: Lexicon, trigger_text: str) -> bool:
    for word in re.findall(r"\w+", trigger_text.lower()):
        if word in lex.skip or len(word) <= 2:
            continue
        return lex.first_person_verb.search(word) is not None
    return False


def _actor(
    ctx: _Context, sentence: Sentence, phrase: Phrase | None, trig_text: str, t0: int
) -> tuple[str, tuple[int, int] | None]:
    """The actor text and its span (after resolving dropped subjects and pronouns)."""
    text, span = _resolve(ctx, sentence, phrase, trig_text, t0)
    if span is None:
        return text, span
    # Edges that are no part of a name: bullets and dashes of a list item ("• Google"),
    # a verb contracted onto a pronoun ("I’m planning to" -> "I").
    start = span[0]
    trimmed = _EDGE.sub("", text)
    lead = text.find(trimmed) if trimmed else 0
    trimmed = ctx.lex.contraction.sub("", trimmed)
    if not trimmed:
        return text, span
    return trimmed, (start + lead, start + lead + len(trimmed))


def _resolve(
    ctx: _Context, sentence: Sentence, phrase: Phrase | None, trig_text: str, t0: int
) -> tuple[str, tuple[int, int] | None]:
    """The actor before trimming: the phrase itself, or the referent of a dropped
    subject, a pronoun or a first-person speaker."""
    lex = ctx.lex
    if phrase is not None and not phrase.pronoun:
        return phrase.text, (phrase.start, phrase.end)
    if phrase is not None:
        plural = phrase.plural
        low = phrase.text.lower()
        if low in lex.first_person:
            # The speaker of a quote, by name when the sentence gives one.
            speaker = _speaker(ctx, sentence, t0)
            if speaker is not None:
                return speaker.text, (speaker.start, speaker.end)
            return phrase.text, (phrase.start, phrase.end)
        # "Qatar ... which it will", "X said they would": the referent is in this sentence.
        own = _main_subject(ctx, sentence)
        if own is not None and own.end <= phrase.start and _compatible(lex, own, plural, low):
            return own.text, (own.start, own.end)
        found = _earlier(ctx, sentence, plural, low) or _story_actor(ctx, sentence, plural, low)
        if found is None:
            return phrase.text, (phrase.start, phrase.end)
        return found.text, (found.start, found.end)
    if _first_person(lex, trig_text):
        # "haremos", "lo cumpliré": the speaker of the quote, named or not.
        speaker = _speaker(ctx, sentence, t0)
        return (speaker.text, (speaker.start, speaker.end)) if speaker else ("", None)
    plural = _plural_verb(lex, trig_text)
    # "X declaró que había firmado": the dropped subject is the speaker.
    own = _main_subject(ctx, sentence)
    if own is not None and own.end <= t0 and own.plural == plural:
        return own.text, (own.start, own.end)
    found = _earlier(ctx, sentence, plural, "") or _story_actor(ctx, sentence, plural, "")
    if found is None:
        return "", None
    return found.text, (found.start, found.end)


def _story_actor(ctx: _Context, sentence: Sentence, plural: bool, pronoun: str) -> _Referent | None:
    """For a headline with a dropped subject ("Convocan huelga para el jueves"), the
    story's main actor: the subject of the first sentences that follow it."""
    if sentence.index > 0 or not is_headline(ctx.doc.text, sentence):
        return None
    sentences = ctx.doc.sentences
    for index in range(1, min(len(sentences), 3)):
        ref = _main_subject(ctx, sentences[index])
        if ref is not None and _compatible(ctx.lex, ref, plural, pronoun):
            return ref
    return None


def _speaker(ctx: _Context, sentence: Sentence, t0: int) -> Phrase | None:
    """The named speaker of the quotation holding a first-person trigger: the subject
    after it (« ... », dijo el Papa) or the subject that opens the sentence before the
    quotation (El Papa anuncia que “... lo haré”). A pronoun speaker names nobody."""
    text, lex = ctx.doc.text, ctx.lex
    close = _QUOTE_CLOSE.search(text, t0, sentence.end)
    if close is not None:
        say = lex.say.match(text, close.end(), sentence.end)
        if say is not None:
            found = _np_after(ctx, sentence, say.end())
            if found is not None:
                return found
        else:
            # '," the minister said': the speaker comes before the verb of saying.
            found = _np_after(ctx, sentence, close.end())
            if found is not None and lex.say.match(text, found.end + 1, sentence.end):
                return found
    head = text[sentence.start : t0]
    opened = max(head.rfind(q) for q in '"“«')
    if opened >= 0:
        own = _main_subject(ctx, sentence)
        if own is not None and own.end <= sentence.start + opened:
            return Phrase(own.start, own.end, own.text, own.plural, False, True)
    return None


def _np_after(ctx: _Context, sentence: Sentence, offset: int) -> Phrase | None:
    """A subject placed after its verb ("», prometió Errejón", '," said the mayor'):
    determiners, names and the links between them, up to the next punctuation."""
    lex, tokens = ctx.lex, sentence.tokens
    i = _token_at(sentence, offset)
    picked: list[Token] = []
    while i < len(tokens) and len(picked) < 8:
        tok = tokens[i]
        low = tok.text.lower()
        if not tok.text[:1].isalnum() or low in lex.stop or low in lex.time_words - lex.determiners:
            break
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if low in lex.prepositions and not nxt[:1].isupper():
            break  # "dijo el Papa a las víctimas"; names go on ("Banco de España")
        picked.append(tok)
        i += 1
    while picked and picked[-1].text.lower() in lex.links | lex.determiners:
        picked.pop()
    if not picked:
        return None
    low = picked[0].text.lower()
    if len(picked) == 1 and low in lex.pronouns:
        return None
    named = any(t.text[:1].isupper() for t in picked)
    agent = named or low in lex.determiners or any(t.text.lower() in lex.agents for t in picked)
    if not agent:
        return None
    start, end = picked[0].start, picked[-1].end
    plural = any(t.text.lower() in lex.coordination for t in picked)
    return Phrase(start, end, ctx.doc.text[start:end], plural, False, True)


def _compatible(lex: Lexicon, ref: _Referent, plural: bool, pronoun: str) -> bool:
    if ref.text.lower() in lex.pronouns:
        return False
    if pronoun in lex.neuter_pronouns:
        return True  # organisations are "it" and "they" alike
    return ref.plural == plural


def _earlier(ctx: _Context, sentence: Sentence, plural: bool, pronoun: str) -> _Referent | None:
    for index in range(sentence.index - 1, max(-1, sentence.index - 1 - _REACH), -1):
        ref = _main_subject(ctx, ctx.doc.sentences[index])
        if ref is not None and _compatible(ctx.lex, ref, plural, pronoun):
            return ref
    return None


def _main_subject(ctx: _Context, sentence: Sentence) -> _Referent | None:
    """The agent subject of the sentence's first finite verb (cached per sentence)."""
    if sentence.index in ctx.subjects:
        return ctx.subjects[sentence.index]
    found: _Referent | None = None
    text = ctx.doc.text
    for m in ctx.lex.finite_verb.finditer(text, sentence.start, sentence.end):
        phrase = subject_before(text, sentence.tokens, _token_at(sentence, m.start()), ctx.lex)
        if phrase is not None and phrase.agent and not phrase.pronoun:
            found = _Referent(phrase.start, phrase.end, phrase.text, phrase.plural)
            break
    if found is None:
        found = _initial_name(ctx, sentence)
    ctx.subjects[sentence.index] = found
    return found


def _initial_name(ctx: _Context, sentence: Sentence) -> _Referent | None:
    """A capitalised name opening the sentence ("U.S. Secretary of State Madeleine
    Albright paid ..."), the fallback subject when no finite verb was recognised."""
    tokens, lex = sentence.tokens, ctx.lex
    if not tokens or tokens[0].text.lower() in lex.nonagents | lex.intro | lex.skip:
        return None
    n = 0
    last = -1
    while n < len(tokens):
        word = tokens[n].text
        low = word.lower()
        if word[:1].isupper() and low not in lex.intro and low not in lex.stop:
            last = n
        elif not (low in lex.links or low in lex.determiners or word == "."):
            break
        n += 1
    if last < 0 or (last == 0 and tokens[0].text.lower() in lex.determiners):
        return None
    first = 0
    while first < last and tokens[first].text.lower() in lex.links:
        first += 1
    start, end = tokens[first].start, tokens[last].end
    return _Referent(start, end, ctx.doc.text[start:end], False)


def _actor_names(ctx: _Context, span: tuple[int, int], actor: str) -> tuple[str, ...]:
    """Canonical names of result actors that overlap or alias the actor phrase."""
    start, end = span
    index = ctx.index
    # A name that runs into the trigger ("U.S. Pledges" in a Title-Case headline)
    # is a mis-cut name, not the actor.
    names: list[str] = [a.name for a in index.overlapping(start, end) if a.end <= end + 1]
    words = set(re.findall(r"\w+", actor))
    by_surname = sorted(hit for w in words for hit in index.surnames.get(w, ()))
    names.extend(name for _position, name in by_surname)
    if not names:
        names.extend(_by_role(ctx, actor, start))
    return tuple(dict.fromkeys(names))


def _by_role(ctx: _Context, actor: str, before: int) -> list[str]:
    """People named earlier with the role a plural phrase names ("ambos secretarios")."""
    heads = [w.lower() for w in re.findall(r"\w+", actor) if len(w) > 4 and w.lower().endswith("s")]
    out = []
    for head in heads:
        singulars = {head[:-1], head[:-2]} if head.endswith("es") else {head[:-1]}
        for a in ctx.index.people_before(before):
            window = ctx.doc.text[max(0, a.start - 40) : a.start].lower() + " " + a.role.lower()
            if any(re.search(rf"\b{re.escape(s)}\b", window) for s in singulars if len(s) > 3):
                out.append(a.name)
    return out


def _due(ctx: _Context, sentence: Sentence, trigger_start: int, own: tuple[int, int]) -> str:
    """The value of an upcoming date in the commitment's own stretch of the sentence
    (after the trigger first): another commitment's date is never borrowed."""
    lo, hi = own
    upcoming = [d for d in ctx.index.dates_between(lo, hi) if d.upcoming]
    if not upcoming:
        return ""
    text = ctx.doc.text
    excluded = [
        m.span() for m in ctx.lex.relative_clause.finditer(text, sentence.start, sentence.end)
    ]
    usable = [d for d in upcoming if not any(s <= d.start < e for s, e in excluded)]
    after = [d for d in usable if d.start >= trigger_start]
    chosen = after or usable
    return chosen[0].value if chosen else ""
