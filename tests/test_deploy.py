"""deploy/: Kubernetes manifests valid against the API's schemas and in step with the service."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from moderation.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
#: Kubernetes release the manifests are checked against (kubernetes-validate ships its schemas).
KUBERNETES = "1.30"
#: Custom resources the validator has no schema for, checked by hand below.
CUSTOM = {("keda.sh/v1alpha1", "ScaledObject")}


def documents() -> list[tuple[str, dict[str, Any]]]:
    """Every YAML document of deploy/k8s but the kustomization, with its file name."""
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        found += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def kinds(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in documents() if doc["kind"] == kind]


def by_name(kind: str, name: str) -> dict[str, Any]:
    (found,) = [doc for doc in kinds(kind) if doc["metadata"]["name"] == name]
    return found


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


@pytest.mark.parametrize(
    ("name", "doc"), documents(), ids=lambda v: v if isinstance(v, str) else v["kind"]
)
def test_manifests_are_valid_kubernetes(name, doc):
    if (doc["apiVersion"], doc["kind"]) in CUSTOM:
        pytest.skip("a custom resource: checked by test_workers_scale_on_both_redis_lists")
    kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_the_kustomization_lists_every_manifest():
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(
        p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"
    )


def test_workers_scale_on_both_redis_lists():
    """KEDA watches where work waits: RQ's queue list and, under load, the pending ids."""
    scaled = by_name("ScaledObject", "moderation-worker")
    assert scaled["spec"]["scaleTargetRef"]["name"] == "moderation-worker"
    by_name("Deployment", "moderation-worker")
    assert scaled["spec"]["minReplicaCount"] == 1
    assert scaled["spec"]["maxReplicaCount"] > 1
    queue = Settings().queue_name
    lists = {t["metadata"]["listName"] for t in scaled["spec"]["triggers"] if t["type"] == "redis"}
    assert lists == {f"rq:queue:{queue}", f"moderation:pending:{queue}"}
    for trigger in scaled["spec"]["triggers"]:
        assert int(trigger["metadata"]["listLength"]) > 0


def test_web_is_probed_on_its_health_endpoints(app):
    web = container(by_name("Deployment", "moderation-web"))
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"/healthz", "/readyz"} <= routes
    pdb = by_name("PodDisruptionBudget", "moderation-web")
    labels = by_name("Deployment", "moderation-web")["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("name", ["moderation-worker", "moderation-webhook-worker"])
def test_workers_get_longer_than_a_job_to_stop(name):
    env = by_name("ConfigMap", "moderation-env")["data"]
    timeout = int(env.get("MODERATION_JOB_TIMEOUT", Settings().job_timeout))
    spec = by_name("Deployment", name)["spec"]["template"]["spec"]
    assert spec["terminationGracePeriodSeconds"] > timeout


def test_every_pod_asks_for_measured_memory_and_runs_the_image_unprivileged():
    for deployment in [*kinds("Deployment"), *kinds("Job")]:
        spec = deployment["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"]
        for each in spec["containers"]:
            assert each["image"] == "newsroom-moderation"
            requests, limits = each["resources"]["requests"], each["resources"]["limits"]
            assert re.fullmatch(r"\d+Mi", requests["memory"]), each["name"]
            assert _mib(limits["memory"]) >= _mib(requests["memory"])


def _mib(quantity: str) -> int:
    return int(quantity.removesuffix("Mi"))


def test_rules_come_from_a_configmap_mounted_whole_so_edits_reload():
    """A subPath mount never sees a ConfigMap edit; a whole-volume mount does."""
    config_dir = by_name("ConfigMap", "moderation-env")["data"]["MODERATION_CONFIG_DIR"]
    rules = tomllib.loads((ROOT / "config" / "rules.toml").read_text())["lexicon"]
    for name in ("moderation-web", "moderation-worker", "moderation-webhook-worker"):
        spec = by_name("Deployment", name)["spec"]["template"]["spec"]
        (volume,) = [v for v in spec["volumes"] if "configMap" in v and v["name"] == "rules"]
        paths = {item["path"] for item in volume["configMap"]["items"]}
        assert {"rules.toml", rules["terms"], rules["allowlist"]} <= paths
        (mount,) = [m for m in container(by_name("Deployment", name))["volumeMounts"]
                    if m["name"] == "rules"]  # fmt: skip
        assert mount["mountPath"] == config_dir
        assert "subPath" not in mount


def test_redis_keeps_its_queue_on_disk_and_never_evicts():
    redis = container(by_name("StatefulSet", "redis"))
    args = " ".join(redis["args"])
    assert "--appendonly yes" in args
    assert "--maxmemory-policy noeviction" in args


def test_compose_mounts_the_rules_read_only():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for name in ("web", "worker", "webhook-worker"):
        service = compose["services"][name]
        assert "./config:/app/config:ro" in service["volumes"], name


def test_the_dashboard_queries_only_metrics_the_service_exports(client):
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    exported = {
        line.split()[2]
        for line in client.get("/metrics").get_data(as_text=True).splitlines()
        if line.startswith("# TYPE")
    }
    names = {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in re.findall(r"moderation_[a-z_]+", target["expr"])
    }
    assert names
    for name in names:  # a counter's TYPE line names it without _total; a histogram's bare
        assert name in exported or re.sub(r"_(total|bucket|count|sum)$", "", name) in exported
