"""The frames around a name in scripts without capitals, added for zh, ko, ar, fa and hi:
reporting verbs after a name and role endings (zh), compound titles and a country between a
name and its title (ko), offices in apposition, quotes, coordination, particles and ages
(ar, fa), kin words and family names ending a name (hi). Every sentence here was written for
these tests."""

from __future__ import annotations

import pytest

from worker.enrich import framednames, places


def _names(text: str, lang: str) -> set[str]:
    return {name for _, _, name in framednames.find(text, lang, places.gazetteer(lang).table)}


@pytest.mark.parametrize(("lang", "text", "want"), [
    # zh: a family-led name after a role noun's last letter, before a reporting verb
    ("zh", "饭店厨师吴海涛说，今年菜价上涨了。", {"吴海涛"}),
    # zh: transliteration letters after a role noun, before a reporting verb
    ("zh", "来自智利的实习生卡洛斯表示，他很喜欢这里。", {"卡洛斯"}),
    # ko: a compound title ("국방장관") with the country between it and the name
    ("ko", "마이클 존슨 미국 국방장관은 기자회견에서 이렇게 말했다.", {"마이클 존슨"}),
    # fa: a quoted name, then an office in apposition
    ("fa", "«جان اسمیت» وزیر خارجه آمریکا در این دیدار گفت", {"جان اسمیت"}),
    # fa: an office with no name after it closes an apposition
    ("fa", "اظهارات پل مارتین نخست وزیر کانادا را بررسی کرد", {"پل مارتین"}),
    # fa: a name coordinated with a name found
    ("fa", "جلسه با حضور جک تامسون و محمد کریمی برگزار شد", {"جک تامسون", "محمد کریمی"}),
    # ar: a complement with a preposition, and a particle inside the name
    ("ar", "وصل المبعوث الخاص إلى ليبيا جان دي بروين إلى العاصمة", {"جان دي بروين"}),
    # ar: an age apposition after a one-word name
    ("ar", "وقال مارتن، البالغ من العمر 52 عاما، إن الوضع صعب", {"مارتن"}),
    # hi: a kin word before a name
    ("hi", "रमेश की बेटी सुनीता ने पुलिस को जानकारी दी।", {"सुनीता"}),
])
def test_frames_find_the_name(lang: str, text: str, want: set[str]) -> None:
    assert want <= _names(text, lang), _names(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    # zh: an adverb starting like a family name after a pronoun ("大家") is no name
    ("zh", "大家普遍认为，这项政策很有效。"),
    # zh: a city's party committee before a title is a body, not a name
    ("zh", "湘潭市委书记在会上讲话。"),
    # ko: a market (시장) is no mayor, and a country before it no name's frame
    ("ko", "투자자들이 많이 몰리면서 일본 시장의 분위기가 좋아졌다."),
    # ko: a family-shaped word across a closing quote and punctuation is no name
    ("ko", "\"절차에 문제가 없다\"이라며 반발했다. 윤 대표 측도 같은 입장이다."),
    # fa: a country written with a zero-width non-joiner is a place, and the noun after
    # an office's complement no name
    ("fa", "رئیس‌جمهور سری‌لانکا تاکید دارد که"),
])
def test_frames_take_no_word_that_is_no_name(lang: str, text: str) -> None:
    assert _names(text, lang) == set()


def test_a_known_family_name_ends_a_name_in_hindi() -> None:
    frames = framednames.frames("hi")
    assert frames is not None and "यादव" in frames.family and "पवनदीप" not in frames.given
    assert "पवनदीप यादव" in _names("गांव के पवनदीप यादव और उनके साथी वहां थे।", "hi")
    # a dictionary word before a family name is a noun it qualifies, not a given name
    assert _names("पुलिस यादव और", "hi") == set()


def test_persian_offices_are_read_in_their_spelling_without_hamza() -> None:
    """Persian also writes رئیس as رییس (older text: رييس, with Arabic yeh): one office."""
    assert "پل مارتین" in _names("رييس‌جمهور پل مارتین گفت", "fa")
