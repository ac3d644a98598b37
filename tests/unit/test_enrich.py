"""The pure enrichment core on strings: language, places, countries, entities, sentiment."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from worker.enrich import (
    Enricher,
    countries,
    language,
    lexicon_sources,
    lexicons,
    npmdata,
    places,
    sentiment,
    text,
)
from worker.enrich.entities import Mention, aggregate, trim
from worker.enrich.text import sentences


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def test_seed_article_countries(enricher: Enricher, seed: dict[str, Any]) -> None:
    e = enricher.enrich(seed)
    assert e["language"]["code"] == "it"
    by = {c["code"]: c for c in e["countries"]}
    assert by["KP"]["primary"] and by["RU"]["primary"]
    assert {"US", "UA"} <= set(by)
    assert not by["US"]["primary"] and not by["UA"]["primary"]
    assert by["JP"]["score"] <= 0.1  # "giapponese", a historical aside
    assert [c["score"] for c in e["countries"]] == sorted(
        (c["score"] for c in e["countries"]), reverse=True)
    assert all(0 <= c["score"] <= 1 for c in e["countries"])
    assert e["pipeline"]["ner"] is None  # no Italian pipeline installed: never the en/fr one


def test_mention_offsets_point_at_the_text(enricher: Enricher,
                                           samples: list[dict[str, Any]]) -> None:
    for art in samples:
        for ent in enricher.enrich(art)["entities"]:
            for m in ent["mentions"]:
                span = art[m["field"]][m["start"]:m["end"]]
                assert span, (art["id"], ent)
                if ent["label"] not in ("PERSON", "NORP"):
                    assert span == ent["text"], (art["id"], span, ent["text"])


def test_english_uses_the_english_pipeline_only(enricher: Enricher) -> None:
    en = enricher.enrich({"id": "1", "lang": "en", "body": "Angela Merkel met Emmanuel "
                          "Macron in Paris on Monday to discuss the war in Ukraine."})
    assert en["pipeline"]["ner"].startswith("en_core_web_sm")
    labels = {x["text"]: x["label"] for x in en["entities"]}
    assert labels.get("Angela Merkel") == "PERSON"
    assert labels.get("Paris") == "GPE"
    de = enricher.enrich({"id": "2", "body": "Angela Merkel traf Emmanuel Macron am Montag in "
                          "Paris, um über den Krieg in der Ukraine zu sprechen."})
    assert de["language"]["code"] == "de"
    assert de["pipeline"]["ner"] is None
    assert {c["code"] for c in de["countries"]} >= {"FR", "UA"}


def test_declared_language_contradicted_by_the_text_is_flagged() -> None:
    text = ("Il presidente del Consiglio ha incontrato i sindacati a Roma per discutere "
            "della riforma delle pensioni e del bilancio dello Stato per il prossimo anno.")
    info = language.resolve("en", text)
    assert info["declared_mismatch"] and info["code"] == "it" and info["declared"] == "en"
    short = language.resolve("en", "Ciao Roma")
    assert not short["declared_mismatch"] and short["code"] == "en"


def test_a_first_name_is_not_a_city() -> None:
    gaz = places.gazetteer("it")
    text = "Vladimir Putin ha parlato con Kim. Poi è andato a Vladimir."
    assert [(h.text, h.start) for h in gaz.find(text)] == [("Vladimir", text.rindex("Vlad"))]


def test_place_names_must_be_capitalised() -> None:
    gaz = places.gazetteer("en")
    assert [h.text for h in gaz.find("a nice day in Nice")] == ["Nice"]


def test_ambiguous_name_follows_context() -> None:
    gaz = places.gazetteer("en")
    us = [countries.FieldHits("body", gaz.find("Voters in Georgia and Texas went to the "
                                               "polls across the United States."))]
    ge = [countries.FieldHits("body", gaz.find("Georgia and Armenia signed a deal in "
                                               "Tbilisi."))]
    assert countries.score(us)[0]["code"] == "US"
    assert {c["code"] for c in countries.score(ge)} == {"GE", "AM"}


def test_demonyms_inflect_and_resolve() -> None:
    gaz = places.gazetteer("it")
    found = {h.text: h.candidates[0].code for h in gaz.find(
        "Le truppe nordcoreane e i soldati russi; la stampa giapponese; gli alleati tedeschi.")}
    assert found == {"nordcoreane": "KP", "russi": "RU", "giapponese": "JP", "tedeschi": "DE"}


def test_title_outweighs_a_passing_mention() -> None:
    gaz = places.gazetteer("en")
    out = countries.score([
        countries.FieldHits("title", gaz.find("Kenya")),
        countries.FieldHits("body", gaz.find(" " * 600 + "Kenya and Uganda. Uganda.")),
    ])
    assert out[0]["code"] == "KE" and out[0]["primary"]
    assert {c["code"]: c["mentions"] for c in out} == {"KE": 2, "UG": 2}


def test_no_country_at_all() -> None:
    assert Enricher().enrich({"id": "x", "body": "The recipe needs flour, eggs and "
                              "sugar."})["countries"] == []


def test_person_aliases_merge_into_the_full_name() -> None:
    ms = [Mention("body", 0, 14, "Vladimir Putin", "PERSON", "ner:x"),
          Mention("body", 30, 35, "Putin", "PERSON", "ner:x"),
          Mention("title", 0, 5, "Putin", "PERSON", "ner:x")]
    [ent] = aggregate(ms)
    assert ent["text"] == "Vladimir Putin" and ent["count"] == 3


def test_trim_drops_leading_function_words() -> None:
    assert trim("de France") == (3, "France")
    assert trim("the United States") == (4, "United States")
    assert trim("Den Haag") == (0, "Den Haag")


@pytest.mark.parametrize(("lang", "pos", "neg"), [
    ("en", "A wonderful success and a great victory.", "A terrible, deadly disaster."),
    ("it", "Un successo straordinario e una grande gioia.", "Una strage terribile, decine di "
           "morti."),
    ("fr", "Un résultat excellent et magnifique.", "Une situation horrible et désastreuse."),
    ("de", "Ein wunderbarer, großartiger Erfolg.", "Eine schreckliche, furchtbare Katastrophe."),
    ("pt", "Uma vitória excelente e maravilhosa.", "Uma tragédia terrível e horrível."),
    ("es", "Una victoria extraordinaria y una gran alegría.", "Una tragedia terrible con "
           "decenas de muertos."),
])
def test_sentiment_polarity(lang: str, pos: str, neg: str) -> None:
    lex = sentiment.lexicon(lang)
    assert sentiment.score_text(lex, [pos])["label"] == "positive"
    assert sentiment.score_text(lex, [neg])["label"] == "negative"


def test_negation_flips() -> None:
    lex = sentiment.lexicon("it")
    assert sentiment.score_text(lex, ["È un buon accordo."])["label"] == "positive"
    assert sentiment.score_text(lex, ["Non è buono."])["label"] == "negative"


def test_unsupported_language_is_said_not_faked() -> None:
    # Tibetan: no permissive lexicon covers it
    out = sentiment.score_text(sentiment.lexicon("bo"), ["བཀྲ་ཤིས་བདེ་ལེགས།"])
    assert out == {"score": None, "label": "unsupported", "method": "none", "confidence": None}


@pytest.mark.parametrize(("lang", "form", "lemma"), [
    ("it", "uccisi", "uccidere"), ("de", "getöteten", "töten"), ("es", "destruyeron", "destruir"),
    ("fr", "détruites", "détruire"), ("pt", "destruíram", "destruir"), ("en", "devastated",
                                                                          "devastate"),
])
def test_inflected_forms_take_their_lemma_valence(lang: str, form: str, lemma: str) -> None:
    """Only the lemma is written in news_polarity.toml; the forms come from simplemma."""
    table = sentiment.lexicon(lang).valences  # type: ignore[union-attr]
    key = text.fold(form) if table.fold_accents else form
    assert form not in lexicons.concepts(lang)[0]
    assert table.value(key) == table.value(text.fold(lemma) if table.fold_accents
                                           else lemma) < 0


def test_a_shifter_reverses_what_it_ends_or_reduces() -> None:
    it = sentiment.lexicon("it")
    assert sentiment.score_text(it, ["La guerra continua."])["label"] == "negative"
    assert sentiment.score_text(it, ["L'accordo pone fine alla guerra."])["label"] == "positive"
    en = sentiment.lexicon("en")
    assert sentiment.score_text(en, ["They managed to reduce unemployment."])["label"] == \
        "positive"


@pytest.mark.parametrize(("lang", "ended", "goes_on"), [
    ("en", "The war ended last year.", "The war goes on."),
    ("it", "La crisi è stata superata.", "La crisi continua."),
    ("de", "Der Krieg wurde beendet.", "Der Krieg geht weiter."),
    ("es", "La crisis se resolvió.", "La crisis continúa."),
])
def test_a_shifter_after_its_subject_reverses_it(lang: str, ended: str, goes_on: str) -> None:
    """Subject before verb: with no polar word after it, a shifter reverses the one before."""
    lex = sentiment.lexicon(lang)
    assert sentiment.score_text(lex, [goes_on])["label"] == "negative"
    assert sentiment.score_text(lex, [ended])["label"] == "positive"


def test_a_shifter_reverses_one_word_only_and_prefers_the_one_after() -> None:
    en = sentiment.lexicon("en")
    assert en is not None
    war = en.valences.value("war")
    assert war is not None
    # forward: "ended the war"; the earlier word is left alone
    assert sentiment.raw_score(en, "They ended the war") == pytest.approx(
        sentiment.NEGATION_SCALE * war)
    # too far back: nothing to reverse
    assert sentiment.raw_score(en, "war came and went as the years and decades ended") == \
        pytest.approx(1.5 * war)


@pytest.mark.parametrize(("lang", "good", "bad"), [
    ("en", "Unemployment fell to its lowest level in a decade.", "Exports fell sharply in March."),
    ("en", "Exports rose by 4 percent.", "Unemployment rose again in the spring."),
    ("it", "La disoccupazione è scesa al 7 per cento.", "Le vendite sono calate del 10 per cento."),
    ("es", "El desempleo bajó en el último trimestre.", "Las exportaciones cayeron un 12 %."),
    ("de", "Die Arbeitslosigkeit sinkt seit Monaten.", "Der Umsatz ist im Herbst gesunken."),
    ("fr", "Le chômage a baissé en octobre.", "Les ventes ont baissé en octobre."),
    ("pt", "A inflação caiu em setembro.", "As exportações caíram 8 % no trimestre."),
    ("en", "Inflation remains low.", "Unemployment remains high."),
    ("pt", "O governo anuncia queda no desmatamento.", "A poluição aumentou no inverno."),
])
def test_a_rise_or_fall_is_read_with_what_rises_or_falls(lang: str, good: str, bad: str) -> None:
    lex = sentiment.lexicon(lang)
    assert sentiment.score_text(lex, [good])["label"] == "positive", good
    assert sentiment.score_text(lex, [bad])["label"] == "negative", bad


def test_direction_pairs_leave_other_words_alone_and_obey_shifters() -> None:
    en = sentiment.lexicon("en")
    assert en is not None
    # no quantity near: a direction is no evidence; a price is neither good nor bad news
    for plain in ("The river level fell overnight.", "Prices rose in May.",
                  "The rose garden was opened."):
        assert sentiment.raw_score(en, plain) == 0.0, plain
    # a shifter reverses the pair as it reverses a polar word
    assert sentiment.raw_score(en, "Measures to prevent a fall in exports") == pytest.approx(
        sentiment.NEGATION_SCALE * -sentiment.PAIR_VALENCE)
    # "growth" is a quantity to "slowed" before it is a direction to "export"
    assert sentiment.score_text(en, ["Export growth slowed in the third quarter."])["label"] \
        == "negative"
    # too far apart: no pair
    assert sentiment.raw_score(en, "Sales in the north and in the south were lower") == 0.0


@pytest.mark.parametrize(("lang", "participle", "verb"), [
    ("es", "fallecido", "fallecer"), ("pt", "resolvido", "resolver"), ("fr", "effondré",
                                                                        "effondrer"),
])
def test_a_participle_with_its_own_lemma_reads_as_its_verb(lang: str, participle: str,
                                                          verb: str) -> None:
    """The lemmatisation lists give these participles themselves as lemma."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary(lang)
    assert forms.get(participle, participle) == participle
    table = sentiment.lexicon(lang).valences  # type: ignore[union-attr]
    key = text.fold if table.fold_accents else str
    if key(verb) in table.shifters:
        assert key(participle) in table.shifters
    else:
        assert table.value(key(participle)) == table.value(key(verb)) is not None


