"""Every way of naming a country that the tables hold is found in running text.

Generated from the data, not from examples: each language's CLDR name of every country (and
German's inflected forms of it), every curated alias, and every abbreviation written in
capitals inside a hyphenated compound, put in a sentence of that language and looked up in
that language's gazetteer. A name dropped on the way (a function word of some language that
is also an abbreviation, "US", "USA", "Usa"; an inflected German form) fails here with the
name and the language."""

from __future__ import annotations

import pytest

from worker.enrich import demonyms, places

# Sentence frames per language: a place name after a preposition, mid-sentence and capitalised
# as written; "{}" is the name.
FRAME = {
    "en": "Officials said on Monday that {} would answer.",
    "it": "Lunedì i funzionari hanno detto che {} risponderà.",
    "fr": "Lundi, les responsables ont dit que {} répondrait.",
    "es": "El lunes, los funcionarios dijeron que {} respondería.",
    "de": "Am Montag sagten Beamte, dass {} antworten werde.",
    "pt": "Na segunda-feira, autoridades disseram que {} responderia.",
}
# A compound whose first part is an abbreviation written in capitals: "US-Präsident".
COMPOUND = {"en": "{}-led", "it": "{}-Ue", "fr": "{}-Chine", "es": "{}-China",
            "de": "{}-Präsident", "pt": "{}-China"}


def _found(lang: str, name: str, code: str, frame: str | None = None) -> bool:
    text = (frame or FRAME[lang]).format(name)
    hits = places.gazetteer(lang).find(text)
    return any(code in {c.code for c in h.candidates} for h in hits)


def _cldr_names(lang: str) -> list[tuple[str, str]]:
    from babel import Locale

    kept = set(places._countries())
    names = Locale.parse(lang).territories
    written = {str(n) for n in names.values()}  # a sovereign in brackets is no variant
    out = []
    for code, name in names.items():
        if code in kept:
            out.extend((code, variant) for variant in places._variants(str(name), written))
    return out


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_every_cldr_country_name_is_found(lang: str) -> None:
    missed = [(code, name) for code, name in _cldr_names(lang)
              if not _found(lang, name, code)]
    assert not missed, missed


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_every_inflected_country_name_is_found(lang: str) -> None:
    missed = [(code, form) for code, name in _cldr_names(lang)
              for form in places._inflected(name, lang) if not _found(lang, form, code)]
    assert not missed, missed


def test_every_iso_name_is_found_in_english() -> None:
    """ISO 3166's English names beside CLDR's abbreviated ones ("Bosnia & Herzegovina"):
    "Bosnia and Herzegovina", "Saint Lucia", official names ("Hellenic Republic"), a bracketed
    name ("Malvinas")."""
    names = list(places._iso_names(places._countries()))
    assert {("BA", "Bosnia and Herzegovina"), ("LC", "Saint Lucia"), ("GR", "Hellenic Republic"),
            ("FK", "Malvinas"), ("ER", "State of Eritrea")} <= set(names)
    missed = [(code, name) for code, name in names if not _found("en", name, code)]
    assert not missed, missed


def test_an_iso_name_that_is_no_running_texts_or_ambiguous_is_left_out() -> None:
    """An inverted name, a lower-case bracketed gloss, and "Congo", part of both Congos'
    CLDR names."""
    names = {name for _, name in places._iso_names(places._countries())}
    assert not {n for n in names if "," in n or n in ("French part", "Dutch part", "Congo")}


def test_german_names_inflect_their_adjectives() -> None:
    forms = set(places._inflected("Vereinigte Staaten", "de"))
    assert {"Vereinigten Staaten", "Vereinigte Staaten"} <= forms
    assert "Zentralafrikanischen Republik" in set(
        places._inflected("Zentralafrikanische Republik", "de"))
    assert set(places._inflected("Vereinigte Staaten", "it")) == {"Vereinigte Staaten"}


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_every_alias_of_the_language_is_found(lang: str) -> None:
    missed = [(code, alias) for code, alias_lang, alias in places._aliases()
              if alias_lang in ("*", lang) and not _found(lang, alias, code)]
    assert not missed, missed


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_every_abbreviation_is_found_inside_a_compound(lang: str) -> None:
    abbreviations = [(code, alias) for code, alias_lang, alias in places._aliases()
                     if alias_lang in ("*", lang) and alias.isupper() and "." not in alias]
    assert abbreviations
    missed = [(code, a) for code, a in abbreviations
              if not _found(lang, COMPOUND[lang].format(a), code,
                            FRAME[lang].replace("{}", COMPOUND[lang]))]
    assert not missed, missed


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_an_abbreviation_that_is_also_a_word_matches_only_as_written(lang: str) -> None:
    """"US" is the United States, "us" a pronoun; "Usa" an Italian name of it, "usa" a verb."""
    lower = [(code, a) for code, alias_lang, a in places._aliases()
             if alias_lang in ("*", lang) and a.isupper() and a.casefold() in places.stopwords()]
    for code, alias in lower:
        assert not _found(lang, alias.casefold(), code), (lang, alias)


@pytest.mark.parametrize("lang", demonyms.LANGS)
def test_every_demonym_form_is_found(lang: str) -> None:
    gaz = places.gazetteer(lang)
    missed = []
    for d in demonyms.forms():
        if d.lang != lang:
            continue
        cands = gaz.table.get(places.key_of(d.form), [])
        if d.code not in {c.code for c in cands}:
            missed.append((d.code, d.form))
    assert not missed, missed
