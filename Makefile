# textseq: `make run` executes every notebook on the embedded data; `make test` checks everything.
# Both create .venv (Python 3.11) and install the pinned dependencies on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.textseq-installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# Keep TensorFlow's C++ log lines out of notebook outputs and test logs.
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
# No MPLBACKEND here: notebook kernels must keep Matplotlib's inline backend, or plt.show() draws
# nothing on the page. `run` and `nbval` also drop one inherited from the caller's shell.
KERNEL_ENV := env -u MPLBACKEND

.PHONY: install data run run-real test lint unit doctest nbval bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-oracle.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-oracle.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The embedded corpus and GloVe vectors (generated once into data/embedded, seconds to a minute).
data: install
	$(BIN)/python -m textseq.datasets --stats --own-glove

# Execute every notebook in reading order, in place, then write figures/ and results/results.md.
run: data
	$(KERNEL_ENV) $(BIN)/python -m textseq.execute $(NOTEBOOKS)

# The same on the real aclImdb and glove.6B (downloads about 950 MB once into data/).
run-real: install
	$(KERNEL_ENV) TEXTSEQ_DATA=real $(BIN)/python -m textseq.execute $(NOTEBOOKS)

lint: install
	$(BIN)/ruff check src tests benchmarks notebooks conftest.py

unit: install
	$(BIN)/pytest -q tests

# The examples in every module's docstrings (files they write go to a per-docstring `tmp`).
doctest: install
	$(BIN)/pytest -q -p no:cacheprovider --doctest-modules src/textseq

# nbval over every notebook, in two streams at once. A notebook's kernel trains small models that
# keep well under two cores busy, so the longest notebook runs beside all the others; each stream
# prints its own report (the long one's after the other's), and either failing fails the target.
NBVAL := $(KERNEL_ENV) $(BIN)/pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env \
	--nbval-cell-timeout=600 --nbval-sanitize-with notebooks/nbval_sanitize.cfg
NBVAL_LONG := notebooks/6.2.2-lstm-gru-imdb.ipynb
nbval: data
	@log=$$(mktemp); $(NBVAL) $(NBVAL_LONG) > $$log 2>&1 & long=$$!; \
	$(NBVAL) $(filter-out $(NBVAL_LONG),$(NOTEBOOKS)); rest=$$?; \
	wait $$long; status=$$?; echo "== nbval $(NBVAL_LONG)"; cat $$log; rm -f $$log; \
	test $$rest -eq 0 && test $$status -eq 0

test: lint unit doctest nbval

# Every benchmark runs (each prints its ratios against the peer it names); exit 1 if any missed.
BENCHMARKS := tokenizer imdb glove rnn training
bench: install
	@status=0; for b in $(BENCHMARKS); do \
		echo "== benchmarks/bench_$$b.py"; $(BIN)/python benchmarks/bench_$$b.py || status=1; \
	done; exit $$status

clean:
	rm -rf figures results .pytest_cache data/embedded
