"""Result types of the analysis: the contract the desk, export and evaluation rely on.

Every mention carries character offsets into the analysed text so that the UI can
highlight it and the evaluation can map it back to tokens. The types are frozen
dataclasses: results are cached, shared between threads and never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, NotRequired, TypedDict, cast, overload

ActorKind = Literal["person", "organization", "place"]
Granularity = Literal["time", "day", "week", "month", "quarter", "half", "season", "year", "ref"]
CommitmentKind = Literal["agreement", "promise", "decision", "obligation", "plan"]

#: Mentions below this confidence are kept in the analysis but not shown or exported
#: unless the user's ``[analysis] min_confidence`` says otherwise: a highlight that is
#: wrong half the time teaches users to ignore the panel.
DEFAULT_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Actor:
    """One mention of a person, organisation or place.

    ``name`` is the canonical name that groups every mention of one actor in the
    story ("Rubio" and "Marco Rubio" share ``name="Marco Rubio"``); ``role`` is a
    title or position attached to the mention ("secretario de Estado"), if any.
    ``confidence`` (0-1) says how strong the evidence for the mention and its kind
    is: a gazetteer entry or a role is near 1, a capitalised word with nothing else
    for it is low. Analyses cached before it existed load with 1.0 (they were all
    shown).
    """

    start: int
    end: int
    text: str
    kind: ActorKind
    name: str
    role: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or time expression resolved to a TIMEX3-style ``value``.

    ``upcoming`` is true when the value lies after the publication date (or today)
    at its own granularity; ``event`` names what happens then, when the sentence says.
    """

    start: int
    end: int
    text: str
    value: str
    granularity: Granularity
    upcoming: bool
    sentence: int
    event: str = ""


@dataclass(frozen=True, slots=True)
class Commitment:
    """A report that an actor bound itself (or was bound) to a future action."""

    start: int
    end: int
    text: str
    trigger: str
    actor: str
    actor_names: tuple[str, ...]
    action: str
    kind: CommitmentKind
    negated: bool = False
    due: str = ""


class ActorData(TypedDict):
    """An ``Actor`` as the cache stores it (``Analysis.to_dict``)."""

    start: int
    end: int
    text: str
    kind: ActorKind
    name: str
    role: NotRequired[str]
    #: Absent in analyses cached before confidences existed (read as 1.0).
    confidence: NotRequired[float]


class DateData(TypedDict):
    """A ``DateMention`` as the cache stores it."""

    start: int
    end: int
    text: str
    value: str
    granularity: Granularity
    upcoming: bool
    sentence: int
    event: NotRequired[str]


class CommitmentData(TypedDict):
    """A ``Commitment`` as the cache stores it (``actor_names`` a list)."""

    start: int
    end: int
    text: str
    trigger: str
    actor: str
    actor_names: list[str]
    action: str
    kind: CommitmentKind
    negated: NotRequired[bool]
    due: NotRequired[str]


class AnalysisData(TypedDict):
    """An ``Analysis`` as the cache stores it: the typed view exports read, since
    building the dataclasses for thousands of cached analyses costs a third of an
    export."""

    language: str
    actors: list[ActorData]
    dates: list[DateData]
    commitments: list[CommitmentData]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything ``analyze`` found in one text."""

    language: str
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    def to_dict(self) -> AnalysisData:
        """A JSON-ready copy (tuples become lists)."""
        data = asdict(self)
        for item in data["commitments"]:
            item["actor_names"] = list(item["actor_names"])
        return cast(AnalysisData, data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        """Rebuild a result from ``to_dict`` output (used by the analysis cache)."""
        return cls(
            language=data["language"],
            actors=[Actor(**a) for a in data.get("actors", [])],
            dates=[DateMention(**d) for d in data.get("dates", [])],
            commitments=[
                Commitment(**{**c, "actor_names": tuple(c.get("actor_names", ()))})
                for c in data.get("commitments", [])
            ],
        )


@overload
def above_confidence(analysis: Analysis, min_confidence: float) -> Analysis: ...
@overload
def above_confidence(analysis: AnalysisData, min_confidence: float) -> AnalysisData: ...
def above_confidence(
    analysis: Analysis | AnalysisData, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> Analysis | AnalysisData:
    """The analysis as the desk and exports show it: actor mentions whose confidence is
    at least ``min_confidence`` (the rest stay in the cache, for a lower setting).

    Takes an ``Analysis`` or its cached dict form (exports read dicts), and returns the
    same form; nothing is copied when nothing is dropped.
    """
    if isinstance(analysis, Analysis):
        kept = [a for a in analysis.actors if a.confidence >= min_confidence]
        return analysis if len(kept) == len(analysis.actors) else replace(analysis, actors=kept)
    actors = analysis.get("actors") or []
    kept_data = [a for a in actors if a.get("confidence", 1.0) >= min_confidence]
    if len(kept_data) == len(actors):
        return analysis
    return {**analysis, "actors": kept_data}
