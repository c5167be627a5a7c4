"""Actors on modern feed text: behaviour classes, each checked on sentences written for
these tests (never copied from the evaluation sets), and once on the real feeds of the
shared corpus, read by path (skipped when the corpus is absent).

The classes: Title-Case headline words are no people; brands are organisations;
products, events and contractions are no actors; an unknown capitalised word with
nothing for it is not shown; a feed's language tag is normalised and checked; full
names stay whole; one name, one kind and one confidence per story.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.paths import CORPUS
from tui.analysis import Analysis, analyze
from tui.analysis.language import story_language
from tui.analysis.model import DEFAULT_MIN_CONFIDENCE, Actor, above_confidence
from tui.language_codes import iso639_1
from tui.sources.feeds import language_code

FEEDS = CORPUS / "feeds" / "real"


def shown(text: str, language: str | None = "en") -> list[tuple[str, str]]:
    """(text, kind) of the mentions the desk would highlight."""
    result = above_confidence(
        analyze(text, language=language, published=dt.date(2026, 3, 2)), DEFAULT_MIN_CONFIDENCE
    )
    return [(a.text, a.kind) for a in result.actors]


# --- Title-Case headlines ---------------------------------------------------------


@pytest.mark.parametrize(
    "headline",
    [
        "Lawmakers Vote to Freeze Rents Across the State",
        "Why Savers Should Sell Bonds Now",
        "Retired Teacher Will Plead Guilty to Fraud Charges",
        "Unfinished Bridge Leaves Commuters With Nowhere to Go",
    ],
)
def test_title_case_headline_words_are_not_people(headline: str) -> None:
    summary = "The measure passed late on Tuesday after a long debate about housing costs."
    found = shown(f"{headline}\n\n{summary}")
    assert [t for t, kind in found if kind == "person"] == []


def test_a_title_case_headline_keeps_names_it_can_confirm() -> None:
    text = (
        "Glenn Tarrow Wins Vote to Lead the Harbour Board in Lisbon\n\n"
        "The board chose Tarrow, a former engineer, after a tied first round."
    )
    found = shown(text)
    assert ("Glenn Tarrow", "person") in found  # a known first name
    assert ("Lisbon", "place") in found  # a gazetteer entry
    assert not any(t in {"Wins Vote", "Lead", "Harbour Board"} for t, _ in found)


def test_a_headline_name_is_confirmed_by_the_body() -> None:
    text = (
        "Ministers Back Plan Drafted by Adebayo Okonjo on Water\n\n"
        "Adebayo Okonjo, an engineer, wrote the plan for the ministry."
    )
    found = shown(text)
    assert found.count(("Adebayo Okonjo", "person")) == 2  # the headline's is confirmed
    assert not any(t in {"Ministers Back Plan", "Drafted", "Water"} for t, _ in found)


# --- brands, products, events, contractions ----------------------------------------


def test_brands_are_organisations_alone_and_in_headlines() -> None:
    found = shown(
        "Streaming giant Netflix raised prices again, while Nikon and Kickstarter "
        "backers waited for news. YouTube said it would add a new plan."
    )
    kinds = {t: k for t, k in found}
    assert kinds["Netflix"] == kinds["Nikon"] == kinds["Kickstarter"] == "organization"
    assert kinds["YouTube"] == "organization"


def test_products_events_and_contractions_are_not_actors() -> None:
    text = (
        "I'm not sure the new iPhone will sell, she said. We've seen Brexit and "
        "Halloween sales fall. Android phones and the PlayStation 5 did better."
    )
    texts = {a.text for a in analyze(text, "en").actors}
    assert not texts & {"I'm", "We've", "iPhone", "Brexit", "Halloween", "Android", "PlayStation"}


def test_an_unknown_capitalised_word_is_kept_but_not_shown() -> None:
    text = "Shares of Zorblax fell on Monday after the report."
    everything = analyze(text, "en").actors
    assert [a.text for a in everything if a.text == "Zorblax"]  # kept, for a lower setting
    assert all(a.confidence < DEFAULT_MIN_CONFIDENCE for a in everything if a.text == "Zorblax")
    assert "Zorblax" not in {t for t, _ in shown(text)}


def test_a_lone_name_with_a_verb_of_saying_is_shown_as_a_person() -> None:
    found = shown("The bridge will reopen in May, Okafor said on Friday.")
    assert ("Okafor", "person") in found


# --- language of the feed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("spa", "es"),
        ("es-MX", "es"),
        ("es_ES", "es"),
        ("ES", "es"),
        ("eng", "en"),
        ("en-US", "en"),
        ("English", "en"),
        ("pt-BR", "pt"),
        ("fre", "fr"),
        ("x-unknown", ""),
        ("", ""),
        ("klingon", ""),
    ],
)
def test_language_tags_are_normalised_to_iso_639_1(tag: str, code: str) -> None:
    assert iso639_1(tag) == code
    assert language_code(tag) == code


SPANISH = (
    "El Gobierno de España anunció que el alcalde de Sevilla viajará a Siria y a "
    "Inglaterra con los ministros. También dijo que la reunión será en el mes de marzo."
)


def test_a_story_from_a_feed_declaring_spa_is_analysed_as_spanish() -> None:
    result = analyze(SPANISH, language="spa")
    assert result.language == "es"
    kinds = {a.text: a.kind for a in result.actors}
    assert kinds["Siria"] == kinds["Inglaterra"] == kinds["Sevilla"] == "place"


def test_a_missing_or_wrong_feed_language_yields_to_the_text() -> None:
    assert story_language(SPANISH, None) == "es"
    assert story_language(SPANISH, "") == "es"
    assert story_language(SPANISH, "en") == "es"  # the function words say otherwise
    english = "The minister said that the talks with the unions would resume after the vote."
    assert story_language(english, "es") == "en"
    assert story_language("Breve nota.", "es") == "es"  # too short to overrule


# --- full names and one sense per story --------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Sandro José Marín Rodríguez",
        "María del Carmen Ortega de la Vega",
        "Juan Pablo de los Santos",
    ],
)
def test_full_names_stay_whole(name: str) -> None:
    found = shown(f"Ayer {name} presentó su dimisión ante el consejo.", "es")
    assert (name, "person") in found


def test_one_name_has_one_kind_and_one_confidence_in_a_story() -> None:
    text = (
        "Okafor won the vote in the council of Toledo. Later the mayor, Ngozi Okafor, "
        "said the budget would pass, and the council thanked Okafor for the work."
    )
    mentions = [a for a in analyze(text, "en").actors if "Okafor" in a.text]
    assert len(mentions) == 3
    assert {a.name for a in mentions} == {"Ngozi Okafor"}
    assert {a.kind for a in mentions} == {"person"}
    assert len({a.confidence for a in mentions}) == 1  # the bare first mention borrows it
    assert mentions[0].confidence >= DEFAULT_MIN_CONFIDENCE


# --- the confidence contract -------------------------------------------------------


def test_confidence_round_trips_and_old_caches_load_as_shown() -> None:
    result = analyze("La ministra Ana Ruiz viajó a Lima.", "es")
    assert all(0 < a.confidence <= 1 for a in result.actors)
    again = Analysis.from_dict(result.to_dict())
    assert again == result
    old = result.to_dict()
    for item in old["actors"]:
        del item["confidence"]
    assert all(a.confidence == 1.0 for a in Analysis.from_dict(old).actors)


def test_above_confidence_filters_objects_and_cached_dicts_alike() -> None:
    analysis = Analysis(
        language="en",
        actors=[
            Actor(0, 4, "Lima", "place", "Lima", confidence=0.9),
            Actor(10, 17, "Zorblax", "person", "Zorblax", confidence=0.3),
        ],
    )
    assert [a.text for a in above_confidence(analysis, 0.5).actors] == ["Lima"]
    assert above_confidence(analysis, 0.0) is analysis  # nothing dropped, nothing copied
    data = above_confidence(analysis.to_dict(), 0.5)
    assert [a["text"] for a in data["actors"]] == ["Lima"]
    legacy = {"language": "en", "actors": [{"text": "Lima", "name": "Lima", "kind": "place"}]}
    assert above_confidence(legacy, 0.99) is legacy  # old entries count as shown


# --- real feeds (shared corpus, read by path) --------------------------------------

NEWS_FEEDS = (
    "bbc-news-home_en.xml",
    "nytimes-us_en.xml",
    "techcrunch_en.xml",
    "macworld_en.rss",
    "elpais-portada-2014_es.xml",
    "minutouno-mundo_es.xml",
    "torrentedigital_es.xml",
)


@pytest.mark.skipif(not FEEDS.is_dir(), reason="shared corpus not available")
def test_real_feed_items_show_no_person_that_only_a_title_case_headline_names() -> None:
    """On real headline + summary items, a person shown inside a Title-Case headline is
    either named again in the summary or opens with a known first name."""
    from tui.analysis.actors.candidates import title_cased
    from tui.analysis.lexicon import load_lexicon
    from tui.sources.feeds import parse_feed

    checked = 0
    for name in NEWS_FEEDS:
        path = FEEDS / name
        if not path.is_file():
            continue
        feed = parse_feed(path.read_bytes())
        for story in feed.stories[:15]:
            if not story.title or not story.text:
                continue
            text = f"{story.title}\n\n{story.text[:400]}"
            result = analyze(text, language=story.language or None)
            lex = load_lexicon(result.language)
            words = story.title.split()
            if not any(title_cased(words, lex.sets["function_words"], frozenset())):
                continue
            checked += 1
            body = text[len(story.title) :]
            for actor in above_confidence(result, DEFAULT_MIN_CONFIDENCE).actors:
                if actor.kind != "person" or actor.start >= len(story.title):
                    continue
                first = actor.text.split()[0].casefold()
                assert actor.text in body or first in lex.first_names, (name, actor.text)
    assert checked >= 5


def test_people_need_evidence_and_an_age_is_evidence() -> None:
    found = shown("Zarbin, 41, was arrested in Porto. Analysts expect Dobreth to resign.")
    assert ("Zarbin", "person") in found
    assert "Dobreth" not in {t for t, _ in found}  # a capital letter alone proves nothing


def test_organisation_cues_type_firms_bodies_and_clubs() -> None:
    found = shown(
        "Yesterday Grovemark Ltd. and Halvern Inc. sued Dunmore FC before the "
        "Universidad de Tembleque and the Ministerio de Pesca answered."
    )
    kinds = dict(found)
    assert kinds["Grovemark Ltd."] == kinds["Halvern Inc."] == "organization"
    assert kinds["Dunmore FC"] == "organization"
    spanish = dict(shown("El Club Atlético Tembleque y Construcciones Varela S.A. firmaron.", "es"))
    assert spanish["Club Atlético Tembleque"] == "organization"
    assert spanish["Construcciones Varela S.A."] == "organization"


def test_named_storms_ships_and_products_are_not_actors() -> None:
    texts = {
        a.text
        for a in analyze(
            "Cyclone Fiona hit the coast while the vessel Morning Star waited and "
            "the processors Coffee Lake sold out.",
            "en",
        ).actors
    }
    assert not texts & {"Fiona", "Morning Star", "Coffee Lake"}


def test_laws_and_described_people_are_not_actors() -> None:
    texts = {
        a.text
        for a in analyze(
            "A Kentucky Republican said the Clean Harbours Act and the Labor Code "
            "would change, and a Sunni Muslim cleric agreed.",
            "en",
        ).actors
    }
    assert not texts & {"Kentucky Republican", "Clean Harbours Act", "Labor Code", "Sunni Muslim"}


def test_a_two_word_run_is_a_person_only_when_the_story_treats_it_as_one() -> None:
    bare = shown("Reviewers liked Kwelvan Obsidian locks for their slim design.")
    assert "Kwelvan Obsidian" not in {t for t, _ in bare}
    said = shown("The lock works well, Ondra Velik told reporters on Monday.")
    assert ("Ondra Velik", "person") in said
    again = shown("Ondra Velik opened the plant. Velik then left for the coast.")
    assert ("Ondra Velik", "person") in again and ("Velik", "person") in again
