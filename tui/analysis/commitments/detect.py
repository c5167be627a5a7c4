"""Sentence-level commitment detection, actor resolution and due dates.

For each sentence that the language's prefilter says may hold a trigger, every
trigger rule is tried; a match becomes a commitment unless a cue says it is not
asserted (hedge, demand, expectation, condition) or, for bare future tense and
plan verbs, the subject is not an agent. Negation cues keep the commitment but
mark it ``negated``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tui.analysis.commitments.lexicon import Lexicon, Trigger, available, load
from tui.analysis.commitments.subjects import Phrase, subject_before
from tui.analysis.document import Document, Sentence
from tui.analysis.model import Actor, Commitment, DateMention

#: How many earlier sentences a dropped subject or pronoun may reach back.
_REACH = 5
_ACTION_WORDS = 12
#: Characters before a trigger that cue patterns look at.
_WINDOW = 400
_CLAUSE_END = re.compile(r"[;:.!?]|,[\s\"”»']|\s[-–—]{1,2}\s|[\"”»]\s")


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
        if lex.prefilter.search(text, sentence.start, sentence.end) is None:
            continue
        out.extend(_sentence_commitments(ctx, sentence))
    return out


def _matches(lex: Lexicon, text: str, sentence: Sentence) -> list[tuple[re.Match[str], Trigger]]:
    found: list[tuple[re.Match[str], Trigger]] = []
    for trigger in lex.triggers:
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
        if m.start("t") >= last_end:
            kept.append((m, trigger))
            last_end = m.end("t")
    return kept


def _sentence_commitments(ctx: _Context, sentence: Sentence) -> list[Commitment]:
    text = ctx.doc.text
    matches = _matches(ctx.lex, text, sentence)
    if not matches:
        return []
    cancelled = any(trigger.cancels for _, trigger in matches)
    out = []
    for m, trigger in matches:
        if trigger.cancels:
            continue
        found = _evaluate(ctx, sentence, m, trigger)
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
    ctx: _Context, sentence: Sentence, m: re.Match[str], trigger: Trigger
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
        if lex.hedge.search(open_prefix) or lex.govern.search(lex.capacity.sub("", clause_prefix)):
            return None
        if _conditional(lex, trigger, conditional, clause_prefix, after):
            return None
        if lex.question.search(text[sentence.start : sentence.end]):
            return None  # a question asserts nothing
        if trigger.kind == "decision" and lex.past_anchor.search(after[:60]):
            return None
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
    action = _action(lex, text, m.end("a") if has_actor_group else t1, sentence.end)
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
        due=_due(ctx, sentence, t0),
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
        return Phrase(start, end, text[start:end], False, False, True)
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
    # ", que continuará ...": a non-restrictive relative; the antecedent precedes the comma.
    at = j - 1 if before.text == "," else j
    return True, subject_before(ctx.doc.text, tokens, at, lex)


def _after_relative(ctx: _Context, sentence: Sentence, index: int) -> bool:
    """Whether a dropped subject is a relative pronoun with a non-agent antecedent."""
    relative, antecedent = _relative_antecedent(ctx, sentence, index)
    return relative and (antecedent is None or not antecedent.agent)


def _action(lex: Lexicon, text: str, start: int, end: int) -> str:
    """What was committed: the clause after the trigger, without relative-clause
    insertions ("el Grupo ..., cuya próxima reunión ..., debe seguir ..."), short."""
    rest = text[start:end].strip()
    rest = lex.action_lead.sub("", rest)
    for m in reversed(list(lex.relative_clause.finditer(rest))):
        after = m.end() + 1 if rest[m.end() : m.end() + 1] == "," else m.end()
        rest = rest[: m.start()] + rest[after:]
    cut = _CLAUSE_END.search(rest)
    if cut is not None and cut.start() > 0:
        rest = rest[: cut.start()]
    words = rest.split()
    return " ".join(words[:_ACTION_WORDS]).strip(" \"'“”«»")


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
    lex = ctx.lex
    if phrase is not None and not phrase.pronoun:
        return phrase.text, (phrase.start, phrase.end)
    if phrase is not None:
        plural = phrase.plural
        low = phrase.text.lower()
        if low in lex.first_person:
            return phrase.text, (phrase.start, phrase.end)  # the speaker of a quote
        # "Qatar ... which it will", "X said they would": the referent is in this sentence.
        own = _main_subject(ctx, sentence)
        if own is not None and own.end <= phrase.start and _compatible(lex, own, plural, low):
            return own.text, (own.start, own.end)
        found = _earlier(ctx, sentence, plural, low)
        if found is None:
            return phrase.text, (phrase.start, phrase.end)
        return found.text, (found.start, found.end)
    if _first_person(lex, trig_text):
        return "", None  # "haremos", "vamos a": the (unnamed) speaker of a quote
    plural = _plural_verb(lex, trig_text)
    # "X declaró que había firmado": the dropped subject is the speaker.
    own = _main_subject(ctx, sentence)
    if own is not None and own.end <= t0 and own.plural == plural:
        return own.text, (own.start, own.end)
    found = _earlier(ctx, sentence, plural, "")
    if found is None:
        return "", None
    return found.text, (found.start, found.end)


def _compatible(lex: Lexicon, ref: _Referent, plural: bool, pronoun: str) -> bool:
    if ref.text.lower() in lex.pronouns:
        return False
    if pronoun in {"it", "they"}:
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
    names: list[str] = [a.name for a in index.overlapping(start, end)]
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


def _due(ctx: _Context, sentence: Sentence, trigger_start: int) -> str:
    """The value of an upcoming date in the sentence (after the trigger first)."""
    upcoming = [d for d in ctx.index.dates_between(sentence.start, sentence.end) if d.upcoming]
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
