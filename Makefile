# Copydesk: `make demo` and `make test` are the quick start; both install what they need.
SWIFT ?= swift
RELEASE_BIN = .build/release/copydesk
MODEL = models/sections.cdm
# The newsroom corpus is small: unigrams with min-df 1 cross-validate best on it (see BENCHMARKS.md).
MODEL_OPTIONS = --ngrams 1 --min-df 1

.PHONY: all deps build release test demo model bench fuzz clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

# The release tools link the Swift runtime and Foundation statically: a process starts in 8 ms
# instead of 13 (measured on `summarize` with empty input), which counts for short runs.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Unit tests, then a smoke run of the benchmark code on tiny corpora (debug build, no peers).
test: deps
	$(SWIFT) test
	$(SWIFT) build
	@BENCH_SMOKE=1 BENCH_OUT=$$(mktemp) python3 scripts/bench.py .build/debug/copydesk >/dev/null

## Classify and explain the sample articles with the shipped model.
demo: release
	@scripts/demo.sh $(RELEASE_BIN) $(MODEL)

## Rebuild the shipped model from the embedded newsroom corpus.
model: release
	$(RELEASE_BIN) train --corpus corpora/newsroom --output $(MODEL) $(MODEL_OPTIONS) --quiet
	$(RELEASE_BIN) cross-validate --corpus corpora/newsroom --folds 5 $(MODEL_OPTIONS) --quiet

## Benchmarks against the peers (release build); BENCH_QUICK=1 for a short run.
bench: release
	@python3 scripts/bench.py $(RELEASE_BIN)

## Fuzz the tokenizer, splitter, cleaner, corpus readers and model loader (libFuzzer + ASan).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = tokenizer sentences cleaner jsonl article-json csv model
fuzz: release
	$(SWIFT) build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build Fuzz/.build Fuzz/.work
