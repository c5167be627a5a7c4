"""Dates resolved against the publication date.

``find_dates`` scans each sentence once with the language's compiled grammar
(``grammar.py``, built from ``data/<lang>/dates.toml``), resolves each match to
a TIMEX3-style value (``resolve.py``), joins a day with the time or the
"early/late" that goes with it, decides whether it is upcoming and names the
event the sentence places then (``events.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from tui.analysis.dates import calendar as cal
from tui.analysis.dates.calendar import Period
from tui.analysis.dates.events import event_phrases, find_event
from tui.analysis.dates.grammar import Grammar, Lean, Pattern, fold, grammar_for
from tui.analysis.dates.resolve import resolve
from tui.analysis.document import Document, Sentence
from tui.analysis.model import DateMention

__all__ = ["Lean", "find_dates"]


@dataclass(slots=True)
class _Match:
    start: int
    end: int
    kind: str
    period: Period | None
    direction: int
    groups: dict[str, str] = field(default_factory=dict)


#: How far before its end a tense cue may start (the longest cues, "han
#: anunciado", "tiene previsto", are shorter than this).
_CUE_LENGTH = 40


def _cues(g: Grammar, text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(start, end, sign) of each tense cue in ``text[lo:hi]``, widened to whole words.

    Only the stretch a cue can reach the date from is scanned (``cue_reach``
    each side): scanning whole sentences for cues was most of the step's time.
    """
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    out = []
    for m in g.cues.finditer(text, lo, hi):
        sign = 1 if m.group("future") else -1 if m.groupdict().get("past") else 0
        out.append((m.start(), m.end(), sign))
    return out


def _direction(
    g: Grammar, text: str, cues: list[tuple[int, int, int]], start: int, end: int
) -> int:
    """The sign of the nearest tense cue (+ forward, - back, 0 none), ±2 when close.

    A cue in another clause ("Dijo que el lunes llegará": "dijo" is across
    "que") counts as farther away by ``clause_penalty`` characters.
    """
    best: tuple[int, int] | None = None
    penalty = int(g.settings.get("clause_penalty", 0))
    for s, e, sign in cues:
        if s >= start and e <= end:
            continue  # the expression's own words ("próximo") are read by the resolver
        distance = s - end if s >= end else start - e
        if penalty and g.clause_break.search(text, *((end, s) if s >= end else (e, start))):
            distance += penalty
        # A verb before the date governs it a little more often than one after it.
        if s >= end:
            distance += int(g.settings.get("cue_after_penalty", 8))
        if best is None or distance < best[0]:
            best = (distance, sign)
    if best is None or best[0] > int(g.settings.get("cue_reach", 1000)):
        return 0
    # A cue right next to the date (±2) is trusted more than one across the clause.
    return best[1] * (2 if best[0] <= int(g.settings.get("cue_close", 16)) else 1)


def _sentence_tense(g: Grammar, lowered: str, sentence: Sentence) -> tuple[int, int, int]:
    """(sign, start of the first cue, number of cues): sign -1 when every tense cue
    of the sentence looks back, 1 when every one looks ahead, 0 when they disagree
    or there are none.

    A date at the head of a sentence ("El 6 de enero, una turba ... asaltó el
    Capitolio") is often farther from its verb than a cue reaches; when the
    sentence speaks in one tense only, that tense is the date's. A date after
    the first verb is not at the head: "ha dicho que quiere eliminar ... para
    principios de junio" reports a plan in a past sentence.
    """
    signs: list[int] = []
    first = sentence.end
    for m in g.cues.finditer(lowered, sentence.start, sentence.end):
        first = min(first, m.start())
        sign = 1 if m.group("future") else -1 if m.groupdict().get("past") else 0
        if sign:
            signs.append(sign)
    agreed = set(signs)
    return (agreed.pop() if len(agreed) == 1 else 0), first, len(signs)


#: How many tokens before a trigger word a date may start ("dentro de unos
#: veinte días" starts four tokens before "días"); before a number, two are
#: enough ("el próximo 23", "a las 10").
_LOOKBACK_WORD, _LOOKBACK_NUMBER = 4, 2


#: A token that is a whole day written with dots ("1.3.2013"), not an amount.
_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})")
#: A token that may be a clock time written with a dot ("11.30"); the grammar
#: decides ("a las 11.30", "11.30 horas"), not the token alone.
_DOTTED_TIME = re.compile(r"(?:[01]?\d|2[0-3])\.[0-5]\d")


