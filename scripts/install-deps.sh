#!/usr/bin/env bash
# Installs constable's build and test dependencies from Debian's archive.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libre2-dev
  libvectorscan-dev libgit2-dev libyaml-dev zlib1g-dev libssl-dev
  # GSSAPI's header: the CLI loads libgit2's GSSAPI on demand (src/link/gssapi_on_demand.cpp)
  libkrb5-dev
  # constable audit's store (src/store/): libpq's header, and libpq5, which the store loads
  # when it opens (docs/adr/0021-libpq-on-demand.md); the tests start a server (initdb, pg_ctl)
  libsqlite3-dev libpq-dev postgresql
  # the CLI's allocator (docs/adr/0011-jemalloc.md)
  libjemalloc-dev
  # application code (src/code/): the tree-sitter runtime; the grammars come from npm at configure time
  libtree-sitter-dev
  # pyproject.toml, for the stack facts of Python projects
  libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema
  # the fuzz harnesses: clang 16 (14 and 15 cannot compile std::expected), libFuzzer, llvm-symbolizer
  clang-16 libclang-rt-16-dev llvm
  # the HTML report's test opens it in headless Chromium, driven from Node
  chromium
  # constable serve: Boost.Beast over Asio and OpenSSL, cjose for OpenID Connect tokens (its
  # pkg-config file needs jansson's, which Debian's libcjose-dev does not pull in);
  # promtool validates its /metrics; curl and h2load drive it
  libboost-dev libcjose-dev libjansson-dev prometheus curl nghttp2-client
  # bench/floor/run.sh measures constable beside ripgrep reading the same tree
  ripgrep
)
# Node and npm may come from elsewhere (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm): Debian's only when there is none.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo "$0" "$@"; fi
  echo "install-deps: must run as root (or with sudo) to install: ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
