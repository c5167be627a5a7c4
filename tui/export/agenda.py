"""The agenda: every upcoming date across stories, duplicates merged, grouped by period.

Rows come from the store's ``story_dates`` index (filled when an analysis is
saved); stories of the selection without an analysis are analysed first (and
cached). Several stories often announce the same event ("the security group
meets on 23 January"): mentions with the same value whose normalised events are
similar, or whose sentences name an overlapping person or organisation, become
ONE entry listing every story. Places do not count as overlap: "Washington" is
in too many sentences to say two of them describe the same event.

Entries carry a stable ``uid`` (value + normalised event) so that a calendar
re-importing the ``.ics`` updates events instead of duplicating them, and each
source carries the story id and sentence index the desk needs to open the story
at that sentence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.analysis.model import AnalysisData
from tui.analysis_text import analysis_text
from tui.export.document import (
    AnalysisProvider,
    Sentences,
    as_data,
    cached_analysis_data,
)
from tui.export.periods import (
    MONTHS,
    TimeValue,
    day_label,
    parse_time,
    period_kind,
    short_day,
    value_bounds,
    value_label,
)
from tui.export.selection import iter_stories
from tui.sources.links import web_link
from tui.store import Store, StoryFilter, UpcomingDate
from tui.text_limits import clip

EVENT_SIMILARITY = 0.5
_WORD_RE = re.compile(r"\w+")
_STOPWORDS = frozenset(
    """a al an and at by de del el en for from in la las lo los of on or para por que
    se the to un una y con sobre will would ser será next próximo próxima meeting""".split()
)
_EXCLUDED_OVERLAP_KINDS = frozenset({"place"})


@dataclass(frozen=True, slots=True)
class AgendaSource:
    """A story that mentions an agenda entry, and where (sentence index) it does."""

    story_id: int
    uid: str
    title: str
    url: str
    published: str
    sentence_index: int
    sentence: str


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One upcoming event (possibly reported by several stories)."""

    uid: str
    value: str
    granularity: str
    kind: str
    first: dt.date
    last: dt.date
    label: str
    event: str
    actors: tuple[str, ...]
    sources: tuple[AgendaSource, ...]

    @property
    def time(self) -> TimeValue | None:
        """Clock time and zone when the value is a time, else ``None``."""
        return parse_time(self.value)

    @property
    def summary(self) -> str:
        """What happens: the event, else the first source's sentence (clipped)."""
        if self.event:
            return self.event
        sentence = self.sources[0].sentence if self.sources else ""
        return clip(" ".join(sentence.split()), 140) if sentence else "(date mentioned)"


@dataclass(frozen=True, slots=True)
class AgendaGroup:
    """The entries of one day, week, month (or longer period)."""

    kind: str
    label: str
    first: dt.date
    last: dt.date
    entries: tuple[AgendaEntry, ...]


@dataclass(frozen=True, slots=True)
class Agenda:
    """The agenda of a selection: groups in date order, plus bookkeeping."""

    start: dt.date | None
    end: dt.date | None
    tags: tuple[str, ...]
    groups: tuple[AgendaGroup, ...]
    analysis_errors: int = 0

    @property
    def entries(self) -> list[AgendaEntry]:
        """Every entry in order."""
        return [e for g in self.groups for e in g.entries]


