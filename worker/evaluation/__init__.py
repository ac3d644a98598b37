"""``enrich-worker evaluate``: real news first (the measure: the six languages, then twelve
more), then the project's own regression set (a guard). All run the same ``Enricher`` the
worker runs."""

from __future__ import annotations

from pathlib import Path

from ..enrich import Enricher
from . import realnews, regression, worldnews


def main(real_news: str | None = None, data: str | None = None, verbose: bool = False,
         world_news: str | None = None) -> int:
    enricher = Enricher()
    realnews.main(realnews.location(real_news), verbose, enricher)
    print()
    worldnews.main(worldnews.location(world_news), verbose, enricher)
    print("\nRegression set (eval/, written and labelled by the project; optimistic by "
          "construction)\n")
    return regression.main(Path(data) if data else regression.DATA, verbose, enricher)
