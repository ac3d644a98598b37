"""Which recogniser names the people and organisations: the spaCy model, the model-free rules,
or both merged (``ENRICH_NER=model|rules|both``).

- ``model``: a language's spaCy pipeline where one is installed, the rules elsewhere (the
  behaviour before the setting existed, output unchanged).
- ``rules``: the model-free recognisers only (``names`` for persons, ``orgs`` for
  organisations), for every language; no pipeline is loaded. About fifteen times cheaper
  than a small pipeline on English or French, for a few points of person recall.
- ``both``: the pipeline and the rules, merged by ``merge``.

The two err differently on news (measured on both real-news sets, README "Entities"): the
small models find more names but also call towns, firms and capitalised words persons; the
rules find fewer names but few false ones, because a rule needs evidence (a known given name,
an office, a reporting verb). ``merge`` keeps what either finds with evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import ordinary
from .entities import Mention
from .spans import Spans
from .text import FIELDS

MODES = ("model", "rules", "both")
MODEL, RULES, BOTH = MODES
DEFAULT_MODE = BOTH

# Labels a rule PERSON takes over from the model where they overlap: ORG and MISC are what a
# small model says of a name it does not know (measured: French persons read as ORG or MISC
# are most of what the rules add); a place, a nationality, a work, a law or an event is a
# reading of the context that the rules, which see only the name, cannot overrule.
_RELABEL = frozenset({"PERSON", "ORG", "MISC"})


def uses_model(mode: str) -> bool:
    return mode != RULES


def uses_rules(mode: str, has_model: bool) -> bool:
    """The rules run where no model runs, and beside it in ``both``."""
    return mode != MODEL or not has_model


def merge(model: list[Mention], rules: list[Mention],
          is_place: Callable[[str], bool] = lambda word: False) -> list[Mention]:
    """One list of mentions from the model's and the rules' for one article (every field).

    Decided on both real-news sets, English and French (README "Entities", with the
    alternatives measured):

    - agreement: a model span and a rule span that overlap are one mention, with the model's
      ``method`` (it ran, and the rules agree);
    - boundaries: the rule's span where a rule PERSON overlaps (it stops at offices, months
      and function words, where the small models run on: "M. Macron", "Maduro.L");
    - labels: a rule PERSON relabels the model span it overlaps when the model said ORG or
      MISC (``_RELABEL``), unless its first word is a place (``is_place``): an organisation
      named after its place ("Washington Post", "Arizona State University", "Georgian
      Parliament") only looks like a given name and a surname to the rules; other labels
      stand;
    - a model PERSON no rule confirms is kept only with some shape of a name: more than one
      word, none of them an ordinary word of a dictionary (``ordinary``: "Copper Branch",
      "Fine Gael" are things), or one word that ends a longer person of the article
      ("Putin" after "Vladimir Putin"); a lone capitalised word with no given name, office or
      reporting verb around it is as often a town or a firm ("Huawei", "Rimouski");
    - what only the rules found is kept where no model span lies (their organisations fill
      gaps between the model's spans).
    """
    by_rule = sorted(rules, key=lambda m: (m.field, m.start))
    used: set[int] = set()
    out: list[Mention] = []
    unconfirmed: list[Mention] = []
    for m in model:
        hit = [i for i, r in enumerate(by_rule)
               if r.field == m.field and r.start < m.end and m.start < r.end]
        used.update(hit)
        person = next((by_rule[i] for i in hit if by_rule[i].label == "PERSON"), None)
        if person is not None and m.label != "PERSON" and is_place(person.text.split()[0]):
            person = None  # the model's organisation stands
        if person is not None and m.label in _RELABEL:
            out.append(Mention(person.field, person.start, person.end, person.text, "PERSON",
                               m.method, m.country))
        elif m.label == "PERSON" and not hit:
            unconfirmed.append(m)
        else:
            out.append(m)
    named = [m for m in unconfirmed if _name_shaped(m.text)]
    ends = _person_ends([*out, *named, *rules])
    out += [m for m in unconfirmed if (m in named and " " in m.text)
            or m.text.casefold() in ends]
    taken = {f: Spans((m.start, m.end) for m in out if m.field == f) for f in FIELDS}
    out += [r for i, r in enumerate(by_rule) if i not in used
            and not taken[r.field].overlaps(r.start, r.end)]
    return sorted(out, key=lambda m: (m.field != "title", m.start))


def longest(mentions: list[Mention]) -> list[Mention]:
    """Of the rules' mentions of one field that overlap, the longest: "George Washington
    University" is an organisation, not the person its first words name."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.start < out[-1].end:
            if m.end - m.start > out[-1].end - out[-1].start:
                out[-1] = m
            continue
        out.append(m)
    return out


def _name_shaped(text: str) -> bool:
    """No word of the span is an ordinary word of a dictionary."""
    return not any(ordinary.is_ordinary(w) for w in text.split())


def _person_ends(mentions: Iterable[Mention]) -> frozenset[str]:
    """First and last words of the multi-word persons (case-folded): a lone "Putin" the model
    finds after "Vladimir Putin" is confirmed by the full name."""
    out: set[str] = set()
    for m in mentions:
        if m.label == "PERSON" and " " in m.text:
            words = m.text.split()
            out.update((words[0].casefold(), words[-1].casefold()))
    return frozenset(out)


__all__ = ["BOTH", "DEFAULT_MODE", "MODEL", "MODES", "RULES", "longest", "merge", "uses_model",
           "uses_rules"]
