"""Memory of one enrichment process over a mixed stream of every language the sets hold.

Each language loads its gazetteer, sentiment table and name data on first use, so the RSS of
a process that has seen one language says little about one that has seen eighteen. This builds
the pool's Transform as an enrichment process does (``ENRICH_NER``, ``ENRICH_MODELS``), prints
the RSS after loading, then streams every article of the real-news sets and the world-news set
(read in place, beside the repository or where ``ENRICH_EVAL_REAL_NEWS`` and
``ENRICH_EVAL_WORLD_NEWS`` say) in batches of 16, twice, and prints the RSS after each pass
with the peak (``ru_maxrss``). The second pass shows whether memory still grows once every
language is loaded.

    .venv/bin/python -m bench.rss [--passes 2]
"""

from __future__ import annotations

import argparse
import resource
from typing import Any

import orjson

from bench.peer_apps import rss_mb, transform
from worker.evaluation import realnews, worldnews
from worker.pool import give_back


def stream() -> list[dict[str, Any]]:
    """Every article of the visible sets, title and body only, in file order."""
    files = [p / "articles.jsonl" for p in realnews.locations()]
    files += [worldnews.location() / name for name in worldnews.FILES]
    return [{k: a[k] for k in ("id", "lang", "title", "body") if k in a}
            for path in files if path.is_file()
            for a in (orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip())]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args()
    arts = stream()
    if not arts:
        raise SystemExit("no evaluation articles found: set ENRICH_EVAL_REAL_NEWS and "
                         "ENRICH_EVAL_WORLD_NEWS")
    tr = transform()
    tr.run([orjson.dumps({"id": "warm", "lang": "en", "title": "Paris", "body": "Paris."})])
    langs = sorted({a["lang"] for a in arts})
    print(f"{len(arts)} articles in {len(langs)} languages ({' '.join(langs)})")
    print(f"loaded: VmRSS {rss_mb():.0f} MB, peak {peak_mb():.0f} MB", flush=True)
    for n in range(1, args.passes + 1):
        values = [orjson.dumps({**a, "id": f"r{n}-{a['id']}"}) for a in arts]
        for i in range(0, len(values), 16):
            tr.run(values[i:i + 16])
            give_back()  # as the enrichment process does after each batch (worker.pool)
        print(f"after pass {n}: VmRSS {rss_mb():.0f} MB, peak {peak_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
