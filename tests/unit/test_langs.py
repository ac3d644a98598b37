"""The language-pack registry (``worker.enrich.langs``): packs load on first use, a language
with no folder gets the default pack, a pack's fields are typed and read by the steps, and a
language is added by a folder alone. Texts written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from worker.enrich import langs, lexicons, models, places, scripts


def test_a_pack_is_read_on_first_use_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    langs.get.cache_clear()
    loaded: list[str] = []
    real = langs._load
    monkeypatch.setattr(langs, "_load", lambda code: loaded.append(code) or real(code))
    assert loaded == []  # nothing read before a language is asked for
    first = langs.get("de")
    assert langs.get("de") is first
    assert loaded == ["de"]
    langs.get.cache_clear()  # later tests read the real loader's packs


@pytest.mark.parametrize("code", ["xq", None, "", "../data", "EN", "zh-tw"])
def test_a_language_without_a_folder_gets_the_default_pack(code: str | None) -> None:
    pack = langs.get(code)
    assert pack == langs.Pack(code=code or "")
    assert pack.script == scripts.Traits()  # spaced, cased, no clitics
    assert pack.person_cues is None and pack.sentiment_rules is None
    assert pack.inflect_demonym is None and pack.scales == {}


def test_an_unknown_language_still_works_as_before() -> None:
    assert models.default_candidates("xq") == ()
    assert lexicons.valences("xq") is None
    assert places.articles("xq") == frozenset()


def test_every_folder_is_a_language_code_with_its_files_readable() -> None:
    assert {"de", "en", "es", "fr", "it", "pt", "ru", "zh", "ar", "hi"} <= set(langs.codes())
    for code in langs.codes():
        pack = langs.get(code)
        assert pack.code == code
        assert isinstance(pack.script, scripts.Traits)


def test_the_fields_of_a_pack_are_typed_and_read() -> None:
    de, zh, en, pt = (langs.get(c) for c in ("de", "zh", "en", "pt"))
    assert de.compounding and de.nouns_capitalised and de.capitalised_demonyms
    assert not pt.capitalised_demonyms and pt.fold_accents
    assert de.inflect_demonym is not None and "russischen" in de.inflect_demonym("russisch")
    assert de.inflect_place_name is not None
    assert "Frankreichs" in set(de.inflect_place_name("Frankreich"))
    assert de.scales["millionen"] == 10**6 and "" in de.compound_case_endings
    assert de.person_cues is not None and "bundeskanzlerin" in de.person_cues["cues"]
    assert de.sentiment_rules is not None and "boosters" in de.sentiment_rules
    assert "der" in de.place_articles
    assert en.lexicon_sources == ("vader",) and en.spacy_genre == "web"
    assert en.spacy_aliases and models.default_candidates("en")[-1] == en.spacy_aliases[-1]
    assert zh.script.unspaced and not zh.script.cased and zh.second_script == "zh-tw"
    assert zh.person_frames is not None and zh.person_cues is None
    assert langs.get("ar").script.proclitics  # longest first, as the steps expect
    assert list(langs.get("ar").script.proclitics) == sorted(
        langs.get("ar").script.proclitics, key=lambda s: (-len(s), s))


def test_registering_a_folder_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a directory"):
        langs.register(tmp_path / "missing")


def test_a_misspelt_pack_fact_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    (tmp_path / "xq").mkdir()
    (tmp_path / "xq" / "pack.toml").write_text("compunding = true\n", "utf-8")
    monkeypatch.setattr(langs, "_roots", [tmp_path, langs.SHIPPED])
    langs._folder.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"xq: pack.toml has unknown keys \['compunding'\]"):
            langs._load("xq")
    finally:
        langs._folder.cache_clear()


_NEW_LANGUAGE = """
import json, sys
from pathlib import Path
from worker.enrich import Enricher, langs
if sys.argv[1]:
    langs.register(Path(sys.argv[1]))
out = {}
for i, body in enumerate(sys.argv[2:]):
    e = Enricher(ner_mode="rules").enrich({"id": "t", "lang": "sw", "body": body})
    out[f"persons{i}"] = sorted(x["text"] for x in e["entities"] if x["label"] == "PERSON")
    out[f"amounts{i}"] = [a["value"] for a in e["amounts"]]
print(json.dumps(out))
"""
_SW = ("Waziri Mkuu Zawadi Mwakyusa alisema kwamba serikali itatoa shilingi 5 bilioni kwa "
       "wakulima.")
_SW_NO_CUE = "Zawadi Mwakyusa alitembelea Dodoma jana."


def _enriched(packs: Path | None) -> dict[str, list[object]]:
    """Enrich the Swahili text in a fresh process (steps keep what they read from a pack)."""
    done = subprocess.run([sys.executable, "-c", _NEW_LANGUAGE, str(packs or ""), _SW,
                           _SW_NO_CUE],
                          capture_output=True, text=True, check=True, timeout=240)
    out: dict[str, list[object]] = json.loads(done.stdout.splitlines()[-1])
    return out


def test_a_language_is_added_by_a_pack_folder(tmp_path: Path) -> None:
    pack = tmp_path / "sw"
    pack.mkdir()
    (pack / "person_cues.toml").write_text(
        'cues = ["waziri mkuu", "rais", "waziri"]\nspeech = ["alisema"]\n'
        'of = ["wa"]\narticles = []\nages = ["miaka"]\n', "utf-8")
    (pack / "quantities.toml").write_text(
        "[scales]\nelfu = 1_000\nmilioni = 1_000_000\nbilioni = 1_000_000_000\n", "utf-8")
    before, after = _enriched(None), _enriched(tmp_path)
    assert "Zawadi Mwakyusa" not in before["persons0"]
    assert "Zawadi Mwakyusa" in after["persons0"]
    assert before["amounts0"] == [5] and after["amounts0"] == [5 * 10**9]
    assert after["persons1"] == before["persons1"]  # no cue: the pack changes nothing