def test_a_participle_of_a_stop_verb_that_also_means_arrest_is_the_arrest() -> None:
    """"deter" (pt) is both "to halt" (a shifter) and "to detain"; "detido" is the latter."""
    pt = sentiment.lexicon("pt")
    assert pt is not None and "deter" in pt.valences.shifters
    assert "detido" not in pt.valences.shifters
    assert sentiment.score_text(pt, ["O ex-ministro foi detido ontem."])["label"] == "negative"


def test_adverbs_and_abstract_nouns_take_their_adjective_value() -> None:
    for lang in ("en", "de", "es", "pt"):  # French lists few adverbs in its lemma lists
        third, _ = lexicons._third_party(lang, frozenset(), str, strict=True)
        table = sentiment.lexicon(lang).valences  # type: ignore[union-attr]
        derived = 0
        for word, v in third.items():
            for ending, suffix in lexicons._endings(lang, "derived"):
                new = word[:len(word) - len(ending)] + suffix if word.endswith(ending) else ""
                if new and new not in third and table.words.get(new) == v:
                    derived += 1
        assert derived >= 10, lang
    de = sentiment.lexicon("de").valences  # type: ignore[union-attr]
    assert de.words["blödheit"] == de.words["blöd"] < 0
    es = sentiment.lexicon("es").valences  # type: ignore[union-attr]
    assert es.words["cruelmente"] == es.words["cruel"] < 0


