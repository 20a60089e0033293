"""Renders deploy/kubernetes/*.yaml for `podman kube play` on a CI machine (used by kube-test.sh).

podman 4.3 has no control plane: no Service (so no cluster DNS), one pod per Deployment, and
here no registry and no network beyond 127.0.0.0/8. Each change below says which of those it
works around; everything else (probes, security context, volumes, env from the Secret) is
played as written.

usage: kube-render.py OUT_DIR WORK_DIR STORE_PORT ORIGIN_PORT PORT_A PORT_B
"""
import base64
import copy
import json
import sys

import yaml

out, work, store_port, origin_port, port_a, port_b = sys.argv[1:7]


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def read(path):
    with open(path) as f:
        return f.read()


def dump(path, docs):
    with open(path, "w") as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)


sekisho = load("deploy/kubernetes/sekisho.yaml")
valkey = load("deploy/kubernetes/valkey.yaml")
kinds = {d["kind"] for d in sekisho + valkey}
played = {"ConfigMap", "Secret", "Deployment"}
# Services and the PodDisruptionBudget are not played by podman 4.3 (kube-test.sh says so).
print("not played by podman 4.3: " + ", ".join(sorted(kinds - played)), file=sys.stderr)

secrets = {d["metadata"]["name"]: d for d in sekisho if d["kind"] == "Secret"}
secrets["sekisho-ca"]["stringData"] = {"ca.pem": read(work + "/ca/ca.pem"), "ca.key": read(work + "/ca/ca.key")}
secrets["sekisho-keys"]["stringData"] = {"token-key": read(work + "/token-key").strip(),
                                         "store-password": read(work + "/store-password").strip()}


def host_network(deployment, image):
    spec = deployment["spec"]["template"]["spec"]
    spec["hostNetwork"] = True  # only 127.0.0.0/8 here: the pods share the host's loopback
    for c in spec["containers"]:
        c["image"] = image
        c.pop("ports", None)  # podman refuses port mappings on the host's network


vk = next(d for d in valkey if d["kind"] == "Deployment")
host_network(vk, "localhost/sekisho-valkey:ci")
vk_container = vk["spec"]["template"]["spec"]["containers"][0]
# The image's entrypoint binds 0.0.0.0:6379; on the host's network, bind loopback and a free port.
vk_container["command"] = ["sh", "-c", "exec redis-server --bind 127.0.0.1 --port " + store_port
                           + " --save '' --appendonly no --requirepass \"$REDIS_PASSWORD\""]
for probe in ("readinessProbe", "livenessProbe"):
    vk_container[probe]["tcpSocket"]["port"] = int(store_port)

config_map = next(d for d in sekisho if d["kind"] == "ConfigMap")
deployment = next(d for d in sekisho if d["kind"] == "Deployment")
# podman 4.3 plays a Secret into a podman secret holding its YAML; a secret volume reads that back,
# but secretKeyRef wants a JSON map of key to base64 ("is not valid JSON"). kube-test.sh creates
# the env Secret as such a map, and the volume Secret as the Secret document itself.
with open(out + "/sekisho-keys.json", "w") as f:
    json.dump({k: base64.b64encode(v.encode()).decode()
               for k, v in secrets["sekisho-keys"]["stringData"].items()}, f)
# A secret volume reads only `data`, not `stringData`, and podman 4.3 writes each `data` value to
# its file as it is, without base64-decoding it: the CI Secret holds the values decoded. (It also
# writes them 0644 root, ignoring defaultMode and fsGroup; Kubernetes makes them 0440, group 10001.)
ca = copy.deepcopy(secrets["sekisho-ca"])
ca["data"] = ca.pop("stringData")
dump(out + "/sekisho-ca.yaml", [ca])
docs = [vk]
for name, port in (("a", port_a), ("b", port_b)):
    cm = copy.deepcopy(config_map)
    cm["metadata"]["name"] = "sekisho-config-" + name
    cfg = yaml.safe_load(cm["data"]["sekisho.yaml"])
    cfg["listen"] = "127.0.0.1:" + port                       # two replicas on one loopback
    cfg["cluster"]["store"] = "redis://127.0.0.1:" + store_port  # no Service, no cluster DNS
    # The AWS sign-in endpoint is a local fake (kube-origin.py), trusted by its own CA.
    cfg["upstream"] = {
        "resolve": {"signin.aws.amazon.com": "127.0.0.1:" + origin_port,
                    ".signin.aws.amazon.com": "127.0.0.1:" + origin_port},
        "trustedCertificates": ["/etc/sekisho/config/origin-ca.pem"],
    }
    cm["data"]["sekisho.yaml"] = yaml.safe_dump(cfg, sort_keys=False)
    cm["data"]["origin-ca.pem"] = read(work + "/origin/ca.pem")
    d = copy.deepcopy(deployment)
    d["metadata"]["name"] = "sekisho-" + name  # podman 4.3 plays one replica per Deployment
    d["spec"]["replicas"] = 1
    host_network(d, "localhost/sekisho:ci")
    spec = d["spec"]["template"]["spec"]
    for v in spec["volumes"]:
        if "configMap" in v:
            v["configMap"]["name"] = cm["metadata"]["name"]
        if "emptyDir" in v:
            # podman makes an emptyDir a named volume: one per replica, as each pod has its own.
            v["name"] += "-" + name
            for m in spec["containers"][0]["volumeMounts"]:
                if m["name"] == v["name"][:-2]:
                    m["name"] = v["name"]
    c = spec["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        c[probe]["tcpSocket"]["port"] = int(port)
    docs += [cm, d]

dump(out + "/play.yaml", docs)
