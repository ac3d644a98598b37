"""Tables of several languages hold one copy of what they have in common (issue 18's memory
bound: a process that has seen 18 languages must not hold 18 copies of the world's cities)."""

from __future__ import annotations

from worker.enrich import namedata, places


def test_gazetteers_of_two_languages_share_keys_and_rows() -> None:
    de, it = places.gazetteer("de"), places.gazetteer("it")
    key = next(k for k in de.table if k == "london")
    other = next(k for k in it.table if k == "london")
    assert key is other
    assert de.table["london"] is it.table["london"]
    assert isinstance(de.table["london"], tuple)


def test_a_language_with_own_names_does_not_copy_the_shared_list() -> None:
    ru = namedata.given_names_for("ru")
    assert "юрий" in ru and "maria" in ru and "юрх" not in ru
    inner = ru.names if isinstance(ru, namedata.Inflected) else ru
    assert isinstance(inner, namedata.Joined) and inner.shared is namedata.given_names()


def test_calendar_words_come_from_the_locale_and_its_regions() -> None:
    assert {"januar", "jänner", "montag"} <= namedata.calendar_words("de")
    assert "may" not in namedata.calendar_words("fr")
