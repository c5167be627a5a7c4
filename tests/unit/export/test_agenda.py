"""The agenda: upcoming dates merged across stories, grouped by period, and the .ics."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from tests.support.analyses import A, D, add_story, build_analysis, cached_provider, save
from tui.export.agenda import (
    Agenda,
    agenda_dict,
    build_agenda,
    normalise_words,
    render_text,
    similar_events,
)
from tui.export.ics import render_ics
from tui.samples import load_samples
from tui.store import Store, Story, StoryFilter

START = dt.date(2026, 1, 20)
STAMP = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


def _story(store: Store, title: str, text: str, url: str, tags: list[str]) -> Story:
    story = add_story(store, title, text, url=url)
    store.add_tags([story.id], tags)
    return store.story(story.id)


@pytest.fixture
def desk(store: Store) -> dict[str, Story]:
    """Four stories; three report the same ministerial meeting in different words."""
    s1 = _story(
        store,
        "Rubio y De la Fuente convocan reunión",
        "Marco Rubio y Juan Ramón de la Fuente convocaron una Reunión Ministerial de Seguridad en "
        "Washington el 3 de febrero. Los fiscales se reunirán la semana del 9 de febrero. "
        "El informe llegará en marzo. Habrá conferencia a las 10:00 UTC del 10 de febrero. "
        "El briefing será el 11 de febrero a las 9:30. La cena será el 12 de febrero a las 18:00. "
        "Ya se reunieron el 5 de enero.",
        "https://example.org/es/rubio",
        ["mexico"],
    )
    s2 = _story(
        store,
        "Ministers to meet",
        "Marco Rubio will host a security ministerial with Mexico on February 3.",
        "https://example.org/en/ministers",
        ["mexico"],
    )
    s3 = _story(
        store, "Cita ministerial", "La reunión ministerial de seguridad será el 3 de febrero.",
        "https://example.org/es/cita", ["mexico"],
    )  # fmt: skip
    s4 = _story(
        store, "New iPod on the way", "Apple will present a new iPod on February 3 in Cupertino.",
        "https://example.org/en/apple", ["apple"],
    )  # fmt: skip
    save(store, s1, build_analysis(s1, "es",
        actors=[A("Marco Rubio", "person", "Marco Rubio"),
                A("Juan Ramón de la Fuente", "person", "Juan Ramón de la Fuente"),
                A("Washington", "place", "Washington, D.C.")],
        dates=[D("3 de febrero", "2026-02-03", "day", "Reunión Ministerial de Seguridad en Washington"),
               D("la semana del 9 de febrero", "2026-W07", "week", "los fiscales se reunirán"),
               D("marzo", "2026-03", "month", "el informe"),
               D("10:00 UTC del 10 de febrero", "2026-02-10T10:00Z", "time", "conferencia"),
               D("11 de febrero a las 9:30", "2026-02-11T09:30", "time", "briefing"),
               D("12 de febrero a las 18:00", "2026-02-12T18:00America/Mexico_City", "time", "cena"),
               D("5 de enero", "2026-01-05", "day", "reunión previa", upcoming=False)]))  # fmt: skip
    save(store, s2, build_analysis(s2, "en",
        actors=[A("Marco Rubio", "person", "Marco Rubio"), A("Mexico", "place", "México")],
        dates=[D("February 3", "2026-02-03", "day", "security ministerial")]))  # fmt: skip
    save(store, s3, build_analysis(s3, "es",
        dates=[D("3 de febrero", "2026-02-03", "day", "reunión ministerial de seguridad")]))  # fmt: skip
    save(store, s4, build_analysis(s4, "en",
        actors=[A("Apple", "organization", "Apple"), A("Cupertino", "place", "Cupertino")],
        dates=[D("February 3", "2026-02-03", "day", "present a new iPod")]))  # fmt: skip
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4}


def agenda(store: Store, **kw: object) -> Agenda:
    kw.setdefault("start", START)
    return build_agenda(store, analyse=cached_provider, analyse_missing=False, **kw)  # type: ignore[arg-type]


def test_same_event_from_several_stories_is_one_entry(store: Store, desk: dict[str, Story]) -> None:
    result = agenda(store)
    feb3 = [e for e in result.entries if e.value == "2026-02-03"]
    assert len(feb3) == 2
    meeting = next(e for e in feb3 if "Ministerial" in e.event)
    assert [s.story_id for s in meeting.sources] == [desk["s1"].id, desk["s2"].id, desk["s3"].id]
    assert meeting.event == "Reunión Ministerial de Seguridad en Washington"
    assert meeting.actors == (
        "Marco Rubio",
        "Juan Ramón de la Fuente",
        "Washington, D.C.",
        "México",
    )
    assert (
        meeting.sources[1].sentence
        == "Marco Rubio will host a security ministerial with Mexico on February 3."
    )
    apple = next(e for e in feb3 if e is not meeting)
    assert [s.story_id for s in apple.sources] == [desk["s4"].id]


def test_entries_are_grouped_by_day_week_and_month_in_order(
    store: Store, desk: dict[str, Story]
) -> None:
    result = agenda(store)
    assert [(g.kind, g.label) for g in result.groups] == [
        ("day", "Tuesday 3 February 2026"),
        ("week", "Week of 9 February 2026"),  # no raw TIMEX code (issue 13)
        ("day", "Tuesday 10 February 2026"),
        ("day", "Wednesday 11 February 2026"),
        ("day", "Thursday 12 February 2026"),
        ("month", "March 2026"),
    ]
    assert all(e.value != "2026-01-05" for e in result.entries)  # not upcoming
    text = render_text(result)
    assert "Tuesday 3 February 2026\n  • Reunión Ministerial de Seguridad en Washington" in text
    assert "      actors: Marco Rubio, Juan Ramón de la Fuente, Washington, D.C., México" in text
    assert f"      [{desk['s2'].id}] Ministers to meet  https://example.org/en/ministers" in text
    assert "  • 10:00 UTC  conferencia" in text


def test_from_to_and_tags_narrow_the_agenda(store: Store, desk: dict[str, Story]) -> None:
    only_feb3 = agenda(store, start=dt.date(2026, 2, 3), end=dt.date(2026, 2, 3))
    assert {e.value for e in only_feb3.entries} == {"2026-02-03"}
    # A week overlapping the range is kept; a month after it is not.
    week = agenda(store, start=dt.date(2026, 2, 14), end=dt.date(2026, 2, 20))
    assert [e.value for e in week.entries] == ["2026-W07"]
    apple = agenda(store, tags=["apple"])
    assert [e.event for e in apple.entries] == ["present a new iPod"]
    assert agenda(store, start=dt.date(2026, 4, 1)).groups == ()
    assert render_text(agenda(store, start=dt.date(2026, 4, 1))) == "No upcoming dates.\n"


def test_uids_are_stable_when_more_stories_report_the_event(
    store: Store, desk: dict[str, Story]
) -> None:
    before = {e.value + e.event: e.uid for e in agenda(store).entries}
    s5 = add_story(store, "Otra nota", "La Reunión Ministerial de Seguridad será el 3 de febrero.")
    save(
        store,
        s5,
        build_analysis(
            s5,
            "es",
            dates=[D("3 de febrero", "2026-02-03", "day", "Reunión Ministerial de Seguridad")],
        ),
    )
    after = agenda(store)
    assert {e.value + e.event: e.uid for e in after.entries} == before
    meeting = next(e for e in after.entries if "Ministerial" in e.event)
    assert s5.id in [s.story_id for s in meeting.sources]
    assert len(set(before.values())) == len(before)


def test_ics_parses_back_with_the_expected_events(store: Store, desk: dict[str, Story]) -> None:
    result = agenda(store, tags=["mexico"])
    cal = Calendar.from_ical(render_ics(result, generated=STAMP))
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 6
    assert {str(e["uid"]) for e in events.values()} == {e.uid for e in result.entries}
    meeting = events["Reunión Ministerial de Seguridad en Washington"]
    assert meeting.decoded("dtstart") == dt.date(2026, 2, 3)
    assert meeting.decoded("dtend") == dt.date(2026, 2, 4)
    description = str(meeting["description"])
    for url in (
        "https://example.org/es/rubio",
        "https://example.org/en/ministers",
        "https://example.org/es/cita",
    ):
        assert url in description
    assert "Actors: Marco Rubio, Juan Ramón de la Fuente" in description
    week = events["[week: week of 9 February 2026] los fiscales se reunirán"]
    assert (week.decoded("dtstart"), week.decoded("dtend")) == (
        dt.date(2026, 2, 9),
        dt.date(2026, 2, 16),
    )
    month = events["[month: March 2026] el informe"]
    assert (month.decoded("dtstart"), month.decoded("dtend")) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
    )
    utc = events["conferencia"].decoded("dtstart")
    assert utc == dt.datetime(
        2026, 2, 10, 10, 0, tzinfo=dt.UTC
    ) and utc.utcoffset() == dt.timedelta(0)
    floating = events["briefing"].decoded("dtstart")
    assert floating == dt.datetime(2026, 2, 11, 9, 30) and floating.tzinfo is None
    dinner = events["cena"].decoded("dtstart")
    assert dinner.astimezone(dt.UTC) == dt.datetime(2026, 2, 13, 0, 0, tzinfo=dt.UTC)
    assert "America/Mexico_City" in [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    # Re-exporting gives the same UIDs: calendars update instead of duplicating.
    again = Calendar.from_ical(render_ics(agenda(store, tags=["mexico"]), generated=STAMP))
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in events.values()
    )


def test_agenda_json_lists_sources_with_sentence_indexes(
    store: Store, desk: dict[str, Story]
) -> None:
    data = json.loads(json.dumps(agenda_dict(agenda(store))))
    first = data["groups"][0]["entries"][0]
    assert first["value"] == "2026-02-03"
    assert {"story_id", "uid", "title", "url", "published", "sentence_index", "sentence"} == set(
        first["sources"][0]
    )
    assert first["sources"][0]["sentence_index"] == 1  # the title is sentence 0


def test_event_similarity_normalises_case_accents_and_stopwords() -> None:
    a = normalise_words("La Reunión Ministerial de Seguridad")
    assert a == ("ministerial", "reunion", "seguridad")
    assert similar_events(a, normalise_words("reunion ministerial"))
    assert not similar_events(a, normalise_words("cumbre de energía"))
    assert not similar_events((), a)


def test_agenda_of_the_sample_desk_analyses_missing_stories(store: Store) -> None:
    """End to end with whatever the engine finds: every story gets analysed and cached."""
    from tui.analysis import ANALYSER_VERSION

    load_samples(store)
    result = build_agenda(store, start=dt.date(1900, 1, 1))
    assert store.stories_without_analysis(ANALYSER_VERSION) == []
    ids = {s.id for s in store.list_stories(StoryFilter(), limit=100)}
    keys = [(g.first, g.last) for g in result.groups]
    assert keys == sorted(keys)
    for entry in result.entries:
        assert entry.sources and {s.story_id for s in entry.sources} <= ids
        assert all(s.sentence_index >= 0 for s in entry.sources)
    rows = store.upcoming_dates(start="1900-01-01")
    assert len(result.entries) <= len(rows)
    Calendar.from_ical(render_ics(result, generated=STAMP))
