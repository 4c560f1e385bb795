# Everything runs from a local virtual environment that the first target creates.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench bench-extract clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/scraper demo

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/pytest

# The benchmark suite: crawl throughput against plain Scrapy, extraction against trafilatura,
# the archive at 100,000 articles, incremental re-crawls. Prints a table and writes
# bench/RESULTS.md (about ten minutes on two cores).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Our extractor beside trafilatura on the labelled corpus, then the generic profile on the
# 181-page benchmark in ../shared/extraction-benchmark (pass BENCHMARK=DIR to point elsewhere).
bench-extract: $(STAMP)
	$(BIN)/python bench/extract_corpus.py
	$(BIN)/python bench/generic_benchmark.py $(BENCHMARK)

clean:
	rm -rf $(VENV) demo build *.egg-info