def normalise_words(text: str) -> tuple[str, ...]:
    """Content words of ``text``: case-folded, accents removed, stopwords dropped, sorted."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = {w for w in _WORD_RE.findall(plain) if len(w) > 1 and w not in _STOPWORDS}
    return tuple(sorted(words))


def similar_events(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two normalised events describe the same thing: one contains the other, or Jaccard ≥ 0.5."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return False
    if sa <= sb or sb <= sa:
        return True
    return len(sa & sb) / len(sa | sb) >= EVENT_SIMILARITY


def entry_uid(value: str, event_words: Sequence[str], fallback: str = "") -> str:
    """A stable UID: the same value and normalised event give the same UID on every export."""
    basis = f"{value.strip().upper()}|{' '.join(event_words) or fallback}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:20] + "@newsdesk"


@dataclass(slots=True)
class _Mention:
    story_id: int
    seq: int
    value: str
    granularity: str
    event: str
    words: tuple[str, ...]
    actors: tuple[str, ...]
    overlap: frozenset[str]
    source: AgendaSource


def _sentence_actors(
    analysis: AnalysisData, span: tuple[int, int] | None
) -> tuple[list[str], set[str]]:
    if span is None:
        return [], set()
    names: list[str] = []
    overlap: set[str] = set()
    for actor in analysis.get("actors", ()):
        if span[0] <= int(actor["start"]) < span[1]:
            name = " ".join(str(actor["name"] or actor["text"]).split())
            if name and name not in names:
                names.append(name)
            if name and actor["kind"] not in _EXCLUDED_OVERLAP_KINDS:
                overlap.add(name.casefold())
    return names, overlap


def _merge(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Union-find over the mentions of one value."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            b = mentions[j]
            if similar_events(a.words, b.words) or (a.overlap & b.overlap):
                parent[find(j)] = find(i)
    clusters: dict[int, list[_Mention]] = {}
    for i, m in enumerate(mentions):
        clusters.setdefault(find(i), []).append(m)
    return list(clusters.values())


def _entry(cluster: list[_Mention]) -> AgendaEntry:
    cluster.sort(key=lambda m: (m.story_id, m.seq))
    first = cluster[0]
    event = next((m.event for m in cluster if m.event), "")
    words = next((m.words for m in cluster if m.event), ())
    actors: list[str] = []
    sources: list[AgendaSource] = []
    seen_sources: set[int] = set()
    for m in cluster:
        actors.extend(a for a in m.actors if a not in actors)
        if m.story_id not in seen_sources:
            seen_sources.add(m.story_id)
            sources.append(m.source)
    span = value_bounds(first.value)
    assert span is not None  # rows without bounds are filtered out before
    fallback = f"{first.source.uid}#{first.source.sentence_index}"
    return AgendaEntry(
        uid=entry_uid(first.value, words, fallback),
        value=first.value,
        granularity=first.granularity,
        kind=period_kind(first.value, first.granularity),
        first=span[0],
        last=span[1],
        label=value_label(first.value, first.granularity),
        event=event,
        actors=tuple(actors),
        sources=tuple(sources),
    )


def _selected_ids(store: Store, tags: tuple[str, ...], all_tags: bool) -> set[int] | None:
    if not tags:
        return None
    flt = StoryFilter(tags=tags, all_tags=all_tags)
    return {s.id for s in iter_stories(store, flt, with_text=False)}


def ensure_analysed(
    store: Store, selected: set[int] | None, analyse: AnalysisProvider = cached_analysis_data
) -> int:
    """Analyse (and cache) stories of the selection that have no analysis yet; return failures."""
    try:
        from tui.analysis import ANALYSER_VERSION
    except Exception:  # the engine cannot load: use whatever the index already holds
        return 0
    pending = store.stories_without_analysis(ANALYSER_VERSION, limit=1 << 62)
    errors = 0
    for story_id in sorted(pending):
        if selected is not None and story_id not in selected:
            continue
        try:
            analyse(store, store.story(story_id))
        except Exception:  # one broken story must not hide the rest of the agenda
            errors += 1
    return errors


def build_agenda(
    store: Store,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tags: Iterable[str] = (),
    all_tags: bool = False,
    analyse: AnalysisProvider = cached_analysis_data,
    analyse_missing: bool = True,
) -> Agenda:
    """Upcoming dates overlapping [start, end] (open ends allowed), merged and grouped."""
    tag_tuple = tuple(tags)
    selected = _selected_ids(store, tag_tuple, all_tags)
    errors = ensure_analysed(store, selected, analyse) if analyse_missing else 0
    rows = store.upcoming_dates(start=start.isoformat() if start else None)
    by_story: dict[int, list[UpcomingDate]] = {}
    for row in rows:
        story_id = int(row.story_id)
        if selected is not None and story_id not in selected:
            continue
        span = value_bounds(str(row.value))
        if span is None:
            continue
        if (start and span[1] < start) or (end and span[0] > end):
            continue
        by_story.setdefault(story_id, []).append(row)
    by_value: dict[str, list[_Mention]] = {}
    for story_id, story_rows in by_story.items():
        story = store.story(story_id)
        analysis: AnalysisData | None
        try:
            analysis = as_data(analyse(store, story))
        except Exception:
            analysis, errors = None, errors + 1
        language = str(analysis.get("language") or story.language) if analysis else story.language
        sentences = Sentences(analysis_text(story), language)
        dates = list(analysis.get("dates", ())) if analysis else []
        all_spans: list[tuple[int, int]] | None = None
        for row in story_rows:
            index = int(row.sentence)
            seq = int(row.seq)
            where: tuple[int, int] | None = None
            if seq < len(dates) and dates[seq]["value"] == row.value:
                where = sentences.span_at(int(dates[seq]["start"]))
            else:  # the index row and the cached analysis disagree: segment the whole text
                all_spans = all_spans if all_spans is not None else sentences.all_spans()
                where = all_spans[index] if 0 <= index < len(all_spans) else None
            names, overlap = _sentence_actors(analysis, where) if analysis else ([], set())
            text = sentences.text
            sentence = " ".join(text[where[0] : where[1]].split()) if where else ""
            event = " ".join(str(row.event).split())
            value = str(row.value)
            by_value.setdefault(value.upper(), []).append(
                _Mention(
                    story_id=story_id,
                    seq=int(row.seq),
                    value=value,
                    granularity=str(row.granularity),
                    event=event,
                    words=normalise_words(event),
                    actors=tuple(names),
                    overlap=frozenset(overlap),
                    source=AgendaSource(
                        story_id=story_id,
                        uid=story.uid,
                        title=" ".join(story.title.split()),
                        url=web_link(story.url),
                        published=story.published,
                        sentence_index=index,
                        sentence=sentence,
                    ),
                )
            )
    entries = [_entry(cluster) for ms in by_value.values() for cluster in _merge(ms)]
    return Agenda(start, end, tag_tuple, group_entries(entries), errors)


def _entry_order(e: AgendaEntry) -> tuple[Any, ...]:
    t = e.time
    # Within a period: by clock time, then the most widely reported first.
    clock = t.time if t else dt.time(0)
    return (e.first, e.last, clock, -len(e.sources), e.value, e.summary.casefold(), e.uid)


def group_label(kind: str, first: dt.date, last: dt.date, sample: AgendaEntry) -> str:
    """``Friday 23 January 2026``, ``Week of 26 January 2026``, ``February 2026``."""
    if kind == "day":
        return day_label(first)
    if kind == "week":
        return f"Week of {short_day(first)}"
    if kind == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    label = value_label(sample.value, sample.granularity)
    return label[:1].upper() + label[1:]


def group_entries(entries: Iterable[AgendaEntry]) -> tuple[AgendaGroup, ...]:
    """Entries grouped by (period kind, first day, last day), in date order, shorter first."""
    groups: dict[tuple[str, dt.date, dt.date], list[AgendaEntry]] = {}
    for entry in sorted(entries, key=_entry_order):
        groups.setdefault((entry.kind, entry.first, entry.last), []).append(entry)
    keys = sorted(groups, key=lambda k: (k[1], k[2], k[0]))
    return tuple(
        AgendaGroup(kind, group_label(kind, first, last, groups[(kind, first, last)][0]), first, last,
                    tuple(groups[(kind, first, last)]))
        for kind, first, last in keys
    )  # fmt: skip


def _source_dict(s: AgendaSource) -> dict[str, Any]:
    return {
        "story_id": s.story_id,
        "uid": s.uid,
        "title": s.title,
        "url": s.url,
        "published": s.published,
        "sentence_index": s.sentence_index,
        "sentence": s.sentence,
    }


def _entry_dict(e: AgendaEntry) -> dict[str, Any]:
    return {
        "uid": e.uid,
        "value": e.value,
        "granularity": e.granularity,
        "label": e.label,
        "event": e.event,
        "summary": e.summary,
        "first": e.first.isoformat(),
        "last": e.last.isoformat(),
        "actors": list(e.actors),
        "sources": [_source_dict(s) for s in e.sources],
    }


def agenda_dict(agenda: Agenda) -> dict[str, Any]:
    """The agenda as JSON-ready data (groups in order, each with its entries)."""
    return {
        "format": "newsdesk-agenda",
        "version": 1,
        "from": agenda.start.isoformat() if agenda.start else None,
        "to": agenda.end.isoformat() if agenda.end else None,
        "tags": list(agenda.tags),
        "analysis_errors": agenda.analysis_errors,
        "groups": [
            {
                "kind": g.kind,
                "label": g.label,
                "first": g.first.isoformat(),
                "last": g.last.isoformat(),
                "entries": [_entry_dict(e) for e in g.entries],
            }
            for g in agenda.groups
        ],
    }


def entry_lines(entry: AgendaEntry) -> list[str]:
    """Plain-text lines of one entry (time, summary, actors, stories)."""
    t = entry.time
    when = f"{t.time.strftime('%H:%M')}{' ' + t.zone_label if t.zone_label else ''}  " if t else ""
    lines = [f"{when}{entry.summary}"]
    if entry.actors:
        lines.append("actors: " + ", ".join(entry.actors))
    for s in entry.sources:
        lines.append(f"[{s.story_id}] {s.title or '(untitled)'}" + (f"  {s.url}" if s.url else ""))
    return lines


def render_text(agenda: Agenda, sanitize: Callable[[str], str] = lambda s: s) -> str:
    """The agenda as plain text (``sanitize`` cleans feed text for the terminal)."""
    if not agenda.groups:
        return "No upcoming dates.\n"
    out: list[str] = []
    for group in agenda.groups:
        out.append(group.label)
        for entry in group.entries:
            first, *rest = entry_lines(entry)
            out.append("  • " + sanitize(first))
            out.extend("      " + sanitize(line) for line in rest)
        out.append("")
    return "\n".join(out)
