"""The export's data: each selected story with its lead and short analysis lists.

Built once, rendered by ``markdown`` and ``jsonexport``, so both formats carry
the same facts. Analysis comes from the store's cache (computed and cached on a
miss, via ``tui.story_analysis.analysis_for``); an analysis failure never stops an
export: the story is exported without its lists and counted in ``analysis_errors``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from tui.analysis.model import DEFAULT_MIN_CONFIDENCE, Analysis, AnalysisData, above_confidence
from tui.analysis_text import analysis_text
from tui.export.periods import readable_timestamp, value_bounds, value_label
from tui.export.selection import GroupBy, Selection, iter_pages
from tui.sources.links import web_link
from tui.store import Store, Story
from tui.text_limits import clip
from tui.timex import DateStatus, date_status

#: Gives the analysis of a story: an ``Analysis`` or its cached form (``AnalysisData``,
#: the typed dict the cache holds: exports read thousands, so they skip the dataclasses).
AnalysisProvider = Callable[[Store, Story], Analysis | AnalysisData]
LEAD_TARGET = 280
LEAD_PARAGRAPH_MAX = 700
_PARAGRAPH_RE = re.compile(r"\n\s*\n")


class ActorLine(NamedTuple):
    """One actor of a story (all its mentions folded under its canonical name).

    Line records are named tuples, not dataclasses: a big export builds hundreds
    of thousands of them and tuples are twice as fast to create.
    """

    name: str
    kind: str
    role: str
    mentions: int


class CommitmentLine(NamedTuple):
    """Who commits to what, by when, and the sentence that says so."""

    actor: str
    action: str
    kind: str
    trigger: str
    negated: bool
    due: str
    due_label: str
    sentence: str


class UpcomingLine(NamedTuple):
    """An upcoming (or was-upcoming) date of a story with its event (or, lacking one,
    its sentence); ``status`` is ``tui.timex.date_status`` on the export's day."""

    value: str
    granularity: str
    label: str
    event: str
    sentence_index: int
    sentence: str
    status: str = "upcoming"


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One story as exported."""

    id: int
    uid: str
    title: str
    url: str
    sources: tuple[str, ...]
    published: str
    published_label: str
    language: str
    tags: tuple[str, ...]
    saved: bool
    note: str
    lead: tuple[str, ...]
    actors: tuple[ActorLine, ...] = ()
    commitments: tuple[CommitmentLine, ...] = ()
    upcoming: tuple[UpcomingLine, ...] = ()
    #: Dates that were ahead when the story was published but are over now.
    was_upcoming: tuple[UpcomingLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportDocument:
    """A whole export: title, what was selected, and the stories in their groups."""

    title: str
    generated: dt.datetime
    selection: Selection
    group_by: GroupBy
    groups: tuple[tuple[str, tuple[StoryEntry, ...]], ...]
    analysis_errors: int = 0
    stories: tuple[StoryEntry, ...] = field(default=())


def default_analysis(store: Store, story: Story) -> Analysis:
    """The cached analysis of ``story`` (imported lazily: the engine is heavy to load)."""
    from tui.story_analysis import analysis_for

    return analysis_for(store, story)


def cached_analysis_data(store: Store, story: Story) -> AnalysisData:
    """The cached analysis of ``story`` as stored (a dict), analysing on a miss.

    Exports read thousands of cached analyses; skipping ``Analysis.from_dict``
    for each one is a third of the cost of a large export.
    """
    from tui.analysis import ANALYSER_VERSION

    data = store.cached_analysis(story.id, ANALYSER_VERSION)
    if data is not None:
        return cast(AnalysisData, data)  # the cache holds ``Analysis.to_dict()``
    return default_analysis(store, story).to_dict()


def _first_paragraphs(text: str, count: int) -> list[str]:
    """Up to ``count`` non-empty paragraphs from the start, reading no further than needed."""
    out: list[str] = []
    pos = 0
    while len(out) < count and pos < len(text):
        match = _PARAGRAPH_RE.search(text, pos)
        end = match.start() if match else len(text)
        paragraph = " ".join(text[pos:end].split())
        if paragraph:
            out.append(paragraph)
        pos = match.end() if match else len(text)
    return out


def lead_of(text: str) -> tuple[str, ...]:
    """The first paragraph, or two when the first is short; each on one line."""
    paragraphs = _first_paragraphs(text, 2)
    if len(paragraphs) == 1 and "\n" in text.strip():
        # Text with one paragraph per line (no blank lines between them).
        paragraphs = [
            " ".join(line.split()) for line in text.strip().splitlines()[:2] if line.strip()
        ]
    out: list[str] = []
    total = 0
    for paragraph in paragraphs[:2]:
        if out and total >= LEAD_TARGET:
            break
        out.append(clip(paragraph, LEAD_PARAGRAPH_MAX))
        total += len(paragraph)
    return tuple(out)


class Sentences:
    """Sentences of one story's analysed text, found without segmenting the whole story.

    A blank line always ends a sentence (see ``tui.analysis.segment``), so the
    sentence around an offset is found by segmenting only its paragraph: exports
    of thousands of stories stay fast. Sentence *indexes* come from the analysis.
    """

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language or "en"
        self._paragraphs: dict[int, list[tuple[int, int]]] = {}

    def _spans_around(self, offset: int) -> list[tuple[int, int]]:
        start = self.text.rfind("\n\n", 0, offset)
        start = 0 if start < 0 else start + 2
        spans = self._paragraphs.get(start)
        if spans is None:
            end = self.text.find("\n\n", offset)
            end = len(self.text) if end < 0 else end
            found = _sentence_spans(self.text[start:end], self.language)
            spans = [(start + a, start + b) for a, b in found]
            self._paragraphs[start] = spans
        return spans

    def span_at(self, offset: int) -> tuple[int, int] | None:
        """Start and end of the sentence containing ``offset``."""
        if not 0 <= offset < len(self.text):
            return None
        for start, end in self._spans_around(offset):
            if start <= offset < end:
                return start, end
        return None

    def at(self, offset: int) -> str:
        """The sentence containing ``offset`` (whitespace collapsed); ``""`` when none."""
        where = self.span_at(offset)
        return " ".join(self.text[where[0] : where[1]].split()) if where else ""

    def all_spans(self) -> list[tuple[int, int]]:
        """Every sentence span of the text, in order (segments the whole text once)."""
        return _sentence_spans(self.text, self.language)


def _sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence boundaries as the analysis finds them, without tokenising.

    Imported lazily (the engine's word lists are heavy); tokenising every
    sentence would triple the cost of a large export.
    """
    from tui.analysis.segment import sentence_spans

    return sentence_spans(text, language)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def actor_lines(analysis: AnalysisData) -> tuple[ActorLine, ...]:
    """Actors by canonical name, most mentioned first (ties: first mentioned first)."""
    kinds: dict[str, str] = {}
    roles: dict[str, str] = {}
    counts: dict[str, int] = {}
    for actor in analysis.get("actors", ()):
        name = actor["name"] or actor["text"]
        if name in counts:
            counts[name] += 1
            if not roles[name] and actor.get("role"):
                roles[name] = actor["role"]
        else:
            counts[name] = 1
            kinds[name] = actor["kind"]
            roles[name] = actor.get("role") or ""
    # dicts keep first-mention order and ``sorted`` is stable: ties stay in text order.
    ranked = sorted(counts, key=counts.__getitem__, reverse=True) if len(counts) > 1 else counts
    return tuple(ActorLine(n, kinds[n], roles[n], counts[n]) for n in ranked)