def _starts(g: Grammar, folded: str, sentence: Sentence) -> Iterator[int]:
    """Offsets where a date may start: tokens at or shortly before a trigger word.

    Trigger words (month names, weekdays, units...) come from the data file and
    every pattern contains one or a number, so the grammar is only tried at a
    few token starts instead of at every character of the text.
    """
    tokens = sentence.tokens
    triggers = g.triggers
    next_index = 0
    for i, tok in enumerate(tokens):
        t = tok.text
        if t[0].isdigit() or t[-1].isdigit():
            if ("," in t or "." in t) and not (
                _DOTTED_DATE.fullmatch(t) or _DOTTED_TIME.fullmatch(t)
            ):
                continue  # 8,017 or 31.5: an amount, not a day or a year
            back = _LOOKBACK_NUMBER
        else:
            low = folded[tok.start : tok.end]
            if low in triggers or ("-" in low and any(part in triggers for part in low.split("-"))):
                back = _LOOKBACK_WORD
            else:
                continue
        for j in range(max(next_index, i - back), i + 1):
            yield tokens[j].start
            inner = tokens[j].text.find("-")
            while inner > 0:  # "mid-2011": a date may start inside the token
                yield tokens[j].start + inner + 1
                inner = tokens[j].text.find("-", inner + 1)
        next_index = i + 1


_OPENERS = frozenset(".:;!?¿¡\"'«»“”()[]-–—\n")


def _opens(text: str, offset: int) -> bool:
    """Whether a word at ``offset`` opens a sentence, a quote or a line."""
    i = offset - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _OPENERS


#: How a year written alone may begin: a digit, or an apostrophe ("'11").
_YEAR_START = frozenset("0123456789'’")


def _after_name(g: Grammar | None, text: str, offset: int) -> bool:
    """Whether the word before ``offset`` is a capitalised (or camel-case: "iLife")
    name inside a sentence.

    Events keep their year ("Conference 2010", "Juegos 2020"): the event nouns
    and ``year_names`` of the data file do not count as names.
    """
    i = offset - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    end = i + 1
    while i >= 0 and (text[i].isalnum() or text[i] in "-'’"):
        i -= 1
    word = text[i + 1 : end]
    camel = word[:1].islower() and any(ch.isupper() for ch in word[1:])
    if not word or not (word[0].isupper() or camel) or _opens(text, i + 1):
        return False
    return g is None or fold(word) not in g.year_names


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word continues or is continued by a name ("Arab Spring")."""
    if _after_name(None, text, start):
        return True
    following = text[end : end + 40].split(None, 1)
    return bool(following) and following[0][:1].isupper()


def _capital_allowed(m: re.Match[str], pattern: Pattern, text: str, start: int) -> bool:
    """A capitalised month is still a month after "en", "desde", "el pasado"... or
    with its year ("Marzo de 2020"): only a bare one may be a name ("Julio")."""
    year = pattern.prefix + "year"
    if year in m.re.groupindex and m.start(year) >= 0:
        return True
    return _licensed(pattern, text, start)


def _licensed(pattern: Pattern, text: str, start: int) -> bool:
    """Whether a date word ("en", "desde") just before ``start`` licenses a capital
    (in a Title-Case headline, "En Marzo" is no name though "En" is capitalised)."""
    after = pattern.capital_after
    return after is not None and after.search(text, max(0, start - 40), start) is not None


def _groups(m: re.Match[str], pattern: Pattern, text: str) -> dict[str, str] | None:
    """The pattern's groups by their plain names, read from the original text."""
    groups: dict[str, str] = {}
    for key, name in pattern.groups:
        start, end = m.span(key)
        if start < 0:
            continue
        if name in pattern.capitalised and text[start].islower():
            return None
        if (
            name in pattern.lowercase
            and text[start].isupper()
            and not _opens(text, start)
            and not _capital_allowed(m, pattern, text, start)
        ):
            return None
        if (
            name in pattern.name_part
            and text[start].isupper()
            and _in_name(text, start, end)
            and not _licensed(pattern, text, start)
        ):
            return None
        groups[name] = text[start:end]
    return groups


