"""Streaming enrichment worker for news articles.

The package reads like the data path: ``consume`` -> ``codec`` (decode/validate) -> ``pool``
(runs the pure ``enrich`` core in worker processes) -> ``produce`` -> ``offsets`` (commit).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("enrich-worker")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

SCHEMA_VERSION = "1.3"
"""Version of the output contract (``schemas/enriched-article.v1.json``).

Bumped in the minor for additive changes, in the major (and the schema file name) for breaking
ones, so consumers can pin the major."""
