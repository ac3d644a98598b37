"""Country scoring on text the project writes: what says where a story happens (places,
institutions, the outlet's country), what only says who takes part (nationalities of persons),
and when a country is a subject (primary) rather than context."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import _validator
from worker.enrich import Enricher, countries, demonyms
from worker.enrich.places import Candidate, PlaceHit


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _countries(enricher: Enricher, lang: str, title: str, body: str,
               **extra: Any) -> dict[str, Any]:
    e = enricher.enrich({"id": "t", "lang": lang, "title": title, "body": body, **extra})
    return {c["code"]: c for c in e["countries"]}


def _primary(got: dict[str, Any]) -> set[str]:
    return {code for code, c in got.items() if c["primary"]}


# -- kind 1: every form of the most-named country ----------------------------------------------

def test_german_abbreviations_compounds_and_inflected_names(enricher: Enricher) -> None:
    got = _countries(
        enricher, "de", "Neue Zölle: Die USA erhöhen den Druck auf Mexiko",
        "Die USA haben am Montag neue Zölle angekündigt. Der US-Handelsbeauftragte sagte, die "
        "Vereinigten Staaten würden nicht nachgeben. In den USA wächst die Kritik der "
        "US-Industrie. Mexiko prüft eine Antwort.")
    assert _primary(got) == {"US", "MX"}
    assert got["US"]["score"] == 1.0 and got["US"]["mentions"] >= 5


def test_an_abbreviation_that_is_a_word_in_lower_case_is_no_country(enricher: Enricher) -> None:
    got = _countries(enricher, "it", "Come si usa la nuova app del comune",
                     "Il sindaco usa la app ogni giorno: la usa anche per pagare il parcheggio.")
    assert "US" not in got
    got = _countries(enricher, "it", "Gli Usa alzano i dazi",
                     "Gli Usa hanno annunciato nuovi dazi. La Casa Bianca conferma.")
    assert _primary(got) == {"US"}


def test_a_place_against_a_currency_sign_is_a_currency(enricher: Enricher) -> None:
    got = _countries(enricher, "pt", "Empresa paga US$ 30 milhões em multa no Chile",
                     "A empresa chilena pagou US$ 30 milhões ao governo do Chile, e mais "
                     "US$ 5 milhões em custas.")
    assert _primary(got) == {"CL"} and "US" not in got


# -- kind 2: local stories: institutions, the outlet's country, the language's ----------------

@pytest.mark.parametrize(("lang", "title", "body", "code"), [
    ("it", "Furto in gioielleria, arrestati due uomini",
     "I carabinieri hanno arrestato due uomini dopo il furto. La questura indaga.", "IT"),
    ("es", "La Guardia Civil detiene a tres personas",
     "Agentes de la Guardia Civil detuvieron ayer a tres personas por el robo.", "ES"),
    ("de", "Bundestag stimmt über Haushalt ab",
     "Der Bundestag hat am Freitag den Haushalt beschlossen.", "DE"),
    ("fr", "L'Élysée dément toute réunion secrète",
     "L'Élysée a démenti mardi la tenue d'une réunion secrète avec les syndicats.", "FR"),
])
def test_a_national_institution_places_the_story(enricher: Enricher, lang: str, title: str,
                                                 body: str, code: str) -> None:
    assert _primary(_countries(enricher, lang, title, body)) == {code}


def test_the_outlets_country_places_a_story_that_names_no_place(enricher: Enricher) -> None:
    title = "Incendio en una nave industrial durante la madrugada"
    body = ("Los bomberos apagaron anoche un incendio en una nave industrial. No hubo heridos, "
            "según el ayuntamiento.")
    assert _countries(enricher, "es", title, body) == {}
    got = _countries(enricher, "es", title, body, source_country="ES")
    assert _primary(got) == {"ES"} and got["ES"]["mentions"] == 0
    # it never outweighs a place the text names
    got = _countries(enricher, "es", "Incendio en Bogotá", "Un incendio en Bogotá, Colombia.",
                     source_country="ES")
    assert _primary(got) == {"CO"} and "ES" not in got


def test_the_language_prior_needs_people_named_by_nationality(enricher: Enricher) -> None:
    recipe = _countries(enricher, "it", "La ricetta della domenica",
                        "Per il ragù servono carne, pomodoro e un po' di pazienza.")
    assert recipe == {}
    crime = _countries(enricher, "it", "Scippo al parco, preso un ragazzo",
                       "Un ragazzo romeno di 17 anni ha strappato la borsa a una donna nel parco. "
                       "Gli agenti lo hanno fermato poco dopo.")
    assert _primary(crime) == {"IT"} and not crime["RO"]["primary"]


def test_language_prior_from_cldr() -> None:
    assert countries.language_prior("it") == "IT"
    assert countries.language_prior("pt") == "BR"
    for lang in ("de", "fr", "es", "en", None, "xx"):
        assert countries.language_prior(lang) is None, lang


def test_the_input_schema_documents_source_country() -> None:
    validator = _validator("raw-article.v1.json")
    assert validator.is_valid({"id": "a", "body": "b", "source_country": "IT"})
    assert not validator.is_valid({"id": "a", "body": "b", "source_country": "italy"})


# -- kind 3: a person's nationality is not the story's country ---------------------------------

@pytest.mark.parametrize(("lang", "text", "word", "expected"), [
    ("it", "Lo straniero, un cittadino albanese, sarà processato", "albanese", True),
    ("it", "un albanese di 30 anni è stato fermato", "albanese", True),
    ("it", "un 25enne marocchino è stato fermato", "marocchino", True),
    ("it", "il governo albanese ha risposto", "albanese", False),
    ("it", "un partito albanese ha vinto", "albanese", False),
    ("en", "a 30-year-old Albanian man was held", "Albanian", True),
    ("en", "the Albanian government said", "Albanian", False),
    ("de", "ein 25-jähriger Syrer wurde festgenommen", "Syrer", True),
    ("de", "die syrische Regierung erklärte", "syrische", False),
    ("es", "un joven peruano fue detenido", "peruano", True),
    ("fr", "un ressortissant tunisien a été interpellé", "tunisien", True),
    ("pt", "um homem boliviano foi preso", "boliviano", True),
    ("pt", "o governo boliviano anunciou", "boliviano", False),
])
def test_a_nationality_next_to_a_person_describes_the_person(lang: str, text: str, word: str,
                                                             expected: bool) -> None:
    start = text.index(word)
    assert demonyms.of_person(text, start, start + len(word), lang) is expected


def test_an_arrested_foreigner_does_not_move_the_story(enricher: Enricher) -> None:
    got = _countries(enricher, "it", "Rapina in tabaccheria, arrestato un 30enne",
                     "Un albanese di 30 anni è stato arrestato dai carabinieri dopo la rapina "
                     "in una tabaccheria del centro.")
    assert _primary(got) == {"IT"}
    assert got["AL"]["score"] < 0.5


# -- kind 4: secondary countries stay secondary -------------------------------------------------

def test_a_country_named_once_beside_a_stronger_one_is_not_primary(enricher: Enricher) -> None:
    got = _countries(enricher, "es", "Chile aprueba su nueva ley de pesca",
                     "El Congreso de Chile aprobó la ley. Perú estudia una norma parecida. "
                     "El gobierno chileno celebró la votación en Santiago.")
    assert _primary(got) == {"CL"}
    assert got["PE"]["score"] <= countries.PASSING_SCORE


def test_a_country_named_only_as_an_actor_is_not_primary(enricher: Enricher) -> None:
    got = _countries(enricher, "it", "Brasile, crolla la diga di Minas Gerais",
                     "In Brasile è crollata una diga nel Minas Gerais. Tecnici tedeschi "
                     "avevano ispezionato l'impianto; un'azienda tedesca lo gestiva. Il Brasile "
                     "ha aperto un'inchiesta.")
    assert _primary(got) == {"BR"}
    assert not got["DE"]["primary"]


def test_a_context_country_scores_below_the_secondary_band() -> None:
    def hit(start: int, code: str) -> PlaceHit:
        return PlaceHit(start, start + 5, "Name", (Candidate(code, "country", code),))

    title = countries.FieldHits("title", [hit(0, "KE")])
    body = countries.FieldHits("body", [hit(10, "KE"), hit(900, "FR"), hit(1200, "FR")])
    got = {c["code"]: c for c in countries.score([title, body])}
    assert got["KE"]["primary"] and not got["FR"]["primary"]
    assert got["FR"]["score"] < 0.15


# -- towns resolved by another step -------------------------------------------------------------

def test_resolved_towns_count_where_the_other_places_agree() -> None:
    body = countries.FieldHits("body", [
        PlaceHit(10, 18, "Lombardia", (Candidate("IT", "region", "Lombardy"),))])
    towns = [countries.ResolvedPlace("body", 40, "IT", 9000),
             countries.ResolvedPlace("body", 600, "FR", 2000)]
    got = {c["code"]: c for c in countries.score([body], towns=towns)}
    assert got["IT"]["primary"] and got["IT"]["mentions"] == 2
    assert not got["FR"]["primary"] and got["FR"]["score"] <= countries.PASSING_SCORE


def test_towns_alone_that_agree_place_the_story() -> None:
    towns = [countries.ResolvedPlace("title", 0, "IT", 3000),
             countries.ResolvedPlace("body", 50, "IT", 5000),
             countries.ResolvedPlace("body", 700, "AR", 1500)]
    got = {c["code"]: c for c in countries.score([countries.FieldHits("body", [])],
                                                 towns=towns)}
    assert _primary(got) == {"IT"}


def test_a_foreign_town_after_an_article_is_a_common_noun(enricher: Enricher) -> None:
    """Spanish "la Mesa del Congreso" is the chamber's bureau, not Mesa, Arizona; a capital
    or a city where the language is spoken keeps its article ("el Madrid de los años 80")."""
    got = _countries(enricher, "es", "Nueva reunión en el Parlamento",
                     "La Mesa del Parlamento se reunió ayer. Después viajó a Mesa, en Arizona.")
    assert got["US"]["mentions"] == 2  # Mesa and Arizona, not "la Mesa"
    got = _countries(enricher, "es", "Recuerdos de una ciudad",
                     "El libro retrata el Madrid de los años ochenta.")
    assert _primary(got) == {"ES"}


def test_departments_and_counties_place_a_story_in_their_own_language(
        enricher: Enricher) -> None:
    """France's departments, England's counties: ISO 3166-2 units a reader calls a region,
    read in their country's language only (German "des Landes" is "of the country")."""
    got = _countries(enricher, "fr", "Incendie dans la Gironde",
                     "Un incendie a détruit 300 hectares en Gironde, près de la côte. Les "
                     "pompiers de la Gironde restent mobilisés.")
    assert _primary(got) == {"FR"}
    got = _countries(enricher, "de", "Reform des Landes",
                     "Die Regierung des Landes will die Reform bis Juni beschließen.")
    assert "FR" not in got