def _scan(
    g: Grammar, text: str, folded: str, lowered: str, sentence: Sentence, anchor: dt.date
) -> list[_Match]:
    """Grammar matches in one sentence, resolved (parts and sets have no period).

    ``folded`` (lower case, no accents) is what the patterns read; ``lowered``
    (accents kept: "llegó" is no "llego") is what the tense cues read.
    """
    found: list[_Match] = []
    reach = int(g.settings.get("cue_reach", 1000))
    regex = g.regex
    done = sentence.start
    tense: tuple[int, int, int] | None = None  # the sentence's tense, read once when needed
    for start in _starts(g, folded, sentence):
        if start < done:
            continue
        m = regex.match(folded, start, sentence.end)
        if m is None or m.end() == start:
            continue
        done = m.end()
        end = m.end()
        if text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end):
            end = len(text[: end - 1].rstrip())  # "17.30 GMT)": the parenthesis opened before
        name = m.lastgroup
        if name is None or name not in g.patterns:
            continue
        pattern = g.patterns[name]
        groups = _groups(m, pattern, text)
        if groups is None:
            continue  # a lower-case "may" is no month
        if pattern.kind == "year" and text[start] in _YEAR_START and _after_name(g, text, start):
            continue  # "Ryzen 2000", "Windows 2000", "iLife '11": a model, not a year

        cues = _cues(
            g,
            lowered,
            max(sentence.start, m.start() - reach - _CUE_LENGTH),
            min(sentence.end, end + reach),
        )
        direction = _direction(g, text, cues, m.start(), end)
        if abs(direction) < 2:
            if tense is None:
                tense = _sentence_tense(g, lowered, sentence)
            sign, first_cue, votes = tense
            # "On Jan. 6, a mob of supporters, many of whom had attended a rally,
            # stormed the building": a date that leads its sentence takes the
            # tense of the verbs after it, however far. A day of a month does
            # anywhere in a sentence whose verbs agree ("El accidente ocurrió,
            # según informó la policía, el día dos de marzo": last March, though
            # a year back); one lone cue may be a participle ("slated for").
            day = pattern.kind == "date" and "day" in groups and "month" in groups
            if sign and direction in (0, sign) and (m.start() < first_cue or (day and votes > 1)):
                direction = 2 * sign
        direction = direction or int(g.settings.get("default_direction", 0))
        period = None
        if pattern.kind not in ("part", "weekof", "ignore"):
            period = resolve(g, pattern.kind, groups, anchor, direction)
            if period is None:
                continue
        found.append(_Match(m.start(), end, pattern.kind, period, direction, groups))
    return found


def _merge(g: Grammar, text: str, matches: list[_Match]) -> list[_Match]:
    """Join "early/late ..." with what follows and a day with its time of day.

    A weekday in apposition to a day ("hoy, martes") is given that same day.
    """
    out: list[_Match] = []
    i = 0
    while i < len(matches):
        cur = matches[i]
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if cur.kind in ("part", "weekof"):
            if nxt and nxt.period and g.part_gap.fullmatch(text, cur.end, nxt.start):
                period = nxt.period
                if cur.kind == "weekof" and period.is_day and period.start is not None:
                    period = cal.week_of(period.start)  # "the week of March 9"
                out.append(_Match(cur.start, nxt.end, nxt.kind, period, nxt.direction, nxt.groups))
                i += 2
            else:
                i += 1
            continue
        if cur.kind == "ignore" or cur.period is None:
            i += 1
            continue
        if nxt and nxt.period and g.merge_gap.fullmatch(text, cur.end, nxt.start):
            a, b = cur.period, nxt.period
            # A bare clock time is of the day it joins ("Saturday morning at 9").
            if nxt.kind == "time" and a.start is not None and b.time:
                b = cal.at_time(a.start, b.time)
            elif cur.kind == "time" and b.start is not None and a.time:
                a = cal.at_time(b.start, a.time)
            joined = _join(a, b)
            if joined:
                out.append(_Match(cur.start, nxt.end, "joined", joined, cur.direction))
                i += 2
                continue
        out.append(cur)
        i += 1
    for before, weekday in pairwise(out):
        named, said = before.period, weekday.period
        if (
            weekday.kind == "weekday"
            and named is not None
            and said is not None
            and named.start is not None
            and said.start is not None
            and named.granularity in ("day", "time")
            and _APPOSITION.fullmatch(text, before.end, weekday.start)
        ):
            # "hoy, martes", "mañana, miércoles": the weekday names that same day.
            same = cal.weekday_date(named.start, said.start.weekday(), 0, strict=False)
            weekday.period = cal.day(same)
    return out


_LATE_PARTS = frozenset({"AF", "EV", "NI"})
#: A comma between a day and a weekday in apposition ("hoy, martes").
_APPOSITION = re.compile(r"\s*,\s*")


