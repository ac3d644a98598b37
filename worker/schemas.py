"""Locating the versioned JSON Schemas, in a source tree and in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

RAW = "raw-article.v1.json"


def schema_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schemas", here.parent / "schemas"):
        if (candidate / RAW).is_file():
            return candidate
    raise FileNotFoundError(f"{RAW} not found next to the package or in the source tree")


@cache
def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads((schema_dir() / name).read_bytes())
    return data
