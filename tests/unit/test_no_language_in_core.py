"""The enrichment core names no language: every language fact lives in a pack
(``worker/enrich/langs/<code>/``) or in a language-neutral data file.

Why a test: a ``lang == "de"`` or a ``{"en": ...}`` table in a core module is a fact that a new
language cannot supply through its pack, and it creeps back in one line at a time. The check
parses every core module and flags each string constant (docstrings aside) that is a language
code: one of the registry's packs, or a language of the real-news and world-news sets.
"""

from __future__ import annotations

import ast
from pathlib import Path

import worker.enrich
from worker.enrich import langs

CORE = Path(worker.enrich.__file__).parent
# The eighteen languages the evaluation sets are written in, whether or not a pack exists.
NEWS_LANGS = frozenset(
    "it en fr de es pt ru uk zh ja ko ar fa hi pl nl tr id".split())


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the Constant nodes that are docstrings (module, class, function)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def language_literals(source: str, codes: frozenset[str]) -> list[tuple[int, str]]:
    """(line, code) of every string constant of ``source`` equal to a language code."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip and node.value in codes)


def core_modules() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "langs" not in p.relative_to(CORE).parts)


def test_the_check_sees_a_language_named() -> None:
    codes = NEWS_LANGS | frozenset(langs.codes())
    assert language_literals('if lang == "de":\n    pass\n', codes) == [(1, "de")]
    assert language_literals('X = {"it": 1, "xx": 2}\n', codes) == [(1, "it")]
    assert language_literals('def f():\n    """Reads "de" text."""\n', codes) == []


def test_no_core_module_names_a_language() -> None:
    codes = NEWS_LANGS | frozenset(langs.codes())
    found = {str(p.relative_to(CORE)): hits for p in core_modules()
             if (hits := language_literals(p.read_text("utf-8"), codes))}
    assert found == {}
