"""One split per field (``doc``): words with offsets into the field as sent, per script."""

from __future__ import annotations

from worker.enrich.doc import FieldDoc, split


def _spelled(d: FieldDoc) -> list[str]:
    """Every token cut from the text at its offsets: the offsets point at the word."""
    assert all(d.text[s:e] == w for s, e, w in d.toks)
    return [w for _, _, w in d.toks]


def test_a_cased_latin_text_splits_at_apostrophes_and_keeps_abbreviations() -> None:
    d = split("L'ambasciatore dell'Ucraina parlò con gli U.S. ieri.", "body", "it")
    assert _spelled(d) == ["L", "ambasciatore", "dell", "Ucraina", "parlò", "con", "gli",
                           "U.S.", "ieri"]  # the sentence's full stop is no part of "ieri"
    assert d.folded[3] == "ucraina" and d.folded[7] == "u.s."
    assert d.traits.cased and not d.traits.unspaced


def test_german_compounds_stay_one_word_and_fold_their_sharp_s() -> None:
    d = split("Der China-Besuch des Außenministers. Die Bundesbank warnt.", "title", "de")
    assert _spelled(d) == ["Der", "China-Besuch", "des", "Außenministers", "Die", "Bundesbank",
                           "warnt"]
    assert d.folded[3] == "aussenministers"
    # the script's words are letters only: the compound's parts
    assert [w for _, _, w in d.script_words()][1:3] == ["China", "Besuch"]


def test_an_unspaced_chinese_text_is_one_token_per_run_of_letters() -> None:
    text = "国家主席王伟会见了外长李强。双方讨论了合作。"
    d = split(text, "body", "zh")
    assert d.toks == [(0, 13, "国家主席王伟会见了外长李强"), (14, 21, "双方讨论了合作")]
    assert d.traits.unspaced and not d.traits.cased


def test_arabic_keeps_its_clitics_on_the_word_for_the_script_readers() -> None:
    d = split("والحرب في سوريا", "body", "ar")
    assert _spelled(d) == ["والحرب", "في", "سوريا"]  # "and-the-war": one word as written
    assert d.traits.clitics and not d.traits.cased
    assert d.script_words() == d.toks


def test_devanagari_words_are_whole_only_with_their_vowel_signs() -> None:
    d = split("भारत के प्रधानमंत्री ने कहा", "body", "hi")
    # ``\w`` stops at a vowel sign: the word scan's tokens cut "भारत" apart ...
    assert d.toks[:2] == [(0, 1, "भ"), (2, 4, "रत")]
    # ... the script's words keep each word whole, at the same offsets
    assert d.script_words() == [(0, 4, "भारत"), (5, 7, "के"), (8, 20, "प्रधानमंत्री"),
                                (21, 23, "ने"), (24, 27, "कहा")]


def test_sentences_are_spans_of_the_same_text() -> None:
    text = "Die Bundesbank warnt. Der Euro fällt!\n\nNeuer Absatz ohne Punkt"
    d = split(text, "body", "de")
    assert [(s.start, s.end) for s in d.sentences] == [(0, 21), (22, 37), (39, 62)]
    assert all(text[s.start:s.end] == s.text for s in d.sentences)
    assert d.field == "body" and d.text is text
