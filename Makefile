# Copydesk: `make demo` and `make test` are the quick start; both install what they need.
SWIFT ?= swift
RELEASE_BIN = .build/release/copydesk
MODEL = models/sections.cdm

.PHONY: all deps build release serve-build serve test test-browser test-replicas test-spark demo model report-check bench fuzz docs clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build --product copydesk

# The release tools link the Swift runtime and Foundation statically: a process starts in 8 ms
# instead of 13 (measured on `summarize` with empty input), which counts for short runs.
# Only the command-line tool and the benchmark probe: the service (below) has a web framework that
# takes minutes to build, which `make demo` should not wait for.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product copydesk
	$(SWIFT) build -c release --static-swift-stdlib --product CopydeskBench

## The service program `copydesk serve` runs (release build, beside copydesk).
serve-build: release
	$(SWIFT) build -c release --static-swift-stdlib --product copydesk-serve

## Serve the shipped model on http://127.0.0.1:8080 (the newsroom page at /).
serve: serve-build
	$(RELEASE_BIN) serve --model $(MODEL)

## Unit tests, then a smoke run of the benchmark code on tiny corpora (debug build, no peers).
test: deps
	$(SWIFT) build
	$(SWIFT) test
	python3 scripts/service-faults.py .build/debug/copydesk-serve
	@scripts/api-check.sh .build/debug/copydesk-serve
	@python3 scripts/replicas.py .build/debug --if-available
	@scripts/test-browser.sh .build/debug --if-available
	@BENCH_SMOKE=1 BENCH_OUT=$$(mktemp) python3 scripts/bench.py .build/debug/copydesk >/dev/null

## The newsroom page in headless Chromium (Debian chromium + chromium-driver, selenium from PyPI):
## screenshots in .build/test-browser/. `make test` runs it when Chromium is installed.
test-browser: deps
	$(SWIFT) build
	@scripts/test-browser.sh .build/debug

## Two service replicas behind nginx (deploy/nginx.conf, Debian nginx): answers, shares, failover.
test-replicas: serve-build
	python3 scripts/replicas.py .build/release --bench

## A JSONL archive annotated on Spark (pyspark from PyPI, Java 17) equals one process's output.
test-spark: release
	@scripts/test-spark.sh $(RELEASE_BIN)

## Classify and explain the sample articles with the shipped model.
demo: release
	@scripts/demo.sh $(RELEASE_BIN) $(MODEL)

## Rebuild the shipped model from corpora/newsroom and ../shared/corpora/huffpost (models/README.md).
model: release
	@scripts/build-model.sh $(RELEASE_BIN) $(MODEL)

## An evaluation report of the shipped model, rendered in headless Chromium and checked (not blank,
## no console errors); the screenshot is .build/report-check/report.png.
report-check: release
	@scripts/report-check.sh $(RELEASE_BIN) $(MODEL)

## The library's API documentation (DocC, swift-docc-plugin): a static site in .build/docs
## (open .build/docs/documentation/copydesk/index.html through a web server). Not part of make test.
docs: deps
	swift package --allow-writing-to-directory .build/docs generate-documentation --target Copydesk \
		--output-path .build/docs --transform-for-static-hosting
	@echo "documentation: .build/docs (start at documentation/copydesk)"

## Benchmarks against the peers (release build); BENCH_QUICK=1 for a short run.
bench: serve-build
	@python3 scripts/bench.py $(RELEASE_BIN)

## Fuzz the tokenizer, splitter, cleaner, corpus readers and model loader (libFuzzer + ASan).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = tokenizer sentences cleaner jsonl article-json page-json csv model html
fuzz: release
	$(SWIFT) build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build Fuzz/.build Fuzz/.work