@pytest.mark.parametrize(("lang", "text", "code"), [
    ("es", "Miles de peregrinos llegaron a la Meca.", "SA"),
    ("es", "El tribunal de la Haya falló ayer.", "NL"),
    ("fr", "Des pèlerins sont arrivés à la Mecque.", "SA"),
    ("fr", "Un ouragan a frappé la Nouvelle-Orléans.", "US"),
    ("it", "Migliaia di pellegrini alla Mecca.", "SA"),
    ("en", "Judges in the Hague ruled on Monday.", "NL"),
])
def test_a_name_that_holds_its_article_is_found_with_it(lang: str, text: str,
                                                        code: str) -> None:
    """The article rule leaves names that take their article alone ("la Meca", "the
    Hague"), and those written with it in lower case are matched whole."""
    from worker.enrich import places

    hits = places.gazetteer(lang).find(text)
    assert any(code in {c.code for c in h.candidates} for h in hits), (lang, text)


def test_a_region_named_with_an_article_needs_its_capital() -> None:
    """"La Unión" is a department of El Salvador; "la Unión" in running Spanish text is the
    European Union: only city names are matched from a lower-case article."""
    from worker.enrich import places

    hits = places.gazetteer("es").find("Los ministros de la Unión aprobaron el plan.")
    assert all("SV" not in {c.code for c in h.candidates} for h in hits)
