"""Shared fixtures: paths, the sample articles, and schema validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEED = ROOT.parent / "shared" / "samples" / "seed-article-it.txt"


def load_samples() -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in (ROOT / "samples" / "articles.jsonl").read_bytes()
            .splitlines() if line.strip()]


@pytest.fixture(scope="session")
def samples() -> list[dict[str, Any]]:
    return load_samples()


@pytest.fixture(scope="session")
def seed(samples: list[dict[str, Any]]) -> dict[str, Any]:
    return next(a for a in samples if a["id"] == "seed-it-kim-putin")


def _validator(name: str) -> Draft7Validator:
    resources = []
    for path in (ROOT / "schemas").glob("*.json"):
        doc = orjson.loads(path.read_bytes())
        resources.append((path.name, Resource.from_contents(doc)))
        resources.append((doc["$id"], Resource.from_contents(doc)))
    registry: Registry = Registry().with_resources(resources)
    schema = orjson.loads((ROOT / "schemas" / name).read_bytes())
    return Draft7Validator(schema, registry=registry,
                           format_checker=Draft7Validator.FORMAT_CHECKER)


@pytest.fixture(scope="session")
def enriched_validator() -> Draft7Validator:
    return _validator("enriched-article.v1.json")
