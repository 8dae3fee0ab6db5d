# The two commands a newcomer needs: `make demo` and `make test`. Both install
# what is missing first (Debian packages, as root).
SHELL := /bin/bash
BUILD_DIR := build/release
CONSTABLE := $(BUILD_DIR)/src/constable
DEMO := examples/demo-repo
JOBS ?= $(shell nproc)

.PHONY: all deps configure build constable install demo test sanitize sanitize-build docs docs-check bench floor-bench cache-bench startup-bench serve-bench serve-e2e audit-bench clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset release >/dev/null

# Everything: the CLI, the tests and the benchmarks.
build: configure
	@cmake --build --preset release -j $(JOBS)

# Just the CLI.
constable: configure
	@cmake --build --preset release -j $(JOBS) --target constable

# The release CLI, its man page and completions under PREFIX (DESTDIR honoured
# for staged installs): `make install PREFIX=$HOME/.local`.
PREFIX ?= /usr/local
install: constable
	@cmake --install $(BUILD_DIR) --prefix "$(PREFIX)"

# Runs constable on the bundled example; exit code 1 (violations found) is the expected outcome.
demo: constable
	@echo "== constable check $(DEMO)"
	@$(CONSTABLE) check $(DEMO); code=$$?; \
	  echo "== exit code $$code (0 clean, 1 violations, 2 usage error)"; [ $$code -le 1 ]

# The release CLI and benchmarks as users build them (g++, warnings are
# errors) through every bundled example; then every suite under the
# sanitizers and the fuzz smoke. The suites run once, in the sanitized build,
# to keep a clean run under 25 minutes on 2 cores; `ctest --preset release`
# after `make build` runs them optimised.
test: configure
	@cmake --build --preset release -j $(JOBS) --target constable constable_benchmarks
	@bash scripts/check-static-link.sh $(CONSTABLE)
	@bash scripts/check-allocator.sh $(CONSTABLE)
	@bash scripts/check-examples.sh $(CONSTABLE)
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz-smoke

SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The CLI, every suite (unit and end to end) and the libFuzzer harnesses again,
# built once with clang, AddressSanitizer and UndefinedBehaviorSanitizer; then
# every suite and every bundled example (in every output format) through the
# sanitized binary.
sanitize: sanitize-build
	@cd build/sanitize && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)
	@$(SANITIZER_ENV) bash scripts/check-examples.sh build/sanitize/src/constable

sanitize-build: deps
	@cmake --preset sanitize >/dev/null
	@cmake --build --preset sanitize -j $(JOBS)

docs: constable
	@$(CONSTABLE) docs --output docs/checks

docs-check: constable
	@$(CONSTABLE) docs --output docs/checks --check

bench: build
	@$(BUILD_DIR)/bench/constable_bench

# constable beside ripgrep reading the same trees (docs/benchmarks.md): pass
# the repositories, fetched outside the project, as REPOS="dir ...".
FLOOR_CONSTITUTION ?= ../shared/reference-constitution.md
floor-bench: constable
	@bash bench/floor/run.sh $(CONSTABLE) $(FLOOR_CONSTITUTION) $(REPOS)

# The content cache (check --cache): a first run, a second on the unchanged
# repository and one after a file changed, each report compared with an
# uncached run's (docs/benchmarks.md). REPOS as for floor-bench.
cache-bench: constable
	@bash bench/cache/run.sh $(CONSTABLE) $(FLOOR_CONSTITUTION) $(REPOS)

# A generated fleet audited three times with changes between runs, then
# reported (docs/benchmarks.md): AUDIT_FLEET="200 2000" repositories, into
# AUDIT_STORE: sqlite, postgresql (a server the script starts) or a URL.
AUDIT_FLEET ?= 200 2000
AUDIT_STORE ?= sqlite
audit-bench: constable
	@for n in $(AUDIT_FLEET); do bash bench/audit/run.sh $(CONSTABLE) $(FLOOR_CONSTITUTION) $$n $(AUDIT_STORE) || exit 1; done

# The fixed start-up cost: `check` on a one-file git repository and
# `--version`, RUNS runs per round, ROUNDS rounds (docs/benchmarks.md). More
# binaries to compare: STARTUP_BINARIES="build/release/src/constable /tmp/old".
STARTUP_BINARIES ?= $(CONSTABLE)
startup-bench: constable
	@bash bench/startup/run.sh $(FLOOR_CONSTITUTION) $(STARTUP_BINARIES)

# The admission webhook at a fixed rate over TLS (h2load): latency percentiles
# and peak RSS (docs/benchmarks.md). SERVE_RATE requests/s for SERVE_SECONDS.
SERVE_RATE ?= 1000
SERVE_SECONDS ?= 30
serve-bench: constable
	@bash bench/serve/run.sh $(CONSTABLE) $(SERVE_RATE) $(SERVE_SECONDS)

# 1,000 recorded reviews over TLS against the release binary (the suites run
# the same script against the sanitized one).
serve-e2e: constable
	@bash scripts/serve-e2e.sh $(CONSTABLE) 1000

clean:
	rm -rf build

# libFuzzer harnesses (fuzz/), part of the sanitized build in build/sanitize;
# FUZZ_JOBS of them at a time (default: one per core).
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_CPU_SECONDS ?= 1800
.PHONY: fuzz-build fuzz fuzz-smoke fuzz-campaign

fuzz-build: deps
	@cmake --preset sanitize >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

# Every harness for FUZZ_SECONDS each; the corpus grows in build/sanitize/corpus.
fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_SECONDS)

# Every committed regression input, then every harness for FUZZ_SMOKE_SECONDS
# from the seeds alone; fails on any crash, leak or timeout.
fuzz-smoke: fuzz-build
	@bash fuzz/run.sh --smoke $(FUZZ_SMOKE_SECONDS)

# The recorded campaign (docs/reliability.md): every harness (or FUZZ_HARNESSES)
# for FUZZ_CPU_SECONDS of its own CPU time, two at a time at the lowest
# priority; interrupted, it resumes where it stopped. Results in build/campaign/.
FUZZ_HARNESSES ?=
fuzz-campaign: fuzz-build
	@bash fuzz/campaign.sh --cpu-seconds $(FUZZ_CPU_SECONDS) $(FUZZ_HARNESSES)