def test_a_german_separable_verb_is_read_whole() -> None:
    """The particle at the clause's end belongs to the verb near its start."""
    de = sentiment.lexicon("de")
    assert de is not None
    assert sentiment._words(de, "Die Polizei nahm den Mann am Montag fest.") == [
        "die", "polizei", "festnahm", "den", "mann", "am", "montag"]
    assert sentiment.score_text(de, ["Die Polizei nahm den Mann am Montag fest."])["label"] \
        == "negative"
    # the direction of "zurückgehen" pairs with its quantity, across the bracket
    assert sentiment.score_text(de, ["Der Umsatz ging im Herbst deutlich zurück."])["label"] \
        == "negative"
    # a clause ends at a comma: "ab" is not carried into the next one
    assert sentiment._words(de, "Er lehnte ab, sagte sie.") == ["er", "ablehnte", "sagte", "sie"]
    # a preposition at the end that makes no verb is left where it is
    assert sentiment._words(de, "Er fuhr nach.") == ["er", "fuhr", "nach"]


def test_german_compounds_are_read_by_their_head_noun() -> None:
    de = sentiment.lexicon("de").valences  # type: ignore[union-attr]
    assert "regierungskrise" not in de.words
    assert de.value("regierungskrise") == de.value("krise") < 0


def test_function_words_of_third_party_lexicons_are_no_evidence() -> None:
    pt = sentiment.lexicon("pt")
    assert pt is not None and pt.valences.value("para") is None  # LeIA scores it -0.6
    out = sentiment.score_text(pt, ["O ministro viajou para Lisboa na segunda-feira."])
    assert out["label"] == "neutral" and out["confidence"] == 0.0
    # chat interjections of one or two letters are ordinary words in news ("há" folded: "ha")
    assert pt.valences.value("ha") is None  # LeIA scores "ha" (laughter) +1.4
    en = sentiment.lexicon("en")
    assert en is not None and en.valences.value("ok") is None
    out = sentiment.score_text(pt, ["Há dois anos o ministro mora em Lisboa."])
    assert out["label"] == "neutral"


