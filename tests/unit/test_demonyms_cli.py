"""Demonym table coverage, the offline command, the HTTP probes and the DLQ headers."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import orjson
import pytest

from worker.dlq import headers
from worker.enrich import demonyms, places
from worker.http import HttpServer, Probes
from worker.metrics import Metrics
from worker.transform import Outcome, Transform

from ..conftest import ROOT

# The 193 UN member states (ISO 3166-1 alpha-2), written out independently of the table.
UN_MEMBERS = set("""
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA
CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM
GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS
LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK
NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO
ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM
ZW""".split())


def test_un_member_list_is_complete() -> None:
    assert len(UN_MEMBERS) == 193


def test_every_un_member_has_demonyms_in_every_language() -> None:
    table = dict(demonyms.rows())
    missing = [(code, lang) for code in sorted(UN_MEMBERS) for lang in demonyms.LANGS
               if not table.get(code, {}).get(lang)]
    assert not missing, missing


def test_every_un_member_has_a_country_name_in_every_language() -> None:
    for lang in demonyms.LANGS:
        codes = {c.code for cands in places.gazetteer(lang).table.values() for c in cands
                 if c.kind == "country"}
        assert not UN_MEMBERS - codes, (lang, sorted(UN_MEMBERS - codes))


def test_offline_enrich_command(samples: list[dict[str, Any]], tmp_path: Any,
                                enriched_validator: Any) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps(a) for a in samples) + b"\n{broken\n")
    out = subprocess.run([sys.executable, "-m", "worker.cli", "enrich", str(src)], cwd=ROOT,
                         capture_output=True, timeout=300, check=False)
    assert out.returncode == 1  # one bad line
    lines = out.stdout.splitlines()
    assert len(lines) == len(samples)
    for line in lines:
        enriched_validator.validate(orjson.loads(line))
    assert b"line 7: invalid_json" in out.stderr


def test_offline_enrich_missing_file_is_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "worker.cli", "enrich", "/nonexistent.jsonl"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == ("enrich-worker: cannot read /nonexistent.jsonl: "
                                  "No such file or directory")


def test_a_body_past_spacy_max_length_is_enriched_in_pieces_and_marked_truncated() -> None:
    # spaCy refuses one text over nlp.max_length (1,000,000 chars, error E088); the worker
    # analyses at most ENRICH_MAX_ANALYSED_CHARS, in ~10k-char pieces, so it never asks.
    t = Transform(retries=2)
    t.codec.max_body_bytes = 3_000_000
    good = orjson.dumps({"id": "ok", "lang": "en", "body": "Rain in Spain."})
    huge = orjson.dumps({"id": "huge", "lang": "en", "body": "Paris is nice. " * 70_000})
    ok, big = t.run([good, huge])
    assert ok.ok and "truncated" not in orjson.loads(ok.value or b"")["enrichment"]
    assert big.ok and big.attempts == 1
    e = orjson.loads(big.value or b"")["enrichment"]
    assert e["truncated"]["body_chars"] == 1_050_000
    assert e["truncated"]["analysed_body_chars"] <= 100_000
    assert "FR" in {c["code"] for c in e["countries"]}


def test_dlq_headers_carry_reason_and_source() -> None:
    h = dict(headers(Outcome(reason="invalid_json", error_class="BadInput", message="m"),
                     "raw", 2, 41, 1700000000000, [("trace", b"t")]))
    assert h["trace"] == b"t"
    assert h["dlq.reason"] == b"invalid_json"
    assert (h["dlq.source.topic"], h["dlq.source.partition"], h["dlq.source.offset"]) == (
        b"raw", b"2", b"41")


@pytest.mark.asyncio
async def test_probes_and_metrics_endpoint() -> None:
    probes = Probes()
    state = {"joined": False}
    probes.checks = {"models_loaded": lambda: True, "group_joined": lambda: state["joined"]}
    server = HttpServer(Metrics(), probes, "127.0.0.1", 0)
    port = await server.start()

    async def get(path: str) -> tuple[str, str]:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        data = (await r.read()).decode()
        w.close()
        head, _, body = data.partition("\r\n\r\n")
        return head.split("\r\n")[0], body

    try:
        assert (await get("/healthz"))[0].endswith("200 OK")
        status, body = await get("/readyz")
        assert status.endswith("503 Service Unavailable") and "FAIL group_joined" in body
        state["joined"] = True
        assert (await get("/readyz"))[0].endswith("200 OK")
        status, body = await get("/metrics")
        assert "enrich_records_consumed_total" in body or "enrich_build_info" in body
        assert "enrich_ready 1.0" in body
        assert (await get("/nope"))[0].endswith("404 Not Found")
    finally:
        await server.stop()
