"""``enrich-worker evaluate``: real news first (the measure), then the project's own regression
set (a guard). Both run the same ``Enricher`` the worker runs."""

from __future__ import annotations

from pathlib import Path

from ..enrich import Enricher
from . import nermodes, realnews, regression


def main(real_news: str | None = None, data: str | None = None, verbose: bool = False) -> int:
    enricher = Enricher()
    realnews.main_all(realnews.locations(real_news), verbose, enricher)
    print()
    nermodes.main(registry=enricher.registry)
    print("\nRegression set (eval/, written and labelled by the project; optimistic by "
          "construction)\n")
    return regression.main(Path(data) if data else regression.DATA, verbose, enricher)
