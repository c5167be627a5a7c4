"""Contrastive frames for every trigger family of the commitment guidelines.

The sentences are made up for these tests from the trigger tables of the
annotation guidelines (§1.1 kinds, §1.2 non-commitments, §7 clarifications);
none is taken from an evaluation file. Each family is tried in the ordinary
frames news uses (main verb, reported speech, pronoun or dropped subject,
headline, noun object, present perfect and historical present, first-person
quote, nominal form with content), next to the negatives that share its words
(prediction, demand, offer, hypothetical, completed act, agentless schedule,
marketing and programme language).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tui.analysis.commitments import find_commitments
from tui.analysis.model import Commitment, DateMention
from tui.analysis.pipeline import analyze
from tui.analysis.segment import segment


def _positive(text: str, lang: str) -> list[Commitment]:
    return [c for c in analyze(text, language=lang).commitments if not c.negated]


# (lang, kind, actor expected to be contained in the found actor, text). The text
# may hold several sentences; the commitment checked is the first positive one
# in the last sentence.
POSITIVE = [
    # ---------------------------------------------------------------- agreement
    ("en", "agreement", "The two unions", "The two unions agreed to end the strike."),
    ("en", "agreement", "Iran", "Officials said Iran had agreed to ship its uranium abroad."),
    ("en", "agreement", "Siemens", "Siemens held talks in Paris. It agreed to sell its rail unit."),
    ("en", "agreement", "Boeing", "Boeing Agrees to Pay $200 Million Over Safety Claims"),
    ("en", "agreement", "Nissan", "Nissan Signs Deal to Supply Batteries to Renault"),
    ("en", "agreement", "Vodafone", "Vodafone and Three have signed a contract to share masts."),
    (
        "en",
        "agreement",
        "the minister",
        '"We have agreed to cut tariffs by half," the minister said.',
    ),
    (
        "es",
        "agreement",
        "Los sindicatos",
        "Los sindicatos y la patronal acordaron subir los sueldos.",
    ),
    (
        "es",
        "agreement",
        "Perú",
        "El canciller dijo que Perú y Chile acordaron reabrir la frontera.",
    ),
    (
        "es",
        "agreement",
        "Los presidentes",
        "Los presidentes se reunieron en Lima. Acordaron crear una comisión.",
    ),
    ("es", "agreement", "Iberia", "Iberia y Vueling aceptan compartir rutas a Canarias"),
    (
        "es",
        "agreement",
        "Los dos partidos",
        "Los dos partidos han pactado aprobar los presupuestos.",
    ),
    ("es", "agreement", "Allergan", "Allergan aceptó al final combinar su negocio con Actavis."),
    (
        "es",
        "agreement",
        "Los ministros",
        "Los ministros de Interior coinciden en reforzar la cooperación policial.",
    ),
    # ---------------------------------------------------------------- promise
    ("en", "promise", "The mayor", "The mayor promised to build 2,000 homes."),
    ("en", "promise", "the president", "Aides said the president had vowed to veto the bill."),
    (
        "en",
        "promise",
        "The prime minister",
        "The prime minister visited the flood zone. She pledged to rebuild every bridge.",
    ),
    ("en", "promise", "Germany", "Germany Pledges $500 Million to Rebuild Ukraine's Power Grid"),
    ("en", "promise", "Japan", "Japan pledged aircraft and medical teams for the rescue."),
    ("en", "promise", "The airline", "The airline has vowed to refund every passenger."),
    (
        "en",
        "promise",
        "The company",
        "The company's commitment to halve its emissions was welcomed.",
    ),
    ("es", "promise", "El alcalde", "El alcalde prometió construir 20.000 pisos en Madrid."),
    ("es", "promise", "El Gobierno", "El Gobierno comprometió su respaldo a la candidatura."),
    ("es", "promise", "La empresa", "La empresa ha garantizado que reanudará la producción."),
    ("es", "promise", "Sánchez", "Sánchez promete 1,5 millones para la reconstrucción"),
    (
        "es",
        "promise",
        "El ministro",
        "El ministro visitó la zona afectada. Prometió ayudas para los agricultores.",
    ),
    (
        "es",
        "promise",
        "la empresa",
        "La producción se reanudará en mayo, tal y como ha garantizado la empresa.",
    ),
    ("es", "plan", "El Papa", "El Papa le pide que rece por él, «igual que yo lo haré por ti»."),
    ("es", "promise", "Errejón", "«Habrá respuestas urgentes a los problemas», prometió Errejón."),
    ("es", "promise", "el candidato", "«Bajaré el IVA y lo cumpliré», aseguró el candidato."),
    (
        "es",
        "promise",
        "Campofrío",
        "Campofrío y el Ayuntamiento garantizaron la construcción de una nueva planta.",
    ),
    # ---------------------------------------------------------------- decision
    ("en", "decision", "The central bank", "The central bank decided to hold rates at 4 percent."),
    ("en", "decision", "Tesla", "Tesla said it will build a new factory in Mexico."),
    (
        "en",
        "decision",
        "Gillon McLachlan",
        "The league chief, Gillon McLachlan, announced on Monday that an independent panel "
        "would investigate the claims.",
    ),
    ("en", "decision", "The union", "The union has called a strike for Monday."),
    ("en", "decision", "he", "Just one day after he decided to go easy on Russia, he spoke."),
    ("en", "decision", "The council", "The council voted to ban cars from the old town."),
    (
        "en",
        "decision",
        "Sony",
        "Sony reported record profits. It announced it would buy back shares.",
    ),
    (
        "es",
        "decision",
        "El Consejo",
        "El Consejo de Ministros decidió congelar los sueldos públicos.",
    ),
    ("es", "decision", "El presidente", "El presidente dijo que construirá un nuevo hospital."),
    (
        "es",
        "decision",
        "Netanyahu",
        "Poco después, el primer ministro, Benjamín Netanyahu, ha condenado el atentado y "
        "ha añadido que se reunirá con los responsables de seguridad.",
    ),
    ("es", "decision", "La empresa", "La empresa anunció que cerrará dos fábricas en 2027."),
    ("es", "decision", "El sindicato", "El sindicato ha convocado una huelga para el lunes."),
    (
        "es",
        "decision",
        "El fiscal general",
        "El fiscal general tomó ayer la decisión de querellarse contra el alcalde.",
    ),
    ("es", "decision", "Neymar", "Neymar ha anunciado a sus compañeros que se va al PSG."),
    # ---------------------------------------------------------------- obligation
    (
        "en",
        "obligation",
        "the company",
        "Under the agreement, the company must keep the plant open until 2030.",
    ),
    ("en", "obligation", "Meta", "The court ordered Meta to pay $1 billion in damages."),
    ("en", "obligation", "landlords", "The new law requires landlords to register every tenancy."),
    ("en", "obligation", "Iran", "The deal obliges Iran to reduce its stockpile."),
    (
        "es",
        "obligation",
        "la empresa",
        "Según el acuerdo, la empresa deberá pagar una indemnización.",
    ),
    (
        "es",
        "obligation",
        "la empresa",
        "El tribunal ordenó a la empresa readmitir a los despedidos.",
    ),
    (
        "es",
        "obligation",
        "los bancos",
        "La nueva ley obliga a los bancos a informar de las comisiones.",
    ),
    # ---------------------------------------------------------------- plan
    ("en", "plan", "GM", "GM plans to lay off 2,000 workers."),
    ("en", "plan", "The foreign ministers", "The foreign ministers will meet in Geneva on Friday."),
    ("en", "plan", "imToken", "Then imToken will concentrate on countries in Africa."),
    ("en", "plan", "Airbus", "Airbus to Build Second Assembly Line in Alabama"),
    ("en", "plan", "Tesla", "Tesla is scheduled to open its factory next month."),
    ("en", "plan", "We", '"We\'ll return next week to sign the accord," she said.'),
    (
        "en",
        "plan",
        "Roblox",
        "Roblox posted record sales. It will host its developer conference in July.",
    ),
    ("en", "plan", "Netflix", "Netflix Will Raise Prices in Europe Next Month"),
    ("en", "plan", "The ministers", "The ministers will be meeting in Geneva on Friday."),
    ("en", "agreement", "Britain", "Britain and the EU agreed a £1bn deal on fishing rights."),
    ("es", "agreement", "Iberia", "Iberia y Vueling firman un acuerdo para compartir rutas"),
    ("es", "plan", "Los sindicatos", "Los sindicatos están preparando una huelga para el lunes."),
    ("es", "plan", "La empresa", "La empresa prevé invertir 3.600 millones el año próximo."),
    ("es", "plan", "Los ministros", "Los ministros se reunirán mañana en Bruselas."),
    ("es", "plan", "Telefónica", "Telefónica va a despedir a 2.000 empleados."),
    (
        "es",
        "plan",
        "El presidente",
        "El presidente expresó su intención de reformar la Constitución.",
    ),
    ("es", "plan", "Los maestros", "Los maestros alistan un paro nacional para el lunes."),
    ("es", "plan", "Torres-Dulce", "Torres-Dulce se querellará contra el alcalde"),
]


@pytest.mark.parametrize(("lang", "kind", "actor", "text"), POSITIVE)
def test_positive_frames(lang: str, kind: str, actor: str, text: str) -> None:
    doc_end = text.rstrip()
    found = _positive(text, lang)
    last = [c for c in found if c.end >= len(doc_end) - 1] or found
    assert last, text
    c = last[0]
    assert c.kind == kind, (text, c)
    assert actor.lower() in c.actor.lower(), (text, c.actor)


NEGATIVE = [
    # agreement words, no commitment
    ("en", "The minister agreed that the situation was serious."),
    ("en", "The parties are trying to reach an agreement before Friday."),
    ("en", "Under the 1990 accord, which expired, exports grew."),
    ("en", "The union will strike unless management agrees to raise wages."),
    ("en", "The ruling requires Menendez to have agreed to act."),
    ("es", "Estoy de acuerdo con el ministro en casi todo."),
    ("es", "Las partes negocian para alcanzar un acuerdo antes del viernes."),
    ("es", "El acuerdo de paz de 1996 puso fin a la guerra."),
    ("es", "Los reyes firmaron en el libro de honor del museo."),
    # promise words: marketing, non-agents, completed, hypothetical
    ("en", "These London talks promise to be fascinating snapshots of the city."),
    ("en", "The new season promises plenty of surprises."),
    ("en", "The State of the Union address promised unity but emphasized discord."),
    ("en", "Kidnappers kept their promise to free the hostages."),
    ("en", "If the bill passes, the governor would promise more funds."),
    ("es", "El programa promete emociones fuertes para toda la familia."),
    ("es", "El Gobierno se comprometería a subir las pensiones si la oposición apoya."),
    ("es", "El Gobierno cumplió su promesa de liberar a los presos."),
    # decision words: past facts, results, exploring, far-past one-off acts
    ("en", "The police announced the arrest of three men."),
    ("en", "Apple announced record revenue for the quarter."),
    ("en", "That night the pilots decided to land at once and continue by bus."),
    ("en", "The company is considering closing the plant."),
    ("es", "La policía anunció la detención de tres personas."),
    ("es", "El portavoz anunció que existen fondos para proyectos similares."),
    ("es", "En verano del año pasado decidió viajar a Siria tras pasar por Turquía."),
    ("es", "Un día alguien decidió levantar su casa junto al río."),
    ("es", "El Gobierno estudia cerrar la central nuclear."),
    # obligation words inside demands and opinions
    ("en", "Protesters insisted that the government must resign."),
    ("en", "A new bill would require providers to store metadata for two years."),
    ("en", "One must always read the small print."),
    ("es", "Los manifestantes exigieron que el Gobierno debe dimitir."),
    ("es", "Hay que ahorrar agua este verano."),
    ("es", "El fiscal considera que debe formularse querella ante el tribunal."),
    # plan words: predictions, fixtures, schedules, programmes, listings
    ("en", "Prices will rise next year, analysts said."),
    ("en", "With the economy doing record numbers, we will continue to win."),
    ("en", "The match will be played on Sunday."),
    ("en", "The festival will feature 40 bands across three stages."),
    ("en", "This week's episode will feature an interview with a chef."),
    ("en", "The vote is scheduled for Tuesday."),
    ("en", "Undercover London will make all your spy fantasies come true."),
    ("en", "Bring the family: the kids will enjoy the craft workshops."),
    ("en", "The storm is expected to hit Florida on Friday."),
    ("en", "Museum Of London's Next Exhibition Will Reveal The City At Night"),
    ("en", "Hullo Pillow: your favourite pillow, guaranteed."),
    ("en", "You will pay $99.99 for a seven-day subscription."),
    ("en", "Hopefully Twitter will open these features to developers."),
    ("en", "It sounds like Chrome will still support Flash in the future."),
    ("en", "It is the story of a man who decides to do something about his town."),
    ("en", "She was the first woman elected to public office in the state."),
    ("en", "Obama, free of a job that forced him to move to Washington, spoke."),
    ("en", "Strengthening winds promised even more challenges."),
    ("en", "Things To Do Today In London: Monday 26 June"),
    ("en", "Something will eventually replace the phone."),
    ("es", "Muchos lo hacen con la intención de sacar un beneficio."),
    ("es", "Parece planeaba incorporarse a las filas del grupo."),
    ("es", "Tras la firma del preacuerdo, la huelga quedó desconvocada."),
    ("es", "El portavoz ha aclarado que “nada hará desviar” al partido de su camino."),
    ("es", "El fondo recibirá una reclamación de 1.600 millones."),
    ("es", "La agenda del presidente aún no está cerrada, pero incluirá un acto con alcaldes."),
    ("en", "Great music, and we have a hunch we'll be spending a lot of time here."),
    ("es", "El portavoz confía en que «se harán esfuerzos» para frenar la crisis."),
    ("es", "Se desconoce cuándo ese país adoptará una decisión política."),
    ("es", "El cantante llegó anoche a Caracas, donde hoy actuará en el Teatro Nacional."),
    ("es", "La reunión se celebrará el lunes en Madrid."),
    ("es", "El Barcelona jugará el domingo ante el Valencia."),
    ("es", "El precio del petróleo subirá en los próximos meses."),
    ("es", "El festival contará con 40 grupos en tres escenarios."),
    ("es", "Se espera que el Gobierno apruebe el presupuesto."),
]


@pytest.mark.parametrize(("lang", "text"), NEGATIVE)
def test_negative_frames(lang: str, text: str) -> None:
    assert _positive(text, lang) == [], text


# ------------------------------------------------------------------ the actor


def test_headline_dropped_subject_is_the_story_actor() -> None:
    text = (
        "Convocan huelga de transporte para el jueves\n\n"
        "Los sindicatos del metro convocaron ayer una huelga de 24 horas."
    )
    found = _positive(text, "es")
    headline = [c for c in found if c.start == 0]
    assert headline and headline[0].actor == "Los sindicatos del metro"


def test_actor_is_never_a_word_of_the_trigger() -> None:
    (c, *_) = _positive("U.S. Pledges $1 Billion in Aid to Ukraine", "en")
    assert c.actor == "U.S."


def test_an_actor_never_holds_another_trigger() -> None:
    found = _positive("U.S. Pledges to Pay Family of Those Killed in Drone Strike", "en")
    assert [c.actor for c in found] == ["U.S."]


def test_actor_edges_are_trimmed() -> None:
    (c,) = _positive("• Google has announced that it will block Flash ads in Chrome.", "en")
    assert c.actor == "Google"
    (c,) = _positive("I’m planning to attend the conference again this year.", "en")
    assert c.actor == "I"
    (c,) = _positive("Aun así, los ministros optaron por no aplicar grandes cambios.", "es")
    assert c.actor == "los ministros"


def test_pronoun_never_resolves_to_a_common_noun_phrase() -> None:
    text = (
        "The costs of food rose sharply in May. They will cut the tax on bread, the minister said."
    )
    for c in _positive(text, "en"):
        assert "costs" not in c.actor.lower()
    text = (
        "As families struggle to pay the costs of food, fuel and rent, the prime minister "
        "and her chancellor, Kwasi Kwarteng, have unveiled their economic plan."
    )
    (c,) = _positive(text, "en")
    assert c.actor in ("the prime minister and her chancellor", "Kwasi Kwarteng")


def test_first_person_quote_resolves_to_the_named_speaker() -> None:
    (c,) = _positive("«Lo haré, sin duda», dijo el Papa a las víctimas.", "es")
    assert c.actor == "el Papa"


# ------------------------------------------------------------------ the action


@pytest.mark.parametrize(
    ("lang", "text", "action"),
    [
        ("es", "El alcalde prometió construir 20.000 pisos en Madrid.", "construir 20.000 pisos"),
        ("en", "The firm said it will charge $0.30 per session from May.", "$0.30 per session"),
        ("es", "Telefónica invertirá 1,5 millones de euros en fibra.", "1,5 millones de euros"),
        (
            "es",
            'El ministro prometió una "revolución verde" en el transporte antes de 2030.',
            '"revolución verde" en el transporte',
        ),
    ],
)
def test_action_stays_whole_across_numbers_and_quotes(lang: str, text: str, action: str) -> None:
    (c, *_) = _positive(text, lang)
    assert action in c.action, c.action


# ------------------------------------------------------------------ the due date


def test_due_date_comes_from_the_commitments_own_clause() -> None:
    text = "El PP se comprometió a votar la ley y el PSOE prometió presentar su plan en marzo."
    doc = segment(text, "es")
    at = text.index("en marzo") + 3
    dates = [DateMention(at, at + 5, "marzo", "2027-03", "month", True, 0)]
    found = find_commitments(doc, [], dates)
    by_trigger = {c.trigger: c for c in found}
    assert by_trigger["se comprometió a"].due == ""
    assert by_trigger["prometió"].due == "2027-03"


def test_due_date_on_a_real_analysis() -> None:
    result = analyze(
        "La empresa anunció que cerrará dos fábricas en marzo de 2027.",
        language="es",
        published=dt.date(2026, 1, 8),
    )
    (c,) = result.commitments
    assert c.due == "2027-03"
