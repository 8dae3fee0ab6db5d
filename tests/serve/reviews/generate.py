#!/usr/bin/env python3
"""Writes N AdmissionReview requests in the shape the Kubernetes API server
sends (admission.k8s.io/v1), one JSON document per line, each with the
decision `constable serve` must reach under examples/k8s-platform's
constitution and the default enforcement (deny critical and high):

    python3 tests/serve/reviews/generate.py N [SEED] > reviews.jsonl

Every line is {"expect": "allowed"|"denied", "review": {...}}. Deterministic
for a seed; standard library only.
"""
import copy
import json
import random
import sys
import uuid

IMAGE = "registry.example.com/shop/web:v1.4.2"


def container(image, hardened=True, probes=True):
    c = {"name": "app", "image": image}
    if hardened:
        c["resources"] = {"requests": {"cpu": "100m", "memory": "128Mi"},
                          "limits": {"cpu": "500m", "memory": "256Mi"}}
        c["securityContext"] = {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}
    if probes:
        c["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": 8080}}
        c["readinessProbe"] = {"httpGet": {"path": "/readyz", "port": 8080}}
    return c


def pod_spec(image, hardened=True, probes=True):
    return {"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [container(image, hardened, probes)]}


def workload(kind, name, image, hardened=True):
    meta = {"name": name, "labels": {"app": name}}
    template = {"metadata": {"labels": {"app": name}}, "spec": pod_spec(image, hardened)}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec(image, hardened)}
    if kind == "CronJob":
        job_pod = {"spec": dict(pod_spec(image, hardened, probes=False), restartPolicy="Never")}
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta,
                "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": job_pod}}}}
    spec = {"replicas": 3, "selector": {"matchLabels": {"app": name}}, "template": template}
    if kind == "Deployment":
        spec["revisionHistoryLimit"] = 10
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    if kind == "StatefulSet":
        spec["serviceName"] = name
        spec["updateStrategy"] = {"type": "RollingUpdate"}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": spec}


GROUPS = {"Pod": ("", "pods"), "Secret": ("", "secrets"), "Namespace": ("", "namespaces"),
          "Deployment": ("apps", "deployments"), "StatefulSet": ("apps", "statefulsets"),
          "CronJob": ("batch", "cronjobs")}


def review(rng, obj, operation, namespace, old=None, dry_run=False, user="alice@example.com"):
    kind = obj["kind"] if obj else old["kind"]
    group, resource = GROUPS[kind]
    version = "v1"
    gvk = {"group": group, "version": version, "kind": kind}
    gvr = {"group": group, "version": version, "resource": resource}
    request = {
        "uid": str(uuid.UUID(int=rng.getrandbits(128))),
        "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
        "name": (obj or old)["metadata"]["name"],
        "operation": operation,
        "userInfo": {"username": user, "uid": "014fbff9a07c", "groups": ["system:authenticated"]},
        "object": obj, "oldObject": old, "dryRun": dry_run,
        "options": {"apiVersion": "meta.k8s.io/v1",
                    "kind": {"CREATE": "CreateOptions", "UPDATE": "UpdateOptions",
                             "DELETE": "DeleteOptions"}[operation]},
    }
    if kind != "Namespace":
        request["namespace"] = namespace
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def cases(rng):
    name = f"svc-{rng.randrange(1000)}"
    ns = rng.choice(["production", "shop-production", "payments-prod"])
    kind = rng.choice(["Deployment", "StatefulSet", "Pod", "CronJob"])
    good = workload(kind, name, IMAGE)
    latest = workload(kind, name, "nginx:latest")
    bare = workload(kind, name, IMAGE, hardened=False)
    scaled = copy.deepcopy(bare)
    if "replicas" in scaled.get("spec", {}):
        scaled["spec"]["replicas"] = 5
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": "Opaque",
              "data": {"password": "czNjcjN0LVBhNTV3MHJk"}}
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"team-{name}"}}
    return [
        ("allowed", review(rng, good, "CREATE", ns)),
        ("denied", review(rng, latest, "CREATE", ns)),
        ("denied", review(rng, bare, "CREATE", ns)),
        ("denied", review(rng, latest, "CREATE", ns, dry_run=True)),
        ("allowed", review(rng, scaled, "UPDATE", ns, old=bare)),
        ("denied", review(rng, latest, "UPDATE", ns, old=good)),
        ("allowed", review(rng, None, "DELETE", ns, old=latest)),
        ("allowed", review(rng, latest, "CREATE", "kube-system")),
        ("allowed", review(rng, secret, "CREATE", ns)),
        ("allowed", review(rng, namespace, "CREATE", "")),
    ]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 13)
    written = 0
    while written < count:
        for expect, body in cases(rng):
            if written == count:
                break
            print(json.dumps({"expect": expect, "review": body}, separators=(",", ":")))
            written += 1


if __name__ == "__main__":
    main()