def commitment_lines(
    analysis: AnalysisData, sentences: Sentences, language: str = "en"
) -> tuple[CommitmentLine, ...]:
    """Commitments in text order, each with the sentence it was found in."""
    out = []
    for c in analysis.get("commitments", ()):
        names = c.get("actor_names") or ()
        due = c.get("due") or ""
        out.append(
            CommitmentLine(
                actor=_one_line(", ".join(names) if names else c.get("actor", "")),
                action=_one_line(c.get("action", "")),
                kind=c.get("kind", ""),
                trigger=_one_line(c.get("trigger", "")),
                negated=bool(c.get("negated")),
                due=due,
                due_label=value_label(due, "", language) if due else "",
                sentence=sentences.at(int(c["start"])) or _one_line(c.get("text", "")),
            )
        )
    return tuple(out)


def upcoming_lines(
    analysis: AnalysisData,
    sentences: Sentences,
    today: dt.date | None = None,
    *,
    status: DateStatus = "upcoming",
    language: str = "en",
) -> tuple[UpcomingLine, ...]:
    """Dates of ``status`` on ``today`` (``tui.timex.date_status``), soonest first;
    one line per (value, event)."""
    day = today or dt.date.today()
    seen: set[tuple[str, str]] = set()
    out = []
    for d in analysis.get("dates", ()):
        value = str(d["value"])
        if date_status(value, bool(d.get("upcoming")), day) != status:
            continue  # not of the wanted kind, or not a calendar date ("FUTURE_REF")
        event = _one_line(d.get("event") or "")
        key = (value, event.casefold())
        if key in seen:
            continue
        seen.add(key)
        out.append(
            UpcomingLine(
                value=value,
                granularity=d["granularity"],
                label=value_label(value, d["granularity"], language),
                event=event,
                sentence_index=int(d["sentence"]),
                sentence=sentences.at(int(d["start"])),
                status=status,
            )
        )

    def order(line: UpcomingLine) -> tuple[str, str, str]:
        span = value_bounds(line.value)
        first = span[0].isoformat() if span else "9999"
        last = span[1].isoformat() if span else "9999"
        return (first, last, line.value)

    return tuple(sorted(out, key=order))


def shown_data(data: AnalysisData, min_confidence: float) -> AnalysisData:
    """``data`` with only the actor mentions confident enough to export."""
    return above_confidence(data, min_confidence)


def as_data(analysis: Analysis | AnalysisData) -> AnalysisData:
    """The dict form of an analysis (what the cache holds)."""
    if isinstance(analysis, Analysis):
        return analysis.to_dict()
    return analysis


