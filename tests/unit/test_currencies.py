"""The money a story counts in (``currencies``) and the prior it gives a story that names no
place. All texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from worker.enrich import Enricher, countries, currencies


def test_signs_of_one_countrys_money_are_in_the_table() -> None:
    table = currencies.table()
    assert table["R$"] == "BR" and table["S/"] == "PE" and table["₽"] == "RU"
    assert table["₹"] == "IN"  # Bhutan takes it too, beside a currency of its own


@pytest.mark.parametrize("sign", ["$", "€", "£", "¥", "kr", "US$", "Rs.", "zł", "CHF", "EUR"])
def test_shared_signs_and_letters_are_not(sign: str) -> None:
    """"$", "£", "¥", "kr" name several currencies; the euro is twenty countries' money and the
    US dollar Ecuador's too; letters alone are words or abbreviations."""
    assert sign not in currencies.table()


@pytest.mark.parametrize(("text", "code"), [
    ("Il costo è stato di R$ 2,5 milioni.", "BR"),
    ("La sanción asciende a S/4500.", "PE"),
    ("Штраф составил 5 000 ₽.", "RU"),
    ("Costó US$ 95 millones y R$ 3 millones más.", "BR"),  # "US$" is no "S$"
    ("Kostet 5 € oder $ 3.", None),
    ("Die COP 26 tagte, S/N 5.", None),
    ("S/ 10 mil y 20 000 ₽.", None),  # two countries as often: none
    ("Die Reisekosten waren R$ gering.", None),  # a sign with no figure
])
def test_the_country_a_text_counts_money_in(text: str, code: str | None) -> None:
    assert currencies.country([text]) == code


def test_the_outlet_country_comes_before_the_money_and_the_money_before_the_language(
        ) -> None:
    assert countries.prior("AR", "pt", "BR") == countries.Prior("AR", True)
    assert countries.prior(None, "pt", "PE") == countries.Prior("PE", True)
    assert countries.prior(None, "pt", None) == countries.Prior("BR", False)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _countries(enricher: Enricher, title: str, body: str) -> dict[str, Any]:
    e = enricher.enrich({"id": "t", "lang": "es", "title": title, "body": body})
    return {c["code"]: c for c in e["countries"]}


_COURT = ("El tribunal condenó ayer al exalcalde por malversación y le impuso una sanción de "
          "{amount}. La defensa anunció que apelará la sentencia ante la sala superior.")


def test_a_story_that_names_no_place_is_set_where_its_money_is(enricher: Enricher) -> None:
    got = _countries(enricher, "Condenado el exalcalde", _COURT.format(amount="S/ 250 mil"))
    assert {code for code, c in got.items() if c["primary"]} == {"PE"}


def test_shared_money_sets_no_story(enricher: Enricher) -> None:
    assert _countries(enricher, "Condenado el exalcalde",
                      _COURT.format(amount="US$ 250 mil")) == {}


def test_a_named_place_comes_before_the_money(enricher: Enricher) -> None:
    """The money says where only when the story names no place."""
    got = _countries(enricher, "Condenado el exalcalde de Córdoba",
                     _COURT.format(amount="S/ 250 mil") + " El caso conmovió a Córdoba.")
    assert "PE" not in got or not got["PE"]["primary"]