def test_confidence_grows_with_agreeing_evidence() -> None:
    assert sentiment.confidence([]) == 0.0 == sentiment.confidence([0.0, 0.0])
    one, many = sentiment.confidence([0.5]), sentiment.confidence([0.5, 0.4, 0.6, 0.5])
    split = sentiment.confidence([0.5, -0.5, 0.5, -0.5])
    assert 0 < one < many <= 1 and split == 0.0


def test_the_neutral_band_narrows_for_a_mean_of_many_sentences() -> None:
    assert sentiment.label_of(0.1) == "neutral"
    assert sentiment.label_of(0.1, pooled_over=9) == "positive"
    assert sentiment.label_of(-0.04, pooled_over=9) == "neutral"


def test_entity_level_sentiment_reads_the_entity_sentences() -> None:
    e = Enricher().enrich({"id": "x", "lang": "en", "body":
                           "France won a wonderful victory. Germany suffered a terrible, "
                           "deadly disaster."})
    tone = {x["text"]: x["sentiment"]["label"] for x in e["entities"]}
    assert tone["France"] == "positive" and tone["Germany"] == "negative"


def test_sentences_split_on_punctuation_and_blank_lines() -> None:
    got = [s.text for s in sentences("Primo. Secondo!\n\nTerzo paragrafo senza punto")]
    assert got == ["Primo.", "Secondo!", "Terzo paragrafo senza punto"]