def _join(a: Period, b: Period) -> Period | None:
    """Two adjacent expressions that name one point or day together.

    A day and a bare time of day ("hoy a las 10:00", "16:00 UTC today"); a part
    of day and a clock time ("this evening at 8"); a weekday and the week it
    falls in ("el miércoles de la semana que viene").
    """
    if a.start is None or b.start is None:
        return None
    if a.is_day and b.granularity == "time" and b.time:
        return cal.at_time(a.start, b.time)
    if b.is_day and a.granularity == "time" and a.time:
        return cal.at_time(b.start, a.time)
    if a.granularity == "time" and b.granularity == "time" and a.start == b.start:
        part, clock = (a.time, b.time) if a.time in cal.DAYPARTS else (b.time, a.time)
        if part in cal.DAYPARTS and clock[:2].isdigit():
            hour = int(clock[:2])
            if part in _LATE_PARTS and hour < 12:
                clock = f"{hour + 12:02d}{clock[2:]}"
            return cal.at_time(a.start, clock)
    if a.is_day and b.granularity == "week":
        return cal.day(b.start + dt.timedelta(days=a.start.weekday()))
    return None


def _upcoming(period: Period, anchor: dt.date, direction: int) -> bool:
    """After the anchor at the period's own granularity (a time today: if said so)."""
    if period.granularity == "ref":
        return period.value == "FUTURE_REF"
    if period.start is None:
        return False
    if period.granularity == "time" and period.start == anchor:
        return direction > 0
    return period.start > anchor


#: Kinds resolved against the day last mentioned rather than the publication day.
_ANAPHORIC = frozenset({"sameday", "nextday", "later"})

#: Kinds resolved against the period the same sentence named before them.
_SENTENCE_ANAPHORIC = frozenset({"wholeunit"})


def _names_an_event(g: Grammar, text: str, start: int, end: int) -> bool:
    """Whether a weekday is the complement of a noun rather than a clause's own time
    ("la marcha del jueves", "Thursday's march": the grammar's ``weekday_noun_*``)."""
    return bool(
        (g.weekday_noun_start is not None and g.weekday_noun_start.match(text, start))
        or (g.weekday_noun_end is not None and g.weekday_noun_end.match(text, end))
    )


def _shifted(groups: dict[str, str]) -> bool:
    """Whether a weekday is marked as the last, next or this one ("el pasado lunes")."""
    return any(groups.get(name) for name in ("shift", "shift2", "this"))


def _counts_from(counted: Period, last: Period | None) -> bool:
    """Whether "N units later" may be counted from ``last``, a period coarser than a day.

    Years from any date ("En 2009 ... tres años después"); months only from a
    month ("En marzo de 1995 ... un mes después": April). Finer units from a
    coarse period would invent a day ("En 2009 ... dos días después").
    """
    if counted.granularity == "year":
        return True
    return counted.granularity == "month" and last is not None and last.granularity == "month"


#: A 24-hour clock written with "h" ("3h18", "15h").
_HOUR_MARK = re.compile(r".*\dh", re.I)


def _next_after(period: Period, groups: dict[str, str], text: str, now: dt.time) -> Period:
    """A bare clock time's next occurrence after ``now`` on the anchor day.

    "3:30" said at 04:30 is 15:30 (a 12-hour reading without a.m./p.m.); "3 am"
    or "03:18" is tomorrow's. Only for phrases read with a reference time.
    """
    clock = period.time
    if period.start is None or not clock[:2].isdigit() or clock[2:3] != ":":
        return period
    hour, minute, rest = int(clock[:2]), int(clock[3:5]), clock[5:]
    if hour >= now.hour:  # later today, or within the current hour
        return period
    hour_text = groups.get("hour", "").strip()
    # "3:30" may be either half of the day; "3 am", "03:18" and "3h18" may not.
    twelve_hour = (
        not groups.get("ampm")
        and hour_text[:1] != "0"
        and 1 <= hour <= 11
        and bool(hour_text)
        and not _HOUR_MARK.match(text)
    )
    if twelve_hour and dt.time(hour + 12, minute) > now:
        return cal.at_time(period.start, f"{hour + 12:02d}:{minute:02d}{rest}")
    return cal.at_time(period.start + dt.timedelta(days=1), clock)


