"""Counting for the evaluations: precision/recall/F1 over sets, and accuracy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Any], pred: set[Any]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    @staticmethod
    def total(parts: Iterable[PRF]) -> PRF:
        out = PRF()
        for p in parts:
            out.tp, out.fp, out.fn = out.tp + p.tp, out.fp + p.fp, out.fn + p.fn
        return out


@dataclass
class Acc:
    right: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.n += 1

    @property
    def value(self) -> float | None:
        return self.right / self.n if self.n else None

    @staticmethod
    def total(parts: Iterable[Acc]) -> Acc:
        out = Acc()
        for a in parts:
            out.right, out.n = out.right + a.right, out.n + a.n
        return out


def fmt(v: float | None) -> str:
    return "   -" if v is None else f"{v:4.2f}"