def story_entry(
    store: Store,
    story: Story,
    analysis: Analysis | AnalysisData | None,
    *,
    sources: Iterable[str] = (),
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> StoryEntry:
    """Everything exported about one story (``analysis`` ``None``: no lists); actor
    mentions below ``min_confidence`` are left out, as on the desk."""
    labels = tuple(sources) or ((story.source,) if story.source else ())
    data = shown_data(as_data(analysis), min_confidence) if analysis is not None else None
    today = store.today()
    was: tuple[UpcomingLine, ...] = ()
    if data:
        language = data.get("language") or story.language
        sentences = Sentences(analysis_text(story), language)
        actors = actor_lines(data)
        commitments = commitment_lines(data, sentences, language)
        upcoming = upcoming_lines(data, sentences, today, language=language)
        was = upcoming_lines(data, sentences, today, status="was_upcoming", language=language)
    else:
        actors, commitments, upcoming = (), (), ()
    return StoryEntry(
        id=story.id,
        uid=story.uid,
        title=_one_line(story.title),
        url=web_link(story.url),
        sources=labels,
        published=story.published,
        published_label=readable_timestamp(story.published) if story.published else "",
        language=story.language,
        tags=story.tags,
        saved=story.saved,
        note=story.note.strip(),
        lead=lead_of(story.text),
        actors=actors,
        commitments=commitments,
        upcoming=upcoming,
        was_upcoming=was,
    )


def _group_names(story: StoryEntry, group_by: GroupBy, selection: Selection) -> str:
    if group_by == "tag":
        wanted = {t.casefold(): t for t in story.tags}
        for tag in selection.tags:
            if tag.casefold() in wanted:
                return wanted[tag.casefold()]
        return sorted(story.tags, key=str.casefold)[0] if story.tags else ""
    if group_by == "source":
        return story.sources[0] if story.sources else ""
    if group_by == "date":
        return story.published[:10]
    return ""


def group_stories(
    stories: list[StoryEntry], group_by: GroupBy, selection: Selection
) -> tuple[tuple[str, tuple[StoryEntry, ...]], ...]:
    """Stories in groups; each story appears once (under its first selected tag).

    Tags and sources are in alphabetical order with the empty group ("Untagged",
    unknown source) last; dates newest first. Within a group, the export order.
    """
    if group_by == "none":
        return (("", tuple(stories)),)
    groups: dict[str, list[StoryEntry]] = {}
    for story in stories:
        groups.setdefault(_group_names(story, group_by, selection), []).append(story)
    if group_by == "date":
        names = sorted(groups, reverse=True)
    elif group_by == "tag" and selection.tags:
        rank = {t.casefold(): i for i, t in enumerate(selection.tags)}
        names = sorted(
            groups, key=lambda n: (n == "", rank.get(n.casefold(), len(rank)), n.casefold())
        )
    else:
        names = sorted(groups, key=lambda n: (n == "", n.casefold(), n))
    return tuple((name, tuple(groups[name])) for name in names)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large export is assembled.

    Building an export allocates around a million small container objects that
    never form cycles; the collector would re-scan the growing heap again and
    again (about 10% of a 10k-story export). Reference counting still frees
    everything as usual, and the collector resumes, if it was on, at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_document(
    store: Store,
    selection: Selection,
    *,
    group_by: GroupBy = "none",
    generated: dt.datetime | None = None,
    title: str = "",
    analyse: AnalysisProvider | None = cached_analysis_data,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> ExportDocument:
    """Collect the selected stories with their analysis (``analyse=None``: skip analysis)."""
    with _collector_paused():
        stories, errors = _collect(store, selection, analyse, min_confidence)
    moment = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return ExportDocument(
        title=title or "newsdesk export",
        generated=moment,
        selection=selection,
        group_by=group_by,
        groups=group_stories(stories, group_by, selection),
        analysis_errors=errors,
        stories=tuple(stories),
    )


def _collect(
    store: Store,
    selection: Selection,
    analyse: AnalysisProvider | None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> tuple[list[StoryEntry], int]:
    stories: list[StoryEntry] = []
    errors = 0
    for page in iter_pages(store, selection.to_filter(), with_text=True):
        ids = [story.id for story in page]
        labels = store.source_labels(ids)
        # The default provider reads the cache: read a whole page of it in one query.
        cached: Mapping[int, AnalysisData] = (
            _page_of_cached(store, ids) if analyse is cached_analysis_data else {}
        )
        for story in page:
            analysis: Analysis | AnalysisData | None = cached.get(story.id)
            if analysis is None and analyse is not None:
                try:
                    analysis = analyse(store, story)
                except Exception:  # an analyser bug must not lose the user's export
                    errors += 1
            stories.append(
                story_entry(
                    store,
                    story,
                    analysis,
                    sources=labels.get(story.id, []),
                    min_confidence=min_confidence,
                )
            )
    return stories, errors


def _page_of_cached(store: Store, ids: list[int]) -> Mapping[int, AnalysisData]:
    from tui.analysis import ANALYSER_VERSION

    return cast(Mapping[int, AnalysisData], store.cached_analyses(ids, ANALYSER_VERSION))
