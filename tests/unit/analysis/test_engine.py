"""The analysis engine: segmentation of news text, language id, purity of ``analyze``."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from tui.analysis import ANALYSER_VERSION, analyze, language, lexicon
from tui.analysis.language import detect_language
from tui.analysis.lexicon import abbreviations, load_lexicon
from tui.analysis.segment import segment


def sentences(text: str, language: str) -> list[str]:
    doc = segment(text, language)
    return [text[s.start : s.end] for s in doc.sentences]


def tokens(text: str, language: str) -> list[str]:
    return [t.text for s in segment(text, language).sentences for t in s.tokens]


# --- sentences -------------------------------------------------------------------


def test_spanish_abbreviations_do_not_end_sentences() -> None:
    text = "El Sr. López viajó a EE.UU. con el Dr. Pérez. Llegó a las 10 a.m. del lunes."
    assert sentences(text, "es") == [
        "El Sr. López viajó a EE.UU. con el Dr. Pérez.",
        "Llegó a las 10 a.m. del lunes.",
    ]


def test_dotted_abbreviation_ends_a_sentence_before_a_clear_opener() -> None:
    text = "La delegación llegó a EE.UU. El viaje duró dos días."
    assert sentences(text, "es") == ["La delegación llegó a EE.UU.", "El viaje duró dos días."]


def test_english_abbreviations_and_initials() -> None:
    text = (
        "Officials of the U.S. Department of State met in Washington, D.C. on Monday. "
        "Mr. Smith said No. 2 was George W. Bush. It ended."
    )
    assert sentences(text, "en") == [
        "Officials of the U.S. Department of State met in Washington, D.C. on Monday.",
        "Mr. Smith said No. 2 was George W. Bush.",
        "It ended.",
    ]


def test_dateline_is_its_own_sentence() -> None:
    text = "La Coruña, 23 may (EFE).- El alcalde inauguró el puerto. Después habló."
    assert sentences(text, "es") == [
        "La Coruña, 23 may (EFE).-",
        "El alcalde inauguró el puerto.",
        "Después habló.",
    ]


def test_headline_lines_without_full_stop_are_sentences() -> None:
    text = "Alistan reunión de seguridad\nEl secretario habló hoy. Luego se fue.\n\nOtro párrafo"
    assert sentences(text, "es") == [
        "Alistan reunión de seguridad",
        "El secretario habló hoy.",
        "Luego se fue.",
        "Otro párrafo",
    ]


def test_hard_wrapped_paragraph_stays_one_sentence() -> None:
    text = "The minister said the talks\nwould resume next week. Nothing else."
    assert sentences(text, "en") == [
        "The minister said the talks\nwould resume next week.",
        "Nothing else.",
    ]


def test_quoted_sentences_split_after_the_closing_quote() -> None:
    text = '"No habrá acuerdo", dijo. "Nunca." Después se marchó.'
    assert sentences(text, "es") == ['"No habrá acuerdo", dijo.', '"Nunca."', "Después se marchó."]


def test_question_and_exclamation_marks() -> None:
    text = "¿Habrá acuerdo? ¡Sí! Eso dijo."
    assert sentences(text, "es") == ["¿Habrá acuerdo?", "¡Sí!", "Eso dijo."]


# --- tokens ----------------------------------------------------------------------


def test_tokens_keep_abbreviations_numbers_and_names_whole() -> None:
    assert tokens("El Sr. O'Brien pagó 1.500,25 dólares en EE.UU. a las 10:30.", "es") == [
        "El", "Sr.", "O'Brien", "pagó", "1.500,25", "dólares", "en", "EE.UU.",
        "a", "las", "10:30", ".",
    ]  # fmt: skip


def test_english_possessive_is_split_from_the_name() -> None:
    assert tokens("Clinton's aides met Castilla-La Mancha officials.", "en") == [
        "Clinton", "'s", "aides", "met", "Castilla-La", "Mancha", "officials", ".",
    ]  # fmt: skip


def test_token_offsets_point_into_the_text() -> None:
    text = "  «Hola», dijo el Dr. Ruiz…\n\nEE. UU. y México — acuerdo.  "
    doc = segment(text, "es")
    for sentence in doc.sentences:
        assert text[sentence.start : sentence.end] == text[sentence.start : sentence.end].strip()
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
            assert sentence.start <= token.start < token.end <= sentence.end


def test_sentence_at_finds_the_sentence_of_an_offset() -> None:
    text = "Uno dos. Tres cuatro."
    doc = segment(text, "es")
    second = doc.sentence_at(text.index("Tres"))
    assert second is not None and second.index == 1
    assert doc.sentence_at(len(text) + 5) is None


def test_abbreviation_lists_are_per_language_data() -> None:
    assert "sr" in abbreviations("es") and "gen" in abbreviations("en")
    assert "no" not in abbreviations("es")  # "no." ends Spanish sentences
    assert load_lexicon("xx").sets["roles"] == frozenset()  # no files: common lists only


# --- language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("El secretario de Estado conversó con el canciller sobre la seguridad.", "es"),
        ("The Secretary of State spoke with the foreign minister about security.", "en"),
        ("O secretário de Estado conversou com o ministro sobre a segurança.", "pt"),
        ("Le secrétaire d'État a parlé avec le ministre de la sécurité.", "fr"),
        ("Der Außenminister sprach mit dem Kanzler über die Sicherheit.", "de"),
        ("Il segretario di Stato ha parlato con il ministro della sicurezza.", "it"),
    ],
)
def test_language_identification(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    assert analyze(text).language == expected


def test_function_words_decide_clear_news_text_without_the_model() -> None:
    spanish = (
        "El Gobierno de la Generalitat ha aprobado hoy el presupuesto con los votos de "
        "los grupos que lo apoyan en el Parlamento, según dijo el portavoz."
    )
    english = (
        "The government said on Monday that the talks with the union would resume "
        "after the holiday, and that it was confident of a deal."
    )
    assert language._fast_guess(spanish) == "es"
    assert language._fast_guess(english) == "en"
    # A close language without rules, or another script, goes to the model.
    catalan = (
        "El Govern de la Generalitat ha aprovat avui el pressupost amb els vots dels "
        "grups que li donen suport al Parlament."
    )
    assert language._fast_guess(catalan) is None
    assert detect_language(catalan) == "ca"
    russian = "Президент заявил, что переговоры будут продолжены на следующей неделе."
    assert language._fast_guess(russian) is None
    assert detect_language(russian) == "ru"


def test_letters_of_other_latin_languages_go_to_the_model() -> None:
    slovak = "Premiér to urobí, bude to hrubé podkopávanie dôvery v štát, čo nikomu nepomôže."
    assert language._fast_guess(slovak) is None
    assert detect_language(slovak) == "sk"


def test_a_table_with_few_function_words_of_one_language_is_decided() -> None:
    table = "Results of the games of the league:\nLotte 6 Hyundai 2\nHaitai 2 Samsung 0"
    assert language._fast_guess(table) == "en"


def test_function_words_ignore_web_addresses() -> None:
    links = " ".join(f"https://example.com/na-palube-na-{i}/do-da-os" for i in range(12))
    assert language._fast_guess(links) is None


def test_lexicon_is_built_once_when_threads_ask_together() -> None:
    lexicon._LEXICONS.pop("it", None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        built = list(pool.map(lambda _: load_lexicon("it"), range(16)))
    assert all(lex is built[0] for lex in built)
    assert load_lexicon("it") is built[0]


def test_language_of_text_too_short_falls_back_to_the_default() -> None:
    assert detect_language("12 34 !!") == "en"
    assert analyze("12 34", language="ES").language == "es"


def test_language_without_rules_still_gets_names() -> None:
    result = analyze("Il presidente Sergio Mattarella ha incontrato il Papa a Roma.", "it")
    assert ("Roma", "place") in [(a.text, a.kind) for a in result.actors]


# --- purity ----------------------------------------------------------------------

STORY = (
    "Marco Rubio y el canciller Juan Ramón de la Fuente acordaron en Washington, D.C. "
    "una reunión para el 23 de enero. El Gobierno de México lo confirmó.\n\n"
    "Secretary of State Marco Rubio said the U.S. would host talks next week."
)


def test_analyze_is_deterministic() -> None:
    first = analyze(STORY, "es", dt.date(2026, 1, 8)).to_dict()
    for _ in range(3):
        assert analyze(STORY, "es", dt.date(2026, 1, 8)).to_dict() == first


def test_analyze_gives_the_same_result_in_threads() -> None:
    texts = [STORY, STORY.upper(), STORY.replace("Rubio", "Sheinbaum"), STORY[:80]] * 8
    expected = [analyze(t, "es", dt.date(2026, 1, 8)).to_dict() for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: analyze(t, "es", dt.date(2026, 1, 8)).to_dict(), texts))
    assert got == expected


def test_analyze_does_not_change_its_input_and_round_trips() -> None:
    text = str(STORY)
    result = analyze(text, "es", dt.date(2026, 1, 8))
    assert text == STORY
    assert type(result).from_dict(result.to_dict()) == result
    assert ANALYSER_VERSION


def test_empty_and_whitespace_text() -> None:
    for text in ("", "   \n\n  "):
        result = analyze(text, "es")
        assert result.actors == []


def test_french_elision_is_split_from_the_name() -> None:
    assert tokens("Le chef de l'ONU et d'Israël.", "fr") == [
        "Le", "chef", "de", "l'", "ONU", "et", "d'", "Israël", ".",
    ]  # fmt: skip


def test_urls_domains_and_slashed_acronyms_are_single_tokens() -> None:
    text = "Lea https://efe.com/a?b=1. También Wappup.com, PSE/EE y www.efe.es hoy."
    assert tokens(text, "es") == [
        "Lea", "https://efe.com/a?b=1", ".", "También", "Wappup.com", ",", "PSE/EE", "y",
        "www.efe.es", "hoy", ".",
    ]  # fmt: skip
    assert len(sentences(text, "es")) == 2
