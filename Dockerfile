# The constable CLI as a container image. It checks the repository mounted
# at /src:
#
#   docker build -t constable --build-arg CONSTABLE_COMMIT="$(git rev-parse --short HEAD)" .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" constable
#
# (--user lets it write reports into the mount; .git is not sent to the
# build, hence the commit as an argument.)
#
# The same image is the admission webhook (docs/serve.md):
#
#   docker run --rm -p 8443:8443 -v "$PWD/tls:/tls:ro" -v "$PWD:/src:ro" constable \
#     serve --tls-cert /tls/tls.crt --tls-key /tls/tls.key --constitution /src/CONSTITUTION.md

# Build: the CLI alone, no tests, with Debian 12's compiler and -dev packages;
# the tree-sitter grammars come from the npm registry (cmake/grammars.cmake).
FROM debian:12.12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libcmark-gfm-dev libcmark-gfm-extensions-dev nlohmann-json3-dev libcli11-dev libfmt-dev libre2-dev \
      libvectorscan-dev libgit2-dev libyaml-dev zlib1g-dev libssl-dev libboost-dev libcjose-dev libjansson-dev libjemalloc-dev \
      libsqlite3-dev libpq-dev libtree-sitter-dev libtomlplusplus-dev libkrb5-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY src/ src/
# `constable serve` serves its OpenAPI document, compiled in.
COPY docs/api/ docs/api/
ARG CONSTABLE_COMMIT=unknown
RUN cmake -S . -B out -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONSTABLE_BUILD_TESTS=OFF \
      -DCONSTABLE_STATIC_DEPENDENCIES=ON -DCONSTABLE_JEMALLOC=ON -DCONSTABLE_COMMIT="${CONSTABLE_COMMIT}" \
 && cmake --build out --target constable \
 && cmake --install out --prefix /opt/constable --strip

# Run: the slim base, whose glibc is all the binary needs (the rest is
# linked in: cmake/dependencies.cmake), and two libraries it loads when
# first used: GSSAPI, for a clone from a server that asks for Kerberos
# authentication, and libpq5, for a PostgreSQL audit store; nothing else.
FROM debian:12.12-slim
ARG CONSTABLE_COMMIT=unknown
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgssapi-krb5-2 libpq5 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin constable \
 && printf '[safe]\n\tdirectory = /src\n' > /etc/gitconfig
# A repository mounted at /src belongs to whoever checked it out, not to this
# image's user: safe.directory lets libgit2 open it anyway (the git checks
# and --diff need it; constable only reads it).
COPY --from=build /opt/constable/bin/constable /usr/local/bin/constable
LABEL org.opencontainers.image.title="constable" \
      org.opencontainers.image.description="Checks a repository against its constitution: every violation with its clause, severity and due date" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.revision="${CONSTABLE_COMMIT}" \
      org.opencontainers.image.base.name="docker.io/library/debian:12.12-slim"
USER 10001:10001
WORKDIR /src
# The long-running mode is the webhook (`serve`): the check asks it whether
# it is ready (https://127.0.0.1:8443/readyz; the image has no curl).
# Kubernetes probes the same endpoints itself (docs/serve.md). A one-shot
# `check` usually ends before the first probe; Docker only reports health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["constable", "health"]
EXPOSE 8443
ENTRYPOINT ["constable"]
CMD ["check", "."]
