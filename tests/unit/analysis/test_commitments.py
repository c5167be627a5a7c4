"""Commitments: the seed story, the rules on made-up sentences, and the scorer."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.support.paths import EVAL
from tui.analysis.commitments import find_commitments
from tui.analysis.commitments.lexicon import load
from tui.analysis.evaluate import main as evaluate_main
from tui.analysis.model import Actor, Commitment, DateMention
from tui.analysis.pipeline import analyze
from tui.analysis.scoring.commitments import actor_matches, score
from tui.analysis.segment import segment
from tui.samples import SEED_STORY

SEED = SEED_STORY  # bundled with the package, so these pins never skip
DEV = EVAL / "commitments" / "dev.jsonl"
PUBLISHED = dt.date(2026, 1, 8)


def _find(
    text: str, lang: str, actors: list[Actor] | None = None, dates: list[DateMention] | None = None
) -> list[Commitment]:
    return find_commitments(segment(text, lang), actors or [], dates or [])


def _positive(text: str, lang: str) -> list[Commitment]:
    return [c for c in _find(text, lang) if not c.negated]


def _seed_text() -> str:
    raw = SEED.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", raw, flags=re.S)


def _sentence_of(text: str, commitments: list[Commitment], needle: str) -> list[Commitment]:
    start = text.index(needle)
    return [c for c in commitments if c.start <= start < c.end]


# ------------------------------------------------------------------ seed story


def test_seed_story_commitments_of_the_two_secretaries() -> None:
    text = _seed_text()
    result = analyze(text, language="es", published=PUBLISHED)
    found = result.commitments

    convened = _sentence_of(text, found, "El secretario Rubio y el secretario De la Fuente")
    assert [c.trigger for c in convened] == ["convinieron en"]
    (convinieron,) = convened
    assert convinieron.actor == "El secretario Rubio y el secretario De la Fuente"
    assert convinieron.kind == "agreement"
    assert not convinieron.negated
    assert convinieron.action.startswith("convocar una Reunión Ministerial de Seguridad")

    first = _sentence_of(text, found, "Acordaron que el Grupo")
    second = _sentence_of(text, found, "Asimismo, acordaron dar seguimiento")
    for group in (first, second):
        agreed = [c for c in group if c.trigger.lower() == "acordaron"]
        assert len(agreed) == 1
        # Dropped subject, resolved to the secretaries of the previous sentences.
        assert "secretarios" in agreed[0].actor.lower()
        assert agreed[0].kind == "agreement"
        assert not agreed[0].negated
    assert second[0].action.startswith("dar seguimiento a las iniciativas bilaterales")

    assert _sentence_of(text, found, "Las amenazas compartidas exigen") == []
    assert _sentence_of(text, found, "Desmantelar las redes") == []

    february = [d for d in result.dates if d.value == "2026-02" and d.upcoming]
    if february:  # due needs the dates step; due matching itself is tested below
        assert convinieron.due == "2026-02"
    if any(a.name == "Marco Rubio" for a in result.actors):
        assert "Marco Rubio" in convinieron.actor_names


def test_seed_story_due_and_names_with_hand_built_dates_and_actors() -> None:
    text = _seed_text()
    feb = text.index("en febrero, con motivo") + 3
    jan = text.index("23 de enero")
    dates = [
        DateMention(jan, jan + 11, "23 de enero", "2026-01-23", "day", True, 0),
        DateMention(feb, feb + 7, "febrero", "2026-02", "month", True, 0),
    ]
    rubio = text.index("Marco Rubio")
    fuente = text.index("Juan Ramón de la Fuente")
    actors = [
        Actor(rubio, rubio + 11, "Marco Rubio", "person", "Marco Rubio", "secretario de Estado"),
        Actor(
            fuente,
            fuente + 23,
            "Juan Ramón de la Fuente",
            "person",
            "Juan Ramón de la Fuente",
            "secretario de Relaciones Exteriores",
        ),
    ]
    found = find_commitments(segment(text, "es"), actors, dates)
    (convinieron,) = _sentence_of(text, found, "El secretario Rubio y el secretario De la Fuente")
    assert convinieron.due == "2026-02"
    assert set(convinieron.actor_names) == {"Marco Rubio", "Juan Ramón de la Fuente"}
    acordaron = [
        c for c in _sentence_of(text, found, "Acordaron que el Grupo") if c.trigger == "Acordaron"
    ]
    # "ambos secretarios" names the two secretaries introduced earlier.
    assert set(acordaron[0].actor_names) == {"Marco Rubio", "Juan Ramón de la Fuente"}
    # The 23 January date belongs to a relative clause about another meeting.
    assert acordaron[0].due == ""


# ------------------------------------------------------------------ Spanish rules


def test_spanish_agreement_promise_plan_and_decision() -> None:
    assert _positive("Cuba y Alemania acordaron establecer una colaboración bilateral.", "es")
    (c,) = _positive("El ministro se comprometió a construir dos hospitales.", "es")
    assert (c.kind, c.actor, c.trigger) == ("promise", "El ministro", "se comprometió a")
    (c,) = _positive("Los ministros de ambos países se reunirán mañana en Bilbao.", "es")
    assert c.kind == "plan" and c.actor == "Los ministros de ambos países"
    (c,) = _positive("El Gobierno decidió no presentarse a las elecciones.", "es")
    assert c.kind == "decision" and not c.negated  # a commitment to refrain


def test_spanish_non_commitments() -> None:
    for sentence in (
        "Las amenazas compartidas exigen mayor cooperación y resultados.",
        "El alcalde pidió que la comisión presente un informe.",
        "Se espera que la empresa construya una planta.",
        "El juicio se celebrará el miércoles en Londres.",
        "Se celebrará una sesión del Pleno.",
        "La huelga de los pilotos continuará el lunes.",
        "Los analistas prevén que el banco subirá los tipos.",
        "La policía amenazó con arrestar a los opositores.",
        "Los Reyes firmaron en el libro de honor de la muestra.",
        "Smith anunció la maniobra de la empresa el miércoles.",
    ):
        assert _positive(sentence, "es") == [], sentence


def test_spanish_negated_commitments() -> None:
    (c,) = _find("Brasil y Bolivia no lograron llegar a un acuerdo sobre el gasoducto.", "es")
    assert c.negated and c.kind == "agreement"
    found = _find("El sindicato se negó a firmar el acuerdo.", "es")
    assert found and all(c.negated for c in found)


def test_spanish_dropped_subject_in_reported_clause_is_the_speaker() -> None:
    (c,) = _positive("China Eastern declaró que había firmado un contrato para comprar jets.", "es")
    assert c.actor == "China Eastern"


# ------------------------------------------------------------------ English rules


def test_english_commitments_and_actors() -> None:
    (c,) = _positive("Jayark Corp. agreed to pay $4 million in cash.", "en")
    assert (c.kind, c.actor, c.action) == ("agreement", "Jayark Corp.", "pay $4 million in cash")
    (c,) = _positive("The monarch will meet Bush on Thursday in Kennebunkport.", "en")
    assert c.kind == "plan" and c.actor == "The monarch"
    (c,) = _positive("Upjohn Co. said it will offer an early retirement package.", "en")
    assert c.actor == "Upjohn Co."
    (c,) = _positive(
        "Compaq, which said it discovered the bugs, still plans to announce products.", "en"
    )
    assert c.actor == "Compaq"


def test_english_pronoun_resolves_to_an_earlier_subject() -> None:
    text = "Ford Motor Co. reported a loss. It will close five plants next year."
    (c,) = _positive(text, "en")
    assert c.actor == "Ford Motor Co."


def test_dropped_subjects_and_pronouns_across_sentences() -> None:
    text = "Los ministros de Economía se reunieron ayer en Bruselas. Acordaron subir los impuestos."
    (c,) = _positive(text, "es")
    assert (c.trigger, c.actor, c.action) == (
        "Acordaron",
        "Los ministros de Economía",
        "subir los impuestos",
    )
    (c,) = _positive("Boeing and Airbus met in Paris. They agreed to share the costs.", "en")
    assert c.actor == "Boeing and Airbus"
    # A quoted first person stays the speaker; the action ends with the quote.
    (c,) = _positive('The two leaders met. "We will meet again in March," they said.', "en")
    assert (c.actor, c.action) == ("We", "meet again in March")


def test_english_non_commitments() -> None:
    for sentence in (
        "Mr. Gore called on Israel to continue taking risks for peace.",
        "Prices will rise next year.",
        "Analysts say the Fed will cut rates.",
        "The president said Washington would use force if diplomacy fails.",
        "Chrysler wants to eliminate 789 dealerships.",
        "The first flight is expected to take off in mid-2006.",
        "The company offered to buy the shares.",
        "Norton announced that it was exploring the sale of the unit.",
    ):
        assert _positive(sentence, "en") == [], sentence


def test_english_negated_commitments() -> None:
    (c,) = _find("She said she has no plans to do so.", "en")
    assert c.negated and c.kind == "plan"
    found = _find("The Miami relatives have refused to sign the document.", "en")
    assert found and all(c.negated for c in found)
    found = _find("The union did not agree to the new contract.", "en")
    assert found and all(c.negated for c in found)


def test_unknown_language_and_empty_text() -> None:
    assert _find("Der Minister versprach, Schulen zu bauen.", "de") == []
    assert _find("", "es") == []


def test_rules_are_data_with_every_placeholder_expanded() -> None:
    for lang in ("es", "en"):
        lex = load(lang)
        assert lex.triggers
        assert all("<<" not in t.regex.pattern for t in lex.triggers)
        assert {t.kind for t in lex.triggers} >= {"agreement", "promise", "decision", "plan"}


# ------------------------------------------------------------------ made-up news sentences

# Written for these tests (not taken from any evaluation set): (lang, is commitment, text).
MADE_UP = [
    ("es", True, "El Gobierno aprobó destinar 200 millones a la reconstrucción de las escuelas."),
    ("es", True, "Los sindicatos convocaron una huelga general para el próximo 15 de marzo."),
    ("es", True, "La empresa anunció que cerrará tres fábricas en 2027."),
    ("es", True, "Iberia y British Airways firmaron un acuerdo para compartir rutas."),
    ("es", True, "Ambos países pactaron reducir sus aranceles en un 10 por ciento."),
    ("es", True, "Telefónica invertirá 500 millones de euros en redes de fibra óptica."),
    ("es", True, "La ministra viajará el lunes a Bruselas para reunirse con sus homólogos."),
    ("es", True, "Según el acuerdo, la empresa deberá pagar una indemnización."),
    ("es", True, "La patronal aceptó subir los salarios un 3 por ciento."),
    ("es", True, "La ONU enviará 3.000 soldados a la región."),
    ("es", True, "Los dos partidos alcanzaron un acuerdo para formar un gobierno de coalición."),
    ("es", False, "La oposición exigió al Gobierno que convoque elecciones anticipadas."),
    ("es", False, "El ministro propuso crear una comisión de investigación."),
    ("es", False, "La empresa estudia la posibilidad de cerrar la planta."),
    ("es", False, "Se espera que el Gobierno apruebe el presupuesto la próxima semana."),
    ("es", False, "El acuerdo de paz de 1996 puso fin a la guerra civil."),
    ("es", False, "Si la oposición acepta, el Gobierno podría retirar la ley."),
    ("es", False, "El sindicato quiere negociar un nuevo convenio."),
    ("es", False, "La lluvia continuará durante todo el fin de semana."),
    ("es", False, "El portavoz aseguró que la economía crecerá un 3 por ciento."),
    ("es", False, "Estoy convencido de que el Gobierno cumplirá."),
    ("es", False, "De acuerdo con los datos del INE, el paro bajó un 2 por ciento."),
    ("es", False, "El Real Madrid jugará el domingo ante el Valencia."),
    ("es", False, "Irán denunció el ataque ante la ONU."),
    ("es", False, "Hasta ahora se va a quedar pequeña la planta."),
    ("en", True, "Toyota and Ford signed a deal to jointly develop hybrid engines."),
    ("en", True, "The union voted to strike next week."),
    ("en", True, "The board approved a plan to buy back $1 billion of shares."),
    ("en", True, "Apple will open three new stores in India next month."),
    ("en", True, "Microsoft announced it would acquire the startup for $2 billion."),
    ("en", True, "Officials said Iraq agreed to allow inspectors back."),
    ("en", True, "The senator is scheduled to visit Kyiv on Friday."),
    ("en", True, "The court ordered the company to pay $5 million in damages."),
    ("en", True, "Under the law, employers are required to offer training."),
    ("en", True, "Microsoft's agreement to acquire 40% of the firm shows its ambitions."),
    ("en", False, "Investors hope the Fed will cut rates."),
    ("en", False, "The deal is expected to close in the first quarter."),
    ("en", False, "The president signed the bill on Tuesday."),
    ("en", False, "He refused to comment on the report."),
    ("en", False, "The new phone will be available in stores next week."),
    ("en", False, "She was chosen to lead the delegation."),
    ("en", False, "The startup aims to double its revenue."),
    ("en", False, "Kidnappers kept their promise to free the hostages."),
    ("en", False, "The first episode of Still Processing will drop on Thursday."),
    ("en", False, "There is worry the government will use the attack to justify new laws."),
    ("es", False, "La policía anunció la detención de tres personas."),
    ("es", True, "El futbolista anunció su retirada al final de la temporada."),
    ("es", False, "Las partes negocian para alcanzar un acuerdo antes del viernes."),
    ("es", True, "Los ministros de Economía celebrarán una reunión el próximo lunes."),
    ("es", False, "Los aficionados celebraron el triunfo en la plaza."),
    ("es", True, "Fuentes de la compañía indicaron que Repsol venderá su participación."),
    ("es", False, "El precio del petróleo bajará en los próximos meses, según la OPEP."),
    ("es", True, "El PSOE y el PP acordaron ayer en el Congreso aprobar la reforma."),
    ("en", False, "The company announced the appointment of a new chief executive."),
    ("en", True, "Both sides agreed on a timetable for the withdrawal."),
    ("en", False, "The minister agreed that the situation was serious."),
    ("en", True, "The two companies have signed a letter of intent to merge."),
    ("en", False, "The Fed will probably raise rates in June, economists said."),
    ("en", True, "IBM said it plans to hire 1,000 engineers."),
    ("en", False, "Sales will rise 10% this year."),
    ("en", True, "The airline has committed to buying 50 new planes."),
    ("en", False, "He committed the crime in 1990."),
    ("es", True, "El candidato juró que, si gana, bajará el IVA."),
    ("es", False, "El Gobierno se comprometería a subir las pensiones si la oposición apoya."),
    ("en", True, "If elected, she will cut taxes."),
    ("en", False, "The union will strike unless management raises wages."),
    ("en", False, "If Iran attacks, the US will retaliate."),
    ("en", False, "The company won't cut jobs this year."),
    ("en", False, "The company is expected to sign a deal next week."),
    ("en", False, "The rebels could sign the accord as early as Friday."),
    ("en", True, "The rebels will sign the accord on Friday."),
    ("en", False, "It is unclear whether the president will veto the bill."),
    ("en", False, "Shares of the company will be listed in London."),
    ("en", True, "The company will list its shares in London."),
    ("en", False, "The weather service said temperatures will fall."),
    ("es", False, "Se espera que ambas partes firmen un acuerdo la próxima semana."),
    ("es", True, "El Gobierno firmará el acuerdo el viernes."),
    ("es", False, "Las acciones de la compañía cotizarán en Londres."),
    ("es", True, "Fuentes oficiales indicaron que el Gobierno convocará elecciones en mayo."),
    ("es", False, "El Gobierno quiere firmar el acuerdo antes del verano."),
    ("es", False, "¿Firmará el Gobierno el acuerdo?"),
    ("en", False, "Museum Of London's Next Exhibition Will Reveal The City At Night"),
]


@pytest.mark.parametrize(("lang", "expected", "sentence"), MADE_UP)
def test_made_up_sentences(lang: str, expected: bool, sentence: str) -> None:
    assert bool(_positive(sentence, lang)) is expected


# ------------------------------------------------------------------ scorer


def test_actor_match_is_lenient_but_not_empty() -> None:
    assert actor_matches("Los ministros de Trabajo", "los ministros de Trabajo del Mercosur")
    assert actor_matches("El secretario Rubio", "Rubio")
    assert actor_matches("", "")
    assert not actor_matches("", "Rubio")
    assert not actor_matches("Airbus", "")
    assert not actor_matches("the government", "the")
    assert not actor_matches("Boeing", "Airbus")


def test_score_counts_negated_as_negative(tmp_path: Path) -> None:
    rows = [
        {
            "id": "x1",
            "lang": "en",
            "text": "Jayark Corp. agreed to pay $4 million.",
            "commitment": True,
            "actor": "Jayark Corp.",
        },
        {
            "id": "x2",
            "lang": "en",
            "text": "The union did not agree to the contract.",
            "commitment": False,
            "actor": "The union",
        },
        {"id": "x3", "lang": "en", "text": "Prices will rise.", "commitment": False, "actor": ""},
        {
            "id": "x4",
            "lang": "es",
            "text": "El Gobierno anunció los resultados.",
            "commitment": True,
            "actor": "El Gobierno",
        },
    ]
    tallies, _ = score(rows)
    en, es = tallies["en"].figures(), tallies["es"].figures()
    assert (en["tp"], en["fp"], en["fn"], en["tn"]) == (1, 0, 0, 2)
    assert en["actor_accuracy"] == 100.0
    assert (es["tp"], es["fn"]) == (0, 1)
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert evaluate_main(["commitments", str(path), "--json"]) == 0


@pytest.mark.skipif(not DEV.exists(), reason="evaluation data not available")
def test_dev_set_stays_above_the_floor() -> None:
    with DEV.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    tallies, _ = score(rows)
    for lang in ("es", "en"):
        figures = tallies[lang].figures()
        assert figures["f1"] >= 80.0, (lang, figures)
        assert figures["actor_accuracy"] >= 75.0, (lang, figures)
