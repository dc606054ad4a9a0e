# One venv, one install stamp; every target that needs the tool depends on it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
IN     ?= corpus/raw
OUT    ?= corpus/clean
PORT   ?= 8080

.PHONY: clean annotate test screenshots lint eval bench install distclean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null \
		|| { echo "need Python 3.11 (found: $(PYTHON)); run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[server,dev]'
	@touch $(STAMP)

install: $(STAMP)

## make clean: repair the raw articles in corpus/raw into corpus/clean
clean: $(STAMP)
	$(BIN)/corpus clean $(IN) --out $(OUT)

## make annotate: clean if needed, start Label Studio, push the corpus, print the URL
annotate: $(STAMP)
	@test -f $(OUT)/documents.jsonl || $(BIN)/corpus clean $(IN) --out $(OUT)
	$(BIN)/corpus serve --port $(PORT)
	$(BIN)/corpus push $(OUT)

## make test: every test; installs Debian's chromium and postgresql first if missing (as root)
test: $(STAMP)
	scripts/install-system-deps
	$(BIN)/python -m pytest

## make screenshots: retake the README's screenshots of the labelling page (docs/)
screenshots: $(STAMP)
	scripts/install-system-deps
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

lint: $(STAMP)
	$(BIN)/ruff check .

## make eval: score the cleaner on both dev benchmarks against their anchors
eval: $(STAMP)
	$(BIN)/python bench/evaluate.py

## make bench: throughput and memory of the cleaner against ftfy alone
bench: $(STAMP)
	$(BIN)/python bench/speed.py

distclean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache bench/out bench/big
	find . -name __pycache__ -prune -exec rm -rf {} +
