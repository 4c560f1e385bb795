# Everything runs from a local virtual environment that the first target creates.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench-extract clean

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

# Our extractor beside trafilatura on the labelled corpus, then the generic profile on the
# 181-page benchmark in ../shared/extraction-benchmark (pass BENCHMARK=DIR to point elsewhere).
bench-extract: $(STAMP)
	$(BIN)/python bench/extract_corpus.py
	$(BIN)/python bench/generic_benchmark.py $(BENCHMARK)

clean:
	rm -rf $(VENV) demo build *.egg-info
