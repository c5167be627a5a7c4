"""Dates as people read them, and the one rule for "upcoming" (issue 13).

Every TIMEX3 value the grammar can produce gets words in English and Spanish
(``tui.readable_dates``); ``tui.timex.date_status`` is the single rule that the
panel, the highlights, the sidebar count, the agenda and the exports share.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tui.analysis.dates.grammar import fold, grammar_for
from tui.analysis.pipeline import analyze
from tui.readable_dates import readable
from tui.store import Store, StoryFilter, StoryIn
from tui.timex import bounds, date_status

#: What a raw TIMEX code looks like inside a label ("2026-02", "W05", "Q1", "_REF", "T10").
RAW_CODE = re.compile(
    r"\d{4}-\d{1,2}(?!\d)|\bW\d\d|-?\bQ[1-4]\b|-H[12]\b|_REF|\bT\d\d|\bFY\d|\d{4}-(?:SP|SU|FA|WI)"
)

# (language, pattern kind, sentence, the phrase of that kind in the sentence)
PHRASES = [
    ("es", "century", "Fue la mayor guerra del siglo XX.", "siglo XX"),
    ("es", "date", "Se reunirán el 23 de enero de 2026.", "el 23 de enero de 2026"),
    ("es", "dayofmonth", "Se votará el 5 del próximo mes.", "el 5 del próximo mes"),
    ("es", "daypart", "El ministro habló esta mañana.", "esta mañana"),
    ("es", "decade", "Ocurrió en los años 80.", "los años 80"),
    ("es", "fiscalyear", "Las ventas del año fiscal 2008 cayeron.", "año fiscal 2008"),
    ("es", "half", "Creció en el primer semestre de 2011.", "el primer semestre de 2011"),
    ("es", "holiday", "Se verán en Navidad.", "Navidad"),
    ("es", "lastday", "El plazo vence el último día de marzo.", "el último día de marzo"),
    ("es", "lastyearsperiod", "Bajó frente al mismo mes del año anterior.", "mismo mes del año anterior"),
    ("es", "later", "En 2009 abrió la fábrica y tres años después cerró.", "tres años después"),
    ("es", "nextday", "Llegó el 3 de marzo y al día siguiente se fue.", "al día siguiente"),
    ("es", "nthweekday", "Se votará el primer martes de octubre.", "el primer martes de octubre"),
    ("es", "offset", "Cerró hace tres días.", "hace tres días"),
    ("es", "part", "Se abrirá a principios de marzo.", "principios de"),
    ("es", "partunit", "Se abrirá a finales de año.", "finales de año"),
    ("es", "previousunit", "En 2009 creció; el año anterior cayó.", "el año anterior"),
    ("es", "quarter", "Ganó más en el tercer trimestre de 2009.", "el tercer trimestre de 2009"),
    ("es", "ref", "Actualmente hay diez.", "Actualmente"),
    ("es", "relday", "El ministro llegó ayer.", "ayer"),
    ("es", "relunit", "Se reunirán la próxima semana.", "la próxima semana"),
    ("es", "sameday", "Llegó el 3 de marzo y ese mismo día se fue.", "ese mismo día"),
    ("es", "season", "Llegará el verano de 2027.", "el verano de 2027"),
    ("es", "season", "Se verán el invierno de 2026.", "el invierno de 2026"),
    ("es", "thatunit", "Abrió en 2009 y ese año ganó.", "ese año"),
    ("es", "then", "Cerró en 2009 y desde entonces no abrió.", "entonces"),
    ("es", "time", "Empezará a las 10:00 UTC.", "las 10:00 UTC"),
    ("es", "weekday", "Lo dijo el lunes.", "el lunes"),
    ("es", "weekend", "Se verán este fin de semana.", "este fin de semana"),
    ("es", "weekof", "Se verán la semana del 9 de marzo.", "la semana del"),
    ("es", "weekofmonth", "Se verán la primera semana de octubre.", "la primera semana de octubre"),
    ("es", "wholeunit", "Ganó en el cuarto trimestre del 2005 y en todo el año.", "todo el año"),
    ("es", "year", "Se fundó en 2008.", "2008"),
    ("en", "century", "It was the bloodiest war of the 20th century.", "the 20th century"),
    ("en", "date", "They will meet on January 23, 2026.", "January 23, 2026"),
    ("en", "dayofmonth", "The vote is on the 5th of next month.", "the 5th of next month"),
    ("en", "daypart", "The minister spoke this morning.", "this morning"),
    ("en", "decade", "It happened in the 1980s.", "the 1980s"),
    ("en", "fiscalyear", "Sales in fiscal 2008 fell.", "fiscal 2008"),
    ("en", "half", "It grew in the first half of 2011.", "the first half of 2011"),
    ("en", "holiday", "They will meet at Christmas.", "Christmas"),
    ("en", "lastday", "The deadline is the last day of March.", "the last day of March"),
    ("en", "lastyearsperiod", "Sales fell from the same month a year ago.", "the same month a year ago"),
    ("en", "later", "In 2009 the plant opened and three years later it closed.", "three years later"),
    ("en", "nextday", "He arrived on March 3 and left the next day.", "the next day"),
    ("en", "nthweekday", "The vote is on the first Tuesday of October.", "the first Tuesday of October"),
    ("en", "offset", "It closed three days ago.", "three days ago"),
    ("en", "part", "It opens in early March.", "early"),
    ("en", "partunit", "It opens at the end of the year.", "the end of the year"),
    ("en", "previousunit", "In 2009 it grew; the previous year it fell.", "the previous year"),
    ("en", "quarter", "It earned more in the third quarter of 2009.", "the third quarter of 2009"),
    ("en", "ref", "Currently there are ten.", "Currently"),
    ("en", "relday", "The minister arrived yesterday.", "yesterday"),
    ("en", "relunit", "They will meet next week.", "next week"),
    ("en", "sameday", "He arrived on March 3 and that same day he left.", "that same day"),
    ("en", "season", "It will arrive in the summer of 2027.", "the summer of 2027"),
    ("en", "thatunit", "It opened in 2009 and that year it won.", "that year"),
    ("en", "then", "It closed in 2009 and has not opened since then.", "then"),
    ("en", "time", "It starts at 10:00 UTC.", "10:00 UTC"),
    ("en", "weekday", "He said it on Monday.", "Monday"),
    ("en", "weekend", "They will meet this weekend.", "this weekend"),
    ("en", "weekof", "They will meet the week of March 9.", "the week of"),
    ("en", "weekofmonth", "They will meet the first week of October.", "the first week of October"),
    ("en", "wholeunit", "It earned more in the fourth quarter of 2005 and the entire year.", "the entire year"),
    ("en", "year", "It was founded in 2008.", "2008"),
]  # fmt: skip

PUBLISHED = dt.date(2026, 1, 8)


def _kind_at(language: str, sentence: str, phrase: str) -> str:
    g = grammar_for(language)
    assert g is not None
    folded = fold(sentence)
    m = g.regex.match(folded, sentence.index(phrase))
    assert m is not None and m.lastgroup is not None, f"no pattern reads {phrase!r}"
    return g.patterns[m.lastgroup].kind


def _is_readable(label: str, value: str) -> bool:
    if re.fullmatch(r"\d{4}", value):
        return label == value  # a year is its own best label
    return label != value and RAW_CODE.search(label) is None


def test_the_phrases_cover_every_kind_of_value_the_grammar_can_produce() -> None:
    for language in ("es", "en"):
        g = grammar_for(language)
        assert g is not None
        kinds = {p.kind for p in g.patterns.values()} - {"ignore"}  # sets and durations
        covered = {kind for lang, kind, _, _ in PHRASES if lang == language}
        assert kinds <= covered, f"{language}: no phrase for {sorted(kinds - covered)}"


@pytest.mark.parametrize(("language", "kind", "sentence", "phrase"), PHRASES)
def test_every_value_the_engine_produces_reads_in_words(
    language: str, kind: str, sentence: str, phrase: str
) -> None:
    assert _kind_at(language, sentence, phrase) == kind
    start = sentence.index(phrase)
    analysis = analyze(sentence, language=language, published=PUBLISHED)
    mentions = [d for d in analysis.dates if d.start <= start < d.end]
    assert mentions, f"{phrase!r} was not read as a date: {analysis.dates}"
    for mention in mentions:
        for lang in ("en", "es"):
            label = readable(mention.value, lang, mention.text)
            assert _is_readable(label, mention.value), (mention.value, lang, label)


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        ("2026-01-23", "Friday 23 January 2026", "viernes 23 de enero de 2026"),
        ("2026-01-23T10:00Z", "Friday 23 January 2026, 10:00 UTC",
         "viernes 23 de enero de 2026, a las 10:00 UTC"),
        ("2026-01-23TMO", "Friday 23 January 2026, morning",
         "viernes 23 de enero de 2026 por la mañana"),
        ("2026-01-23TNI", "Friday 23 January 2026, night",
         "viernes 23 de enero de 2026 por la noche"),
        ("2026-W05", "week of 26 January 2026", "semana del 26 de enero de 2026"),
        ("2026-W05-WE", "weekend of 31 January 2026", "fin de semana del 31 de enero de 2026"),
        ("2026-02", "February 2026", "febrero de 2026"),
        ("2026-Q1", "first quarter of 2026", "primer trimestre de 2026"),
        ("2026-H2", "second half of 2026", "segundo semestre de 2026"),
        # The bug of issue 13: a winter was read as "week of 1 December 2021".
        ("2021-WI", "winter 2021-2022", "invierno de 2021-2022"),
        ("2021-SU", "summer 2021", "verano de 2021"),
        ("2026", "2026", "2026"),
        ("FY2008", "fiscal year 2008", "año fiscal 2008"),
        ("201", "the 2010s", "la década de 2010"),
        ("19", "the 20th century", "el siglo XX"),
        ("PRESENT_REF", "now", "ahora"),
        ("PAST_REF", "in the past", "en el pasado"),
        ("FUTURE_REF", "in the future", "en el futuro"),
        ("XXXX-01-23", "23 January", "23 de enero"),
        ("XXXX-01", "January", "enero"),
        ("XXXX-WXX-1", "a Monday", "un lunes"),
        ("P2W", "2 weeks", "2 semanas"),
    ],
)  # fmt: skip
def test_each_value_shape_has_its_words(value: str, english: str, spanish: str) -> None:
    assert readable(value, "en") == english
    assert readable(value, "es") == spanish
    assert readable(value, "fr") == english  # other languages read the desk's English


def test_an_unknown_value_reads_as_the_mention_text() -> None:
    assert readable("nonsense", "en", "some day") == "some day"


def test_bounds_cover_weekends_parts_of_day_decades_centuries_and_fiscal_years() -> None:
    assert bounds("2026-W05-WE") == (dt.date(2026, 1, 31), dt.date(2026, 2, 1))
    assert bounds("2026-01-23TMO") == (dt.date(2026, 1, 23), dt.date(2026, 1, 23))
    assert bounds("201") == (dt.date(2010, 1, 1), dt.date(2019, 12, 31))
    assert bounds("20") == (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    assert bounds("FY2008") == (dt.date(2008, 1, 1), dt.date(2008, 12, 31))
    assert bounds("2021-WI") == (dt.date(2021, 12, 1), dt.date(2022, 2, 28))
    assert bounds("FUTURE_REF") is None


@pytest.mark.parametrize(
    ("value", "future_then", "today", "status"),
    [
        ("2019-09-25", True, dt.date(2026, 1, 10), "was_upcoming"),  # the 2019 El País case
        ("2019-09-25", True, dt.date(2019, 9, 24), "upcoming"),
        ("2019-09-25", True, dt.date(2019, 9, 25), "upcoming"),  # today is still ahead
        ("2020", True, dt.date(2026, 1, 10), "was_upcoming"),  # the 2018 TechCrunch case
        ("2026-02", True, dt.date(2026, 2, 27), "upcoming"),  # under way, not over
        ("2026-02", False, dt.date(2026, 1, 10), "past"),  # not ahead at publication
        ("FUTURE_REF", True, dt.date(2026, 1, 10), "past"),  # no calendar can place it
        ("2021-WI", True, dt.date(2022, 2, 1), "upcoming"),
    ],
)
def test_date_status_is_after_the_desks_today(
    value: str, future_then: bool, today: dt.date, status: str
) -> None:
    assert date_status(value, future_then, today) == status


def test_the_stores_upcoming_filter_agrees_with_date_status(store: Store) -> None:
    """The sidebar count and the agenda query SQL; it must say what date_status says."""
    values = ["2026-01-23", "2026-02", "2025-12-30", "2026-W02", "2026-01-09TAF", "FY2026"]
    source = store.add_source("https://example.org/feed", title="Example")
    published = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    stories = [StoryIn(f"Story {i}", "x", guid=f"g{i}", published=published) for i in range(6)]
    ids = [story_id for story_id, _ in store.upsert_stories(source.id, stories)]
    for story_id, value in zip(ids, values, strict=True):
        store.save_analysis(
            story_id,
            "test",
            {"language": "en", "dates": [{"value": value, "granularity": "day",
             "sentence": 0, "upcoming": True, "event": ""}]},
        )  # fmt: skip
    for today in (dt.date(2026, 1, 8), dt.date(2026, 1, 10), dt.date(2026, 1, 24)):
        store.clock = lambda today=today: today
        listed = {s.id for s in store.list_stories(StoryFilter(upcoming=True), limit=100)}
        expected = {
            i for i, v in zip(ids, values, strict=True) if date_status(v, True, today) == "upcoming"
        }
        assert listed == expected, today
        agenda = {r.value for r in store.upcoming_dates()}
        assert agenda == {v for v in values if date_status(v, True, today) == "upcoming"}


def test_word_tables_are_data_per_language() -> None:
    """Each language's words live in analysis/data/<lang>/readable.toml; one without
    a table reads in English."""
    from tui.readable_dates import DATA, words_for

    for folder in sorted(p for p in DATA.iterdir() if (p / "readable.toml").is_file()):
        table = words_for(folder.name)
        assert len(table.months) == 12 and len(table.weekdays) == 7, folder.name
        assert set(table.seasons) == {"SP", "SU", "FA", "WI"}, folder.name
    assert words_for("es").months[0] == "enero"
    assert words_for("de") == words_for("en")