def find_dates(
    doc: Document,
    published: dt.date,
    explicit_anchor: bool,
    *,
    lean: Lean = "news",
    now: dt.time | None = None,
    names: Sequence[tuple[int, int]] = (),
) -> list[DateMention]:
    """Date mentions in text order, resolved against ``published``.

    Without an explicit publication date, ``published`` is today: values are the
    same, only "upcoming" then means "after today". ``lean`` is how a date
    without a tense cue is read: ``"news"`` (the default, for stories) or
    ``"future"`` (for scheduling phrases, as Duckling reads them). ``now``, a
    reference time of day, makes a bare clock time its next occurrence ("3:30"
    at 04:30 is 15:30); news leaves it unset. ``names`` are the spans of people
    and organisations in the text: an event is never one of them.
    """
    g = grammar_for(doc.language, lean)
    if g is None:
        return []
    mentions: list[DateMention] = []
    last_day: dt.date | None = None
    last_period: Period | None = None
    last_start: dt.date | None = None
    last_any: Period | None = None
    said_weekdays: dict[int, dt.date] = {}
    text = doc.text
    folded = fold(text)
    lowered = text.lower()
    if len(folded) != len(text):  # a rare letter whose lower case is two characters
        folded = "".join(fold(ch)[:1] or ch for ch in text)
        lowered = "".join(ch.lower()[:1] or ch for ch in text)
    for sentence in doc.sentences:
        matches = _merge(g, text, _scan(g, text, folded, lowered, sentence, published))
        phrases = event_phrases(g, text, sentence) if matches else []
        sentence_day: dt.date | None = None
        sentence_start: dt.date | None = None
        for m in matches:
            period = m.period
            if period is None:
                continue
            if m.kind == "time" and sentence_day is not None and period.time:
                # "el pasado martes ... a las 18:00 UTC": the clock time of the
                # day the sentence already named, not of the publication day.
                period = cal.at_time(sentence_day, period.time)
            elif m.kind == "time" and now is not None:
                period = _next_after(period, m.groups, text[m.start : m.end], now)
            if m.kind == "then":
                # "desde entonces": whatever date was last spoken of, or nothing.
                if last_any is None:
                    continue
                period = last_any
            if (
                m.kind == "daypart"
                and not m.groups.get("this")
                and not m.groups.get("shift")
                and last_day is not None
                and period.time
            ):
                # "El lunes se reunieron ... Por la tarde, la empresa cedió": a
                # part of day with no "this" is of the day the story is telling.
                period = cal.at_time(last_day, period.time)
            if m.kind == "weekday" and not _shifted(m.groups) and period.start is not None:
                # One sense per story: "la marcha del jueves", "Thursday's march"
                # name an event the story already placed, whatever the tense of
                # the clause that repeats it; a weekday of its own clause
                # ("the board meets on Monday") keeps its tense.
                key = period.start.weekday()
                first = said_weekdays.setdefault(key, period.start)
                if first != period.start and _names_an_event(g, text, m.start, m.end):
                    period = cal.at_time(first, period.time) if period.time else cal.day(first)
            if m.kind == "thatunit":
                # "ese año", "that night": the period holding the date last
                # spoken of; with none before it there is nothing to point at.
                held = last_day if m.groups.get("daypart") else last_start
                counted = resolve(g, m.kind, m.groups, held, m.direction) if held else None
                if counted is None:
                    continue
                period = counted
            if m.kind in _ANAPHORIC and last_day is not None:
                # "ese mismo día", "two days later": counted from the day last mentioned.
                period = resolve(g, m.kind, m.groups, last_day, m.direction) or period
            elif m.kind == "later":
                # "En 2009 ... tres años después": years from the year last
                # mentioned; with no date before it ("Seven decades later"),
                # later than some event, not than the publication day.
                counted = (
                    resolve(g, m.kind, m.groups, last_start, m.direction) if last_start else None
                )
                if (
                    counted is None
                    and m.period is not None
                    and m.period.granularity == "year"
                    and m.period.start is not None
                    and m.period.start < published
                ):
                    # "from $3m a year earlier", "frente a un año antes": with no
                    # date before it, years back are counted from publication.
                    counted = m.period
                elif counted is None or not _counts_from(counted, last_any):
                    continue
                period = counted
            if m.kind in _SENTENCE_ANAPHORIC and sentence_start is not None:
                # "en el cuarto trimestre del 2005 y en todo el año": that year.
                period = resolve(g, m.kind, m.groups, sentence_start, m.direction) or period
            if m.kind == "previousunit" and last_start is not None:
                # "the previous year": the year before the one last spoken of.
                period = resolve(g, m.kind, m.groups, last_start, m.direction) or period
            if m.kind == "lastyearsperiod" and last_period is not None:
                # "the same month a year ago": the period last spoken of, a year back.
                period = cal.year_before(last_period) or period
            if period.granularity in ("day", "time") and period.start is not None:
                last_day = period.start
                if m.kind != "time":
                    sentence_day = period.start
            if period.granularity in ("day", "month", "quarter"):
                last_period = period
            if period.start is not None and period.granularity != "ref":
                last_start = period.start
                sentence_start = period.start
                last_any = period
            mentions.append(
                DateMention(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    value=period.value,
                    granularity=period.granularity,
                    upcoming=_upcoming(period, published, m.direction),
                    sentence=sentence.index,
                    event=""
                    if period.granularity == "ref"
                    else find_event(g, text, sentence, m.start, m.end, phrases, names),
                )
            )
    return mentions
