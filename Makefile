# The two commands a newcomer needs: `make demo` and `make test`. Both install
# what is missing first (Debian packages, as root).
SHELL := /bin/bash
BUILD_DIR := build/release
CONSTABLE := $(BUILD_DIR)/src/constable
DEMO := examples/demo-repo
JOBS ?= $(shell nproc)

.PHONY: all deps configure build constable demo test unit-sanitize docs docs-check bench clean

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

# Runs constable on the bundled example; exit code 1 (violations found) is the expected outcome.
demo: constable
	@echo "== constable check $(DEMO)"
	@$(CONSTABLE) check $(DEMO); code=$$?; \
	  echo "== exit code $$code (0 clean, 1 violations, 2 usage error)"; [ $$code -le 1 ]

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory unit-sanitize

# The unit tests again, built with AddressSanitizer and UndefinedBehaviorSanitizer.
unit-sanitize: deps
	@cmake --preset sanitize >/dev/null
	@cmake --build --preset sanitize -j $(JOBS) --target constable_unit_tests
	@cd build/sanitize && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

docs: constable
	@$(CONSTABLE) docs --output docs/checks

docs-check: constable
	@$(CONSTABLE) docs --output docs/checks --check

bench: build
	@$(BUILD_DIR)/bench/constable_bench

clean:
	rm -rf build