def test_a_stored_gazetteer_is_the_one_built_from_its_sources() -> None:
    built = places._build("it")
    stored = places._load("it", places._dump(built))
    assert stored.table == built.table and stored.firsts == built.firsts
    assert list(stored.table) == list(built.table)  # candidate order decides ties
    assert places.gazetteer("it").table == built.table


def test_german_polarity_lexicon_verbs_are_left_out() -> None:
    """GPL-de scores "kaufen" -0.7 and "bestätigen" +0.7: roles, not news events."""
    de = sentiment.lexicon("de").valences  # type: ignore[union-attr]
    assert de.value("kaufen") is None and de.value("bestätigt") is None
    ugly = de.value("hässlich")  # an adjective of the lexicon (not a concept) stays
    assert "hässlich" not in lexicons.concepts("de")[0] and ugly is not None and ugly < 0


def test_the_seed_articles_bold_spans_are_found(enricher: Enricher,
                                                 seed: dict[str, Any]) -> None:
    """The seed article marks 24 spans in bold; each found as an entity, a date or an
    amount counts (the sample is the seed's text without the marks)."""
    import re

    from ..conftest import SHARED_SEED

    if not SHARED_SEED.is_file():
        pytest.skip(f"{SHARED_SEED} is not there")
    bold = list(dict.fromkeys(re.findall(r"\*\*([^*]+)\*\*", SHARED_SEED.read_text())))
    e = enricher.enrich(seed)
    body = seed["body"]
    labels = {body[m["start"]:m["end"]]: ent["label"] for ent in e["entities"]
              for m in ent["mentions"] if m["field"] == "body"}
    dates = {body[m["start"]:m["end"]]: d["value"] for d in e["dates"] for m in d["mentions"]
             if m["field"] == "body"}
    found = [*labels, *dates, *(a["text"] for a in e["amounts"])]
    hits = [b for b in bold if any(b in f for f in found)]
    assert len(bold) == 24 and len(hits) >= 20, sorted(set(bold) - set(hits))
    for name in ("Kim Jong-un", "Vladimir Putin", "Donald Trump"):
        assert labels.get(name) == "PERSON", name
    assert labels.get("KCNA") == "ORG"
    assert dates.get("15 agosto") == "2025-08-15"


def _countries(enricher: Enricher, lang: str, title: str, body: str) -> dict[str, Any]:
    e = enricher.enrich({"id": "t", "lang": lang, "title": title, "body": body})
    return {c["code"]: c for c in e["countries"]}


def test_a_seat_of_institutions_stands_for_them_not_for_its_country(enricher: Enricher) -> None:
    got = _countries(enricher, "es", "Bruselas exige a Italia un nuevo presupuesto",
                     "Bruselas ha pedido a Italia que corrija su presupuesto. El Gobierno "
                     "italiano responderá la próxima semana, según fuentes de Roma. "
                     "Bruselas espera una respuesta antes del viernes.")
    assert got["IT"]["primary"] and not got["BE"]["primary"]
    assert got["BE"]["score"] < 0.5


