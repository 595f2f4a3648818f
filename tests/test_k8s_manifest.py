"""deploy/k8s/coachkit-web.yaml: valid against the Kubernetes schema; it says what the scaled set-up needs."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

MANIFEST = Path(__file__).resolve().parent.parent / "deploy" / "k8s" / "coachkit-web.yaml"
KUBERNETES = "1.31.0"


def documents() -> dict[str, dict]:
    return {doc["kind"]: doc for doc in yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")) if doc}


@pytest.mark.parametrize("kind", ["Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"])
def test_each_resource_is_valid_against_the_kubernetes_schema(kind):
    """Does each resource validate (strictly: no unknown fields) against Kubernetes 1.31's schema?"""
    kubernetes_validate.validate(documents()[kind], KUBERNETES, strict=True)


def test_the_manifest_keeps_visitors_on_their_pod_and_checks_readiness():
    """Session affinity on the Ingress (a cookie), a readiness probe on the landing page, resource requests,
    an autoscaler on CPU for this Deployment."""
    docs = documents()
    annotations = docs["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/"
    assert container["resources"]["requests"]["memory"] == container["resources"]["limits"]["memory"]
    hpa = docs["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == docs["Deployment"]["metadata"]["name"]
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
