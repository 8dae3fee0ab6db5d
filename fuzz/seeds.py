#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz harness from the repository's fixtures.

    python3 fuzz/seeds.py OUT_DIR [HARNESS...]

creates OUT_DIR/<harness>/ with one file per seed (existing files are kept).
The table below says which fixtures seed which harness; nothing is copied into
fuzz/. Harnesses that read several files (a chart, a manifest set, OpenAPI
documents that `$ref` each other) get them joined with "#=== <name>" lines,
the form fuzz/fuzz_support.hpp splits.
"""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # the reference constitution, when present
MARKER = "#=== "
MAX_SEED_BYTES = 256 * 1024

# Harness -> globs (relative to the repository root) whose files seed it as they are.
PLAIN = {
    "dockerfile": ["tests/fixtures/docker/**/*Dockerfile*", "examples/**/Dockerfile*", "tests/fixtures/**/Dockerfile"],
    "yaml": ["tests/fixtures/**/*.yaml", "tests/fixtures/**/*.yml", "tests/fixtures/**/*.json",
             "examples/**/*.yaml", "examples/**/*.yml", "examples/**/*.json", "tests/golden/**/*.json",
             "tests/golden/**/*.sarif"],
    "constitution": ["tests/fixtures/constitution/*.md", "examples/**/CONSTITUTION.md",
                     "examples/**/.specify/memory/constitution.md"],
    "config": ["examples/**/.constable.yaml", "tests/fixtures/**/.constable.yaml"],
    "rego": ["tests/fixtures/rego/**/*.rego"],
    "gherkin": ["tests/fixtures/**/*.feature", "examples/**/*.feature"],
    "ci": ["tests/fixtures/**/ci.yml", "tests/fixtures/**/*.gitlab-ci.yml", "tests/fixtures/**/.gitlab-ci.yml",
           "tests/fixtures/**/.github/workflows/*.yml", "examples/**/.github/workflows/*.yml",
           "examples/**/.gitlab-ci.yml"],
    "changelog": ["tests/fixtures/**/CHANGELOG*.md", "examples/**/CHANGELOG.md", "CHANGELOG.md"],
    "baseline": ["tests/golden/**/*.json"],
}

# The secrets harness reads its path from the first byte (fuzz/secrets_fuzzer.cpp, kPaths).
SECRET_PATH_INDEX = [("values", 4), (".env", 1), ("Dockerfile", 2), (".py", 3), ("id_rsa", 5), (".md", 6),
                     (".json", 7)]
SECRETS_GLOBS = ["tests/fixtures/secrets/**/*", "tests/fixtures/docker/no-secrets-*/**/*",
                 "tests/fixtures/kubernetes/configmap-sensitive-data/**/*", "tests/fixtures/helm/values-comments/**/values*.yaml",
                 "examples/**/.env*", "examples/**/values*.yaml", "examples/**/Dockerfile"]

BASELINE_SEED = """{
  "version": 1,
  "tool": "constable",
  "created": "2026-01-15",
  "findings": [
    {"fingerprint": "3f2a9c1d0b7e4a21", "check": "docker/non-root-user", "path": "Dockerfile", "line": 3,
     "message": "final stage runs as root"},
    {"fingerprint": "a1b2c3d4e5f60718", "check": "kubernetes/probes", "path": "k8s/deployment.yaml", "line": 12,
     "message": "container web has no readiness probe"}
  ]
}
"""


def files(patterns):
    seen = set()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and path not in seen:
                seen.add(path)
                yield path


def read(path):
    return path.read_bytes()[:MAX_SEED_BYTES]


def joined(first, rest):
    """first: bytes; rest: [(name, bytes)] appended as "#=== name" parts."""
    out = bytearray(first)
    for name, data in rest:
        if out and not out.endswith(b"\n"):
            out += b"\n"
        out += (MARKER + name + "\n").encode() + data
    return bytes(out[:MAX_SEED_BYTES])


def yaml_files(directory):
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))


def manifest_seeds():
    # Every Kubernetes fixture (a file or a directory), and each example's deploy trees.
    units = sorted(ROOT.glob("tests/fixtures/kubernetes/*/*"))
    units += [p for p in sorted(ROOT.glob("examples/*/*")) if p.is_dir() and p.name in ("k8s", "deploy")]
    for unit in units:
        members = [unit] if unit.is_file() else [p for p in yaml_files(unit) if "/templates/" not in str(p)]
        if not members:
            continue
        base = unit.parent
        named = [(str(p.relative_to(base)), read(p)) for p in members]
        yield joined(b"", named)


def charts():
    for chart_yaml in sorted(ROOT.glob("tests/fixtures/**/Chart.yaml")) + sorted(ROOT.glob("examples/**/Chart.yaml")):
        yield chart_yaml.parent


def helm_template_seeds():
    for chart in charts():
        helpers = [(str(p.relative_to(chart)), read(p)) for p in sorted(chart.glob("templates/_*.tpl"))]
        values = [("values.yaml", read(chart / "values.yaml"))] if (chart / "values.yaml").is_file() else []
        schema = [("values.schema.json", read(chart / "values.schema.json"))] if (chart / "values.schema.json").is_file() else []
        for template in sorted(chart.glob("templates/**/*")):
            if template.is_file() and not template.name.startswith("_"):
                yield joined(read(template), helpers + values + schema)


def helm_values_seeds():
    for chart in charts():
        if not (chart / "values.yaml").is_file():
            continue
        extra = [(p.name, read(p)) for p in sorted(chart.glob("values-*.yaml"))]
        if (chart / "values.schema.json").is_file():
            extra.append(("values.schema.json", read(chart / "values.schema.json")))
        extra.append(("set", b"replicaCount=3\nimage.tag=1.2.3\nlist={a,b}\nnested.a\\.b[0].c=x\n"))
        yield joined(read(chart / "values.yaml"), extra)


def openapi_seeds():
    candidates = [p for p in files(["tests/fixtures/**/*.yaml", "tests/fixtures/**/*.yml", "tests/fixtures/**/*.json",
                                    "examples/**/*.yaml", "examples/**/*.json"])]
    for root in candidates:
        head = read(root)[:4096]
        if b"openapi" not in head and b"swagger" not in head:
            continue
        siblings = [p for p in yaml_files(root.parent) if p != root]
        yield joined(read(root), [("api/" + str(p.relative_to(root.parent)), read(p)) for p in siblings[:20]])


def gitignore_seeds():
    ignores = list(files([".gitignore", "examples/**/.gitignore", "tests/fixtures/**/.gitignore",
                          "examples/**/.dockerignore", "tests/fixtures/**/.dockerignore"]))
    paths = "\n".join(str(p.relative_to(ROOT / "examples")) for p in files(["examples/**/*"])).encode()
    for ignore in ignores:
        yield joined(read(ignore), [("paths", paths)])
    yield joined(b"*.log\n!keep.log\n/build/\n**/tmp/**\ndocs/**/*.md\n\\#literal\n[a-c]?.txt\n", [("paths", paths)])


def secrets_seeds():
    for path in files(SECRETS_GLOBS):
        index = next((i for marker, i in SECRET_PATH_INDEX if marker in path.name), 0)
        yield bytes([index]) + read(path)


# The code harness reads its grammar from the first byte (fuzz/code_fuzzer.cpp): 0 Python, 1 TypeScript, 2 TSX.
CODE_GLOBS = [("tests/fixtures/**/*.py", 0), ("tests/fixtures/**/*.ts", 1), ("tests/fixtures/**/*.tsx", 2),
              ("tests/fixtures/**/*.js", 2), ("examples/**/*.py", 0), ("examples/**/*.ts", 1), ("examples/**/*.tsx", 2)]


def code_seeds():
    for pattern, grammar in CODE_GLOBS:
        for path in files([pattern]):
            yield bytes([grammar]) + read(path)


def constitution_seeds():
    for path in files(PLAIN["constitution"]):
        yield read(path)
    reference = SHARED / "reference-constitution.md"
    if reference.is_file():
        yield read(reference)


def config_seeds():
    for path in files(PLAIN["config"]):
        yield read(path)
    # The ```yaml examples of .constable.yaml in the documentation.
    for doc in files(["README.md", "docs/*.md"]):
        for block in doc.read_text(errors="replace").split("```yaml\n")[1:]:
            body = block.split("```", 1)[0]
            if any(key in body for key in ("waivers:", "exclude:", "select:", "ignore:", "attestations:", "secrets:")):
                yield body.encode()


def leb128(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def zigzag(n):
    return leb128(((n << 1) ^ (n >> 63)) & 0xFFFFFFFFFFFFFFFF)


def field(text):
    data = text.encode()
    return leb128(len(data)) + data


def source_range(*numbers):
    return b"".join(zigzag(n) for n in numbers)


def result_cache_seeds():
    """An entry's body (engine/result_cache.cpp, after the format line and the
    salt the harness puts first): one file with an emission, a note, a
    dependency and a suppressed finding, no late files, two phases with their
    emissions by path. Lists of emissions and findings are kept encoded, each
    behind its length."""
    digest = bytes(range(32))
    stat = b"\x01" + b"".join(leb128(n) for n in (120, 1_700_000_000_123_456_789, 1_700_000_000_123_456_790, 42, 7))
    emission = (field("kubernetes/non-root") + field("k8s/security/non-root") + field("") +
                source_range(3, 5, 3, 12) + field("runs as root") + field("set runAsNonRoot") +
                leb128(1) + source_range(4, 1, 4, 9) + field("") + field("prod") + field("Deployment/app"))
    finding = (field("kubernetes/non-root") + field("k8s/security/non-root") + field("") + field("") + zigzag(0) +
               b"\x01" + field("deploy/app.yaml") + source_range(3, 5, 3, 12) + field("runs as root") + field("") +
               field("    runAsUser: 0") + field("00112233aabbccdd") + field("Deployment/app") +
               leb128(1) + source_range(9, 1, 9, 4) + field("and here") +
               b"\x01" + b"\x00" + field("legacy") + field("") + b"\x01" + zigzag(20_849) + field("deploy/app.yaml:2"))
    def encoded(items):
        data = leb128(len(items)) + b"".join(items)
        return leb128(len(data)) + data
    file = (field("deploy/app.yaml") + stat + digest + b"\x01" + b"\x01" + b"\x01" + encoded([emission]) +
            leb128(1) + field("deploy/app.yaml:2:1") + field("invalid UTF-8") + b"\x01" + b"\x01" +
            leb128(1) + field("/repo/base.yaml") + b"\x00" + b"\x00" + digest +
            b"\x01" + digest + encoded([finding]))
    phase = b"\x01" + digest + leb128(0) + leb128(1) + field("deploy/app.yaml") + encoded([emission]) + leb128(0)
    yield leb128(1) + file + leb128(0) + phase + phase
    # The charts' kept renders (the same harness reads its input as both):
    # one chart, one dependency, one render of one document whose last line
    # interpolates a value.
    line = lambda path, number, column, value_path, value_line, namespace: (
        leb128(path) + zigzag(number) + zigzag(column) + leb128(value_path) + zigzag(value_line) +
        (b"\x01" if namespace else b"\x00"))
    render = (field("") + leb128(2) + field("charts/web/templates/deploy.yaml") + field("charts/web/values.yaml") +
              leb128(1) + field("charts/web/templates/deploy.yaml") + field("kind: Deployment\nspec:\n  replicas: 1\n") +
              leb128(3) + line(0, 1, 1, 0, 0, False) + line(0, 2, 1, 0, 0, False) + line(0, 3, 3, 2, 1, True) +
              leb128(0) + leb128(0) + field(""))
    yield (leb128(1) + field("charts/web/") + digest + leb128(1) + field("/repo/charts/web/values.yaml") + stat +
           b"\x01" + digest + leb128(0) + leb128(1) + render)


COMPOSED = {
    "config": config_seeds,
    "manifests": manifest_seeds,
    "helm_template": helm_template_seeds,
    "helm_values": helm_values_seeds,
    "openapi": openapi_seeds,
    "gitignore": gitignore_seeds,
    "secrets": secrets_seeds,
    "code": code_seeds,
    "constitution": constitution_seeds,
    "result_cache": result_cache_seeds,
}
HARNESSES = sorted(set(PLAIN) | set(COMPOSED))


def seeds(harness):
    if harness in COMPOSED:
        yield from COMPOSED[harness]()
    else:
        for path in files(PLAIN[harness]):
            yield read(path)
    if harness == "baseline":
        yield BASELINE_SEED.encode()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    wanted = sys.argv[2:] or HARNESSES
    for harness in wanted:
        if harness not in HARNESSES:
            sys.exit(f"seeds.py: unknown harness {harness} (known: {' '.join(HARNESSES)})")
        directory = out / harness
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        for data in seeds(harness):
            (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
            count += 1
        if count == 0:
            sys.exit(f"seeds.py: no seed for {harness}: a fixture glob no longer matches")
        print(f"seeds.py: {harness}: {count} seeds")


if __name__ == "__main__":
    main()
