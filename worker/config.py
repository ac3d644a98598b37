"""Settings from ``ENRICH_*`` environment variables and matching CLI flags.

One dataclass is the single source: each field's metadata gives its help text and bounds,
the env var is ``ENRICH_<FIELD>`` and the flag ``--<field-with-dashes>``; flags win over env.
Everything is validated once at start-up, and a bad value is reported as one line naming the
variable, so a misconfigured pod fails fast and says why.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from . import resources
from .enrich.models import ModelRegistry, check_spec, parse_spec
from .enrich.ner import DEFAULT_MODE, MODES, RULES
from .resources import Plan
from .sizes import ENCODERS

ENV_PREFIX = "ENRICH_"


class ConfigError(ValueError):
    """A setting is missing or invalid; the message is meant for the operator."""


def _opt(default: Any, help: str, **bounds: Any) -> Any:
    return field(default=default, metadata={"help": help, **bounds})


@dataclass(frozen=True, slots=True)
class Settings:
    bootstrap_servers: str = _opt("", "Kafka bootstrap servers, host:port[,host:port]")
    input_topic: str = _opt("articles.raw", "topic of raw articles")
    output_topic: str = _opt("articles.enriched", "topic of enriched articles")
    dlq_topic: str = _opt("articles.dlq", "dead-letter topic for input that cannot be enriched")
    group_id: str = _opt("enrich-worker", "consumer group id (scale out by adding members)")
    client_id: str = _opt("enrich-worker", "Kafka client id prefix")
    processing_guarantee: str = _opt(
        "at_least_once", "at_least_once, or exactly_once (transactional produce + offsets)",
        choices=("at_least_once", "exactly_once"))
    transactional_id: str = _opt("", "exactly_once: transactional id prefix (default: group id)")
    auto_offset_reset: str = _opt("earliest", "where a new group starts",
                                  choices=("earliest", "latest"))
    security_protocol: str = _opt("PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
                                  choices=("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"))
    sasl_mechanism: str = _opt("", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
                               choices=("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"))
    sasl_username: str = _opt("", "SASL user name")
    sasl_password: str = _opt("", "SASL password")
    ssl_cafile: str = _opt("", "CA bundle for SSL")
    ssl_certfile: str = _opt("", "client certificate (PEM) for mutual TLS")
    ssl_keyfile: str = _opt("", "client private key (PEM) for mutual TLS")
    ssl_key_password: str = _opt("", "password of ENRICH_SSL_KEYFILE, if it is encrypted")
    metrics_host: str = _opt("0.0.0.0", "address of the /metrics, /healthz, /readyz server")
    metrics_port: int = _opt(9464, "port of the /metrics, /healthz, /readyz server",
                             min=0, max=65535)
    workers: int = _opt(0, "enrichment processes (0 = one per CPU this process may use: "
                        "affinity and cgroup quota, capped by the cgroup memory limit; at "
                        "least one)", min=0, max=256)
    batch_size: int = _opt(16, "records per enrichment batch (one nlp.pipe call)", min=1,
                           max=10_000)
    max_in_flight: int = _opt(256, "records fetched but not yet committed; fetching pauses "
                              "above this (backpressure)", min=1, max=1_000_000)
    max_body_bytes: int = _opt(1_000_000, "larger bodies go to the DLQ (body_too_large)",
                               min=1)
    max_analysed_chars: int = _opt(100_000, "body characters analysed per article; the rest is "
                                   "skipped and enrichment.truncated says so (bounds the work "
                                   "one article can take)", min=1000)
    batch_timeout_seconds: float = _opt(
        60.0, "time one enrichment batch may take; past it the process is replaced and the "
        "batch's records are retried alone, those still too slow go to the DLQ "
        "(enrichment_timeout)", min=1.0)
    compression: str = _opt(
        "gzip", "codec of produced batches (outputs and DLQ): gzip, zstd, lz4, snappy or none "
        "(zstd needs Kafka >= 2.1 on the broker and in every reader)",
        choices=(*ENCODERS, "none"))
    max_request_bytes: int = _opt(4 * 1024 * 1024, "producer max.request.size: larger "
                                  "records are shrunk or dead-lettered (output_too_large)",
                                  min=64 * 1024)
    enrich_retries: int = _opt(2, "retries of a failed enrichment before it goes to the DLQ",
                               min=0, max=100)
    commit_interval_ms: int = _opt(1000, "how often done offsets are committed", min=10)
    shutdown_grace_seconds: float = _opt(30.0, "on SIGTERM: time to drain in-flight work",
                                         min=0.0)
    models: str = _opt("", "language -> spaCy package, e.g. en=en_core_web_md,fr=fr_core_news_sm"
                       " (default: the official package names that are installed)")
    ner: str = _opt("", "who names people and organisations: model (the spaCy pipeline where "
                    "one is installed, rules elsewhere), rules (no pipeline: several times "
                    f"faster), both (merged: most persons found) (default: {DEFAULT_MODE})",
                    choices=("", *MODES))
    log_level: str = _opt("INFO", "DEBUG, INFO, WARNING or ERROR",
                          choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None,
             flags: Mapping[str, Any] | None = None, need_kafka: bool = True) -> Settings:
        env = os.environ if env is None else env
        flags = flags or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = flags.get(f.name)
            source = f"--{f.name.replace('_', '-')}"
            if raw is None:
                raw = env.get(ENV_PREFIX + f.name.upper())
                source = ENV_PREFIX + f.name.upper()
            if raw is None:
                continue
            values[f.name] = _convert(f, raw, source)
        settings = cls(**values)
        settings.check(need_kafka)
        return settings

    def check(self, need_kafka: bool = True) -> None:
        if need_kafka and not self.bootstrap_servers.strip():
            raise ConfigError("ENRICH_BOOTSTRAP_SERVERS (or --bootstrap-servers) is required")
        for server in filter(None, self.bootstrap_servers.split(",")):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError(f"ENRICH_BOOTSTRAP_SERVERS: {server!r} is not host:port")
        topics = {self.input_topic, self.output_topic, self.dlq_topic}
        if len(topics) != 3:
            raise ConfigError("ENRICH_INPUT_TOPIC, ENRICH_OUTPUT_TOPIC and ENRICH_DLQ_TOPIC "
                              "must be three different topics")
        if self.sasl_mechanism and not self.security_protocol.startswith("SASL"):
            raise ConfigError("ENRICH_SASL_MECHANISM needs ENRICH_SECURITY_PROTOCOL=SASL_*")
        if self.security_protocol.startswith("SASL") and not self.sasl_mechanism:
            raise ConfigError(f"ENRICH_SECURITY_PROTOCOL={self.security_protocol} needs "
                              "ENRICH_SASL_MECHANISM")
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise ConfigError("ENRICH_SSL_CERTFILE and ENRICH_SSL_KEYFILE go together")
        for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            path = getattr(self, name)
            if path and not os.path.isfile(path):
                raise ConfigError(f"{ENV_PREFIX}{name.upper()}={path!r}: no such file")
        self._check_ner()

    def _check_ner(self) -> None:
        """What ENRICH_MODELS and ENRICH_NER ask for must be there: a package named that is
        not installed, or is a pipeline of another language, and an explicit ENRICH_NER=model
        or both where no pipeline is installed for any language, are errors, not a worker
        that quietly runs the rules instead. (Languages without a pipeline use the rules in
        every mode, and each entity's ``method`` says which recogniser found it.)"""
        try:
            overrides = parse_spec(self.models)
            check_spec(overrides)
        except ValueError as exc:
            raise ConfigError(f"ENRICH_MODELS: {exc}") from None
        if self.ner == RULES and overrides:
            raise ConfigError("ENRICH_MODELS names pipelines but ENRICH_NER=rules runs none: "
                              "unset one of the two")
        if self.ner and self.ner != RULES and not ModelRegistry(
                overrides=overrides).installed_languages():
            raise ConfigError(f"ENRICH_NER={self.ner}: no spaCy pipeline is installed for any "
                              "language (install one, or set ENRICH_NER=rules)")

    @property
    def ner_mode(self) -> str:
        """The recogniser setting in effect (unset: the default)."""
        return self.ner or DEFAULT_MODE

    def process_plan(self) -> Plan:
        """How many enrichment processes, and why (logged at start-up)."""
        if self.workers:
            return Plan(self.workers, "ENRICH_WORKERS")
        return resources.plan()

    @property
    def process_count(self) -> int:
        return self.process_plan().processes

    def redacted(self) -> dict[str, Any]:
        """For the start-up log line: every setting, secrets masked."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for secret in ("sasl_password", "ssl_key_password"):
            if out[secret]:
                out[secret] = "***"
        return out


def _convert(f: Any, raw: Any, source: str) -> Any:
    kind = type(f.default) if f.default is not MISSING else str
    try:
        value = kind(raw) if not isinstance(raw, kind) else raw
    except (TypeError, ValueError):
        raise ConfigError(f"{source}={raw!r}: expected {kind.__name__}") from None
    meta = f.metadata
    if "choices" in meta and value not in meta["choices"]:
        allowed = ", ".join(c for c in meta["choices"] if c)
        raise ConfigError(f"{source}={raw!r}: must be one of {allowed}")
    if "min" in meta and value < meta["min"]:
        raise ConfigError(f"{source}={raw!r}: must be >= {meta['min']}")
    if "max" in meta and value > meta["max"]:
        raise ConfigError(f"{source}={raw!r}: must be <= {meta['max']}")
    return value


def add_flags(parser: argparse.ArgumentParser) -> None:
    """One ``--flag`` per setting; unset flags stay None so env and defaults apply."""
    for f in fields(Settings):
        env = ENV_PREFIX + f.name.upper()
        parser.add_argument(
            f"--{f.name.replace('_', '-')}", dest=f.name, default=None, metavar="VALUE",
            help=f"{f.metadata['help']} [env {env}, default {f.default!r}]",
        )


def flags_of(ns: argparse.Namespace) -> dict[str, Any]:
    return {f.name: getattr(ns, f.name, None) for f in fields(Settings)}
