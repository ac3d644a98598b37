"""``enrich-worker evaluate``: real news first (the measure: the six languages in two sets,
then twelve more), persons per NER mode, places on the map (GeoWebNews), then the project's
own regression set (a guard). All run the same ``Enricher`` the worker runs."""

from __future__ import annotations

from pathlib import Path

from ..enrich import Enricher
from . import geo, nermodes, realnews, regression, worldnews


def main(real_news: str | None = None, data: str | None = None, verbose: bool = False,
         geo_set: str | None = None, world_news: str | None = None) -> int:
    enricher = Enricher()
    realnews.main_all(realnews.locations(real_news), verbose, enricher)
    print()
    worldnews.main(worldnews.location(world_news), verbose, enricher)
    print()
    nermodes.main(registry=enricher.registry)
    geo.main(geo.location(geo_set), verbose, enricher)
    print("\nRegression set (eval/, written and labelled by the project; optimistic by "
          "construction)\n")
    return regression.main(Path(data) if data else regression.DATA, verbose, enricher)
