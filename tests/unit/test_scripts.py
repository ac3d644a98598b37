"""Script traits and sentiment beyond the six languages: unspaced text cut into the lexicon's
words, clitics taken off, letters written two ways read as one, the translated lexicon's
negators, and a method and confidence that say the valences are a machine translation."""

from __future__ import annotations

import pytest

from worker.enrich import lexicon_sources, lexicons, scripts, sentiment


def test_a_language_not_listed_is_written_like_the_first_six() -> None:
    assert scripts.traits("it") == scripts.Traits() == scripts.traits(None)
    assert scripts.normaliser(scripts.traits("it")) is None
    assert scripts.traits("zh").unspaced and not scripts.traits("zh").cased
    assert not scripts.traits("ar").unspaced and scripts.traits("ar").clitics


def test_segment_takes_the_longest_entry_and_leaves_the_rest_letter_by_letter() -> None:
    vocabulary = {"战争", "战争罪", "灾难", "成功"}
    assert scripts.segment("战争罪造成灾难", vocabulary, 2) == ["战争罪", "造", "成", "灾难"]
    assert scripts.segment("和平", vocabulary, 2) == ["和", "平"]


def test_bare_forms_take_off_proclitics_and_enclitics() -> None:
    ar = scripts.traits("ar")
    forms = list(scripts.bare_forms("والحرب", ar, 3))
    assert forms[0] == "حرب" and "الحرب" in forms  # the longest clitic first: "وال"
    assert "ب" not in list(scripts.bare_forms("وب", ar, 3))  # never below the shortest word
    assert "한국" in scripts.bare_forms("한국은", scripts.traits("ko"), 2)


def test_normaliser_folds_letters_and_drops_vowel_marks() -> None:
    ar = scripts.normaliser(scripts.traits("ar"))
    assert ar is not None and ar("أَمْن") == "امن"
    fa = scripts.normaliser(scripts.traits("fa"))
    assert fa is not None and fa("ايران") == "ایران"  # Arabic yeh written for Persian yeh


def test_words_keep_their_combining_marks() -> None:
    assert lexicons.WORD.findall("यह अच्छा नहीं है") == ["यह", "अच्छा", "नहीं", "है"]


def test_every_language_of_the_translated_lexicon_has_a_method() -> None:
    assert {"ru", "uk", "pl", "nl", "tr", "id", "zh", "ja", "ko", "ar", "fa", "hi", "he",
            "sw"} <= set(lexicons.SUPPORTED)
    for code in ("ru", "zh", "ar", "he", "fil"):
        assert lexicon_sources.third_party(code)[0].name == "afinn-mt"
    assert lexicon_sources.MULTILANG_FILES["he"] == "iw"  # the file keeps CLD2's old code
    # the six keep their curated sources first
    assert lexicon_sources.third_party("en")[0].name == "vader"


@pytest.mark.parametrize(("lang", "unspaced", "want"), [
    ("ru", False, ["не"]), ("pl", False, ["nie"]), ("nl", False, ["niet"]),
    ("ar", False, ["لا"]), ("zh", True, ["不"]), ("tr", False, []),
])
def test_shipped_negators_keep_only_what_reads_as_negation(lang: str, unspaced: bool,
                                                           want: list[str]) -> None:
    assert lexicon_sources.shipped_negators(lang, unspaced) == want


@pytest.mark.parametrize(("lang", "pos", "neg"), [
    ("ru", "Это огромный успех и прекрасная победа.", "Ужасная катастрофа и страшная трагедия."),
    ("pl", "To wspaniały sukces i piękne zwycięstwo.", "Straszna katastrofa i okropna tragedia."),
    ("zh", "这是一个伟大的成功和胜利。", "这是一场可怕的灾难和悲剧。"),
    ("ar", "نجاح عظيم وانتصار رائع", "كارثة مروعة ومأساة فظيعة"),
    ("hi", "यह एक शानदार सफलता है।", "यह क्रूर हिंसा है।"),
    ("ko", "훌륭한 성공과 승리", "끔찍한 재난과 비극"),
])
def test_translated_sentiment_in_more_languages(lang: str, pos: str, neg: str) -> None:
    lex = sentiment.lexicon(lang)
    assert lex is not None
    good, bad = sentiment.score_text(lex, [pos]), sentiment.score_text(lex, [neg])
    assert (good["label"], bad["label"]) == ("positive", "negative"), (good, bad)
    assert good["method"] == lex.method and lex.method.startswith("lexicon:afinn-mt")
    assert "news" not in lex.method  # no news-event concepts in these languages (yet)
    # a table of machine translations alone: the confidence counts half
    assert good["confidence"] is not None and good["confidence"] <= 0.5


def test_a_negator_of_the_translated_lexicon_flips() -> None:
    lex = sentiment.lexicon("ru")
    assert lex is not None
    assert sentiment.score_text(lex, ["Это хороший результат."])["label"] == "positive"
    assert sentiment.score_text(lex, ["Это не хороший результат."])["label"] == "negative"


def test_clitics_are_read_off_in_arabic() -> None:
    lex = sentiment.lexicon("ar")
    assert lex is not None
    bare = lex.valences.value("كارثة")
    assert bare is not None and bare < 0
    assert lex.valences.value("والكارثة") == bare  # "and the disaster"
