"""Every Prometheus metric the worker exports, defined in one place.

Names follow Prometheus conventions: one ``enrich_`` prefix, base units (seconds, bytes),
``_total`` on counters, and labels only with small, bounded value sets (reasons, languages,
labels, ISO codes, partitions).
"""

from __future__ import annotations

import platform

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
)

from . import __version__

# ``*_created`` series double the exposition for no dashboard use.
disable_created_metrics()  # type: ignore[no-untyped-call]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class Metrics:
    """A registry per instance, so tests and the offline command never share state."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        r = self.registry = registry or CollectorRegistry()
        self.consumed = Counter("enrich_records_consumed", "Input records fetched",
                                ["topic"], registry=r)
        self.produced = Counter("enrich_records_produced", "Enriched records acknowledged by "
                                "the broker", ["topic"], registry=r)
        self.dlq = Counter("enrich_dlq_records", "Records sent to the dead-letter topic",
                           ["reason"], registry=r)
        self.retries = Counter("enrich_enrichment_retries", "Extra enrichment attempts",
                               registry=r)
        self.pool_restarts = Counter("enrich_pool_restarts", "Enrichment processes replaced, "
                                     "by why (died, timeout)", ["reason"], registry=r)
        for reason in ("died", "timeout"):  # exported at 0 from the start, so rates work
            self.pool_restarts.labels(reason=reason)
        self.commits = Counter("enrich_offset_commits", "Offset commits", ["result"], registry=r)
        self.rebalances = Counter("enrich_rebalances", "Partition assignment changes",
                                  ["kind"], registry=r)
        self.processing = Histogram("enrich_processing_duration_seconds",
                                    "Enrichment time per record (NLP share of its batch)",
                                    buckets=_LATENCY_BUCKETS, registry=r)
        self.batch_size = Histogram("enrich_batch_size_records", "Records per enrichment batch",
                                    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256), registry=r)
        self.end_to_end = Histogram("enrich_end_to_end_latency_seconds",
                                    "From the input record's timestamp to the output ack",
                                    buckets=_LATENCY_BUCKETS, registry=r)
        self.in_flight = Gauge("enrich_in_flight_records",
                               "Records fetched but not yet done", registry=r)
        self.lag = Gauge("enrich_consumer_lag_records",
                         "High watermark minus committed offset, per owned partition",
                         ["topic", "partition"], registry=r)
        self.assigned = Gauge("enrich_assigned_partitions", "Partitions owned by this worker",
                              registry=r)
        self.paused = Gauge("enrich_fetch_paused", "1 while fetching is paused by "
                            "backpressure", registry=r)
        self.ready = Gauge("enrich_ready", "1 when /readyz answers 200", registry=r)
        self.output_writable = Gauge("enrich_output_writable", "0 while outputs cannot be "
                                     "written (broker down, output topic missing, refused)",
                                     registry=r)
        self.producer_replacements = Counter("enrich_producer_replacements", "Producers "
                                             "replaced after a failed batch", registry=r)
        self.languages = Counter("enrich_articles_by_language", "Enriched articles per "
                                 "language and how it was known", ["language", "source"],
                                 registry=r)
        self.entities = Counter("enrich_entities", "Distinct entities found, per label",
                                ["label"], registry=r)
        self.countries = Counter("enrich_country_tags", "Country tags emitted",
                                 ["country"], registry=r)
        self.build = Info("enrich_build", "Worker build", registry=r)
        self.build.info({"version": __version__, "python": platform.python_version()})
        self.model = Gauge("enrich_model_info", "spaCy pipeline loaded per language (1)",
                           ["language", "model"], registry=r)

    def set_models(self, models: dict[str, str]) -> None:
        for lang, ident in models.items():
            self.model.labels(language=lang, model=ident).set(1)
