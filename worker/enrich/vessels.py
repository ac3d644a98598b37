"""Names of ships: the words after a ship prefix ("USS Bataan", "HMS Queen Elizabeth").

Ships are named after places, battles and people, so a ship's name read word by word is a
string of places: "USS Leyte Gulf" would be Leyte (the Philippines) and Gulf (Papua New
Guinea). A reader knows from the prefix that what follows is a vessel. The prefixes are a
curated table (``data/ship_prefixes.txt``); the name is the run of capitalised words (or
numbers) that follows it, each separated from the last by one space.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

# A ship's name is short: "USS Harry S. Truman", "HMS Prince of Wales" (whose "of" ends it).
MAX_NAME_WORDS = 4


@cache
def prefixes() -> dict[str, str]:
    """Prefix as written -> the fleet's country (ISO alpha-2, "*" for a merchant prefix)."""
    text = resources.files(__package__).joinpath("data/ship_prefixes.txt").read_text("utf-8")
    rows = (line.split(" | ") for line in text.splitlines()
            if line.strip() and not line.startswith("#"))
    return {prefix.strip(): code.strip() for prefix, code in rows}


def names(text: str, toks: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Spans of the ship names in ``text`` (its ``toks``), the prefix left out."""
    table = prefixes()
    out: list[tuple[int, int]] = []
    for k, (_, prefix_end, word) in enumerate(toks):
        if word not in table:
            continue
        last: int | None = None
        for start, stop, nxt in toks[k + 1 : k + 1 + MAX_NAME_WORDS]:
            if text[last or prefix_end:start] != " " or not (
                    nxt[:1].isupper() or nxt[:1].isdigit()):
                break
            last = stop
        if last is not None:
            out.append((toks[k + 1][0], last))
    return out