def test_countries_inside_compounds_and_former_states(enricher: Enricher) -> None:
    got = _countries(enricher, "en", "Lebanese leaders back Syrian-brokered plan",
                     "Lebanon's president agreed to a Syrian-brokered plan on Monday. In 1975 "
                     "the Soviet Union and the United States signed a treaty.")
    assert {"LB", "SY", "RU", "US"} <= set(got)
    assert got["SY"]["primary"]


def test_a_country_only_in_the_body_scores_as_context(enricher: Enricher) -> None:
    lead = "Kenya's government announced new drought relief on Tuesday in Nairobi. "
    rest = " ".join(["Officials said the aid would reach the north within weeks."] * 6)
    got = _countries(enricher, "en", "Kenya announces drought relief",
                     lead + rest + " Aid groups from France joined. France sent experts.")
    assert got["KE"]["primary"] and not got["FR"]["primary"]
    assert got["FR"]["score"] < 0.25


def test_one_mention_in_passing_stays_under_the_secondary_band(enricher: Enricher) -> None:
    """The strongest country is weak here (one mention in the lead), so a share would make a
    passing mention look like a secondary subject; its score stays in the passing band."""
    filler = " ".join(["The farmers said the new prices would ruin the next harvest."] * 8)
    got = _countries(enricher, "en", "Farmers protest over water prices",
                     "Farmers protested on Monday in Kenya against new water prices. " + filler
                     + " A similar scheme failed in Tanzania years ago.")
    assert got["KE"]["primary"] and not got["TZ"]["primary"]
    assert got["TZ"]["score"] <= 0.1


def test_translated_lexicons_count_half_and_the_first_listed_wins() -> None:
    """Portuguese has two translations: LeIA (VADER's lexicon, adapted) and the machine-
    translated AFINN; both count half, and LeIA's value wins where both have a word."""
    translated = {w.casefold(): v for w, v in orjson.loads(npmdata.member(
        lexicon_sources.MULTILANG, "build/languages/AFINN-pt.json")).items()}
    leia = lexicon_sources.third_party("pt")[0].loader()  # the file's own values
    merged, used = lexicons._third_party("pt", frozenset(), str, strict=True)
    assert [s.name for s in used] == ["leia", "afinn-mt"]
    kept = [w for w in translated if abs(translated[w]) >= 2 and " " not in w
            and len(w) >= lexicons.MIN_FORM_CHARS]
    both = [w for w in kept if w in leia]
    only = [w for w in kept if w not in leia]
    mild = [w for w in translated if w not in leia and abs(translated[w]) == 1]
    assert both and only and mild
    assert all(merged[w] == pytest.approx(0.5 * leia[w]) for w in both)  # LeIA's, halved
    assert all(merged[w] == pytest.approx(0.4 * translated[w]) for w in only)
    assert not any(w in merged for w in mild)  # strength 1: too ambiguous once translated
    es = sentiment.lexicon("es")
    assert es is not None and es.method == "lexicon:afinn-mt+news"
    it = sentiment.lexicon("it")
    assert it is not None and it.method == "lexicon:pattern-it+afinn-mt+news"


def test_negative_expressions_weigh_half_as_much_again() -> None:
    """SO-CAL's correction of the positive lean of lexicons: a negative value counts x1.5."""
    en = sentiment.lexicon("en")
    assert en is not None
    good, bad = en.valences.value("success"), en.valences.value("failure")
    assert good is not None and bad is not None and good > 0 > bad
    assert sentiment.raw_score(en, "success") == pytest.approx(good)
    assert sentiment.raw_score(en, "failure") == pytest.approx(1.5 * bad)
    # negated praise is negative, so it is weighted too
    assert sentiment.raw_score(en, "not success") == pytest.approx(
        1.5 * sentiment.NEGATION_SCALE * good)


def test_an_accented_form_that_folds_onto_a_function_word_is_no_evidence() -> None:
    pt = sentiment.lexicon("pt")
    assert pt is not None and pt.valences.value("dois") is None  # "dóis" (you hurt)
