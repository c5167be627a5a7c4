"""The export's data: each selected story with its lead and short analysis lists.

Built once, rendered by ``markdown`` and ``jsonexport``, so both formats carry
the same facts. Analysis comes from the store's cache (computed and cached on a
miss, via ``tui.story_analysis.analysis_for``); an analysis failure never stops an
export: the story is exported without its lists and counted in ``analysis_errors``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from tui.analysis.model import Analysis
from tui.export.periods import readable_timestamp, value_bounds, value_label
from tui.export.selection import GroupBy, Selection, iter_stories
from tui.store import Store, Story

AnalysisProvider = Callable[[Store, Story], Analysis]
LEAD_TARGET = 280
LEAD_PARAGRAPH_MAX = 700
_PARAGRAPH_RE = re.compile(r"\n\s*\n")
_TITLE_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class ActorLine:
    """One actor of a story (all its mentions folded under its canonical name)."""

    name: str
    kind: str
    role: str
    mentions: int


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    """Who commits to what, by when, and the sentence that says so."""

    actor: str
    action: str
    kind: str
    trigger: str
    negated: bool
    due: str
    due_label: str
    sentence: str


@dataclass(frozen=True, slots=True)
class UpcomingLine:
    """An upcoming date of a story with its event (or, lacking one, its sentence)."""

    value: str
    granularity: str
    label: str
    event: str
    sentence_index: int
    sentence: str


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


def lead_of(text: str) -> tuple[str, ...]:
    """The first paragraph, or two when the first is short; each on one line."""
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_RE.split(text.strip())]
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) == 1 and "\n" in text.strip():
        # Text with one paragraph per line (no blank lines between them).
        paragraphs = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    out: list[str] = []
    total = 0
    for paragraph in paragraphs[:2]:
        if out and total >= LEAD_TARGET:
            break
        out.append(_clip(paragraph, LEAD_PARAGRAPH_MAX))
        total += len(paragraph)
    return tuple(out)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


class Sentences:
    """Sentence spans of one story's analysed text, segmented only when first needed."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        self._spans: list[tuple[int, int]] | None = None

    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            from tui.analysis.segment import segment

            doc = segment(self.text, self.language or "en")
            self._spans = [(s.start, s.end) for s in doc.sentences]
        return self._spans

    def by_index(self, index: int) -> str:
        spans = self.spans()
        if 0 <= index < len(spans):
            start, end = spans[index]
            return " ".join(self.text[start:end].split())
        return ""

    def at(self, offset: int) -> str:
        for start, end in self.spans():
            if start <= offset < end:
                return " ".join(self.text[start:end].split())
        return ""


def analysed_text(story: Story) -> str:
    """The text the analysis offsets point into (title, blank line, text)."""
    if story.title and story.text:
        return story.title + _TITLE_SEPARATOR + story.text
    return story.title or story.text


def actor_lines(analysis: Analysis) -> tuple[ActorLine, ...]:
    """Actors by canonical name, most mentioned first (ties: first mentioned first)."""
    seen: dict[str, list[object]] = {}
    for actor in analysis.actors:
        name = " ".join(actor.name.split()) or " ".join(actor.text.split())
        if not name:
            continue
        entry = seen.get(name)
        if entry is None:
            seen[name] = [actor.kind, actor.role.strip(), 1]
        else:
            entry[2] = int(str(entry[2])) + 1
            if not entry[1] and actor.role.strip():
                entry[1] = actor.role.strip()
    lines = [
        ActorLine(n, str(e[0]), " ".join(str(e[1]).split()), int(str(e[2])))
        for n, e in seen.items()
    ]
    order = {n: i for i, n in enumerate(seen)}
    return tuple(sorted(lines, key=lambda a: (-a.mentions, order[a.name])))


def commitment_lines(analysis: Analysis, sentences: Sentences) -> tuple[CommitmentLine, ...]:
    """Commitments in text order, each with the sentence it was found in."""
    out = []
    for c in analysis.commitments:
        actor = " ".join((", ".join(c.actor_names) if c.actor_names else c.actor).split())
        out.append(
            CommitmentLine(
                actor=actor,
                action=" ".join(c.action.split()),
                kind=c.kind,
                trigger=" ".join(c.trigger.split()),
                negated=c.negated,
                due=c.due,
                due_label=value_label(c.due, "") if c.due else "",
                sentence=sentences.at(c.start) or " ".join(c.text.split()),
            )
        )
    return tuple(out)


def upcoming_lines(analysis: Analysis, sentences: Sentences) -> tuple[UpcomingLine, ...]:
    """Upcoming dates soonest first; one line per (value, event)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for d in analysis.dates:
        if not d.upcoming:
            continue
        event = " ".join(d.event.split())
        key = (d.value, event.casefold())
        if key in seen:
            continue
        seen.add(key)
        out.append(
            UpcomingLine(
                value=d.value,
                granularity=d.granularity,
                label=value_label(d.value, d.granularity),
                event=event,
                sentence_index=d.sentence,
                sentence=sentences.by_index(d.sentence),
            )
        )

    def order(line: UpcomingLine) -> tuple[str, str, str]:
        span = value_bounds(line.value)
        first = span[0].isoformat() if span else "9999"
        last = span[1].isoformat() if span else "9999"
        return (first, last, line.value)

    return tuple(sorted(out, key=order))


def story_entry(
    store: Store, story: Story, analysis: Analysis | None, *, sources: Iterable[str] = ()
) -> StoryEntry:
    """Everything exported about one story (``analysis`` ``None``: no lists)."""
    labels = tuple(sources) or ((story.source,) if story.source else ())
    entry = StoryEntry(
        id=story.id,
        uid=story.uid,
        title=" ".join(story.title.split()),
        url=story.url.strip(),
        sources=labels,
        published=story.published,
        published_label=readable_timestamp(story.published) if story.published else "",
        language=story.language,
        tags=story.tags,
        saved=story.saved,
        note=story.note.strip(),
        lead=lead_of(story.text),
    )
    if analysis is None:
        return entry
    sentences = Sentences(analysed_text(story), analysis.language or story.language)
    return replace(
        entry,
        actors=actor_lines(analysis),
        commitments=commitment_lines(analysis, sentences),
        upcoming=upcoming_lines(analysis, sentences),
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


def build_document(
    store: Store,
    selection: Selection,
    *,
    group_by: GroupBy = "none",
    generated: dt.datetime | None = None,
    title: str = "",
    analyse: AnalysisProvider | None = default_analysis,
) -> ExportDocument:
    """Collect the selected stories with their analysis (``analyse=None``: skip analysis)."""
    stories: list[StoryEntry] = []
    errors = 0
    for story in iter_stories(store, selection.to_filter(), with_text=True):
        analysis: Analysis | None = None
        if analyse is not None:
            try:
                analysis = analyse(store, story)
            except Exception:  # an analyser bug must not lose the user's export
                errors += 1
        sources = store.story_source_labels(story.id)
        stories.append(story_entry(store, story, analysis, sources=sources))
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
