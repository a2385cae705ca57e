# textseq: `make run` executes every notebook on the embedded data; `make test` checks everything.
# Both create .venv with the first supported Python found (3.11, 3.12 or 3.13) and install the
# pinned dependencies on first use. Choose one with `make PYTHON=python3.12` (and a second
# environment beside the first with `VENV=.venv-3.12`).
SUPPORTED_PYTHONS := 3.11 3.12 3.13
comma := ,
SUPPORTED_LIST := $(subst $() ,$(comma) ,$(SUPPORTED_PYTHONS))
IS_SUPPORTED := -c 'import sys; sys.exit(sys.version_info[:2] not in [(3, 11), (3, 12), (3, 13)])'
# The first of python3.11, python3.12, python3.13, python3 that runs and is supported. Each is
# run, not only looked up: a pyenv shim exists for versions that it cannot start.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in $(addprefix python,$(SUPPORTED_PYTHONS)) python3; do \
	"$$p" $(IS_SUPPORTED) >/dev/null 2>&1 && { command -v "$$p"; break; }; done)
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.textseq-installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# The Colab-like check (tests/colab/check.py) runs the two quickest notebooks from the installed
# wheel.
COLAB_NOTEBOOKS := notebooks/6.1.1-one-hot-encoding.ipynb notebooks/6.2-understanding-rnns.ipynb
# A Python 3.12 for the Colab-like environment (found by the check itself when empty).
COLAB_PYTHON ?=
# Keep TensorFlow's C++ log lines out of notebook outputs and test logs.
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
# No MPLBACKEND here: notebook kernels must keep Matplotlib's inline backend, or plt.show() draws
# nothing on the page. `run` and `nbval` also drop one inherited from the caller's shell.
KERNEL_ENV := env -u MPLBACKEND

.PHONY: install data execute run run-real test lint unit slow doctest nbval dist colab colab-all bench \
	clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-oracle.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "No supported Python found: textseq needs Python $(SUPPORTED_LIST) (looked for $(addprefix python,$(SUPPORTED_PYTHONS)) and python3 on PATH; or name one: make PYTHON=/path/to/python3.12)" >&2; exit 1; }
	@$(PYTHON) $(IS_SUPPORTED) 2>/dev/null || { echo "$(PYTHON) is not a supported Python (found: $$($(PYTHON) -V 2>&1 | head -1)); textseq needs Python $(SUPPORTED_LIST)" >&2; exit 1; }
	@# A $(VENV) made with another Python version is made anew.
	@if test -x $(BIN)/python && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
		echo "$(VENV) holds another Python version: making it anew with $(PYTHON)"; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-oracle.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The embedded corpus and GloVe vectors (generated once into data/embedded, seconds to a minute).
data: install
	$(BIN)/python -m textseq.datasets --stats --own-glove

# Execute NOTEBOOKS in order, in place (after make install; one of them: make execute
# NOTEBOOKS=notebooks/6.2-understanding-rnns.ipynb), in their own folder, without per-cell timing
# metadata. The kernels talk over local sockets in a temporary folder, not TCP (ipykernel warns
# that TCP is unencrypted), and the sockets leave no files.
execute:
	@sockets=$$(mktemp -d); trap 'rm -rf "$$sockets"' EXIT; for nb in $(NOTEBOOKS); do \
		echo "== $$nb"; $(KERNEL_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False \
		--KernelManager.transport=ipc --KernelManager.ip="$$sockets/kernel" "$$nb" || exit 1; done

# Execute every notebook in reading order, in place, then write figures/ and results/results.md.
run: data
	@$(MAKE) --no-print-directory execute
	$(BIN)/python -m textseq.results

# The same on the real aclImdb and glove.6B (downloads about 950 MB once into data/).
run-real: install
	@TEXTSEQ_DATA=real $(MAKE) --no-print-directory execute
	TEXTSEQ_DATA=real $(BIN)/python -m textseq.results

lint: install
	$(BIN)/ruff check src tests benchmarks tools notebooks conftest.py

# The unit tests; `slow` runs the system tests (kills, concurrent first runs, cross-process
# determinism, the wheel, notebooks executed in a subprocess).
unit: install
	$(BIN)/pytest -q -m "not slow" tests

slow: install
	$(BIN)/pytest -q -m slow tests

# The examples in every module's docstrings (files they write go to a per-docstring `tmp`).
doctest: install
	$(BIN)/pytest -q -p no:cacheprovider --doctest-modules src/textseq

# nbval over every notebook, in two streams at once, one per core (a notebook's kernel trains small
# models that keep about one core busy; a third stream only made the three wait for each other).
# The streams are balanced by the notebooks' times on two idle cores (README): 6.2.2 and 6.1.3
# (about 5.5 min) beside the other five (about 5.3 min). Each stream prints its own report, the
# background one's last, and either failing fails the target.
NBVAL := $(KERNEL_ENV) $(BIN)/pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env \
	--nbval-cell-timeout=600 --nbval-sanitize-with notebooks/nbval_sanitize.cfg
NBVAL_BESIDE := notebooks/6.2.2-lstm-gru-imdb.ipynb notebooks/6.1.3-raw-imdb-to-glove.ipynb
nbval: data
	@log=$$(mktemp); $(NBVAL) $(NBVAL_BESIDE) > $$log 2>&1 & job=$$!; \
	$(NBVAL) $(filter-out $(NBVAL_BESIDE),$(NOTEBOOKS)); status=$$?; \
	wait $$job || status=1; echo "== nbval $(NBVAL_BESIDE)"; cat $$log; rm -f $$log; \
	exit $$status

# The sdist and the wheel that the notebooks' Colab cell installs, and their metadata checked.
dist: install
	rm -rf dist
	$(BIN)/python -m build --quiet --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# Colab-like: a cached Python 3.12 environment with the full tensorflow 2.20 wheel and ipykernel
# (tests/colab/stack.txt), the wheel installed over it as the setup cell does, TensorFlow, Keras
# and numpy left as they were, and COLAB_NOTEBOOKS executed from the installed package.
colab: dist
	$(BIN)/python tests/colab/check.py $(if $(COLAB_PYTHON),--python $(COLAB_PYTHON)) \
		--wheel dist/textseq-*-py3-none-any.whl $(COLAB_NOTEBOOKS)

# Every notebook on the Colab-like stack (about 15 minutes on two cores; not part of `make test`):
# the executed copies go to colab-outputs/, and any checked cell that prints something else than
# the committed notebook, any error and any native log line fails the target.
colab-all: dist
	$(BIN)/python tests/colab/check.py $(if $(COLAB_PYTHON),--python $(COLAB_PYTHON)) \
		--wheel dist/textseq-*-py3-none-any.whl --outputs colab-outputs $(NOTEBOOKS)

# `make test`: ruff; then the unit and system tests (one core) beside the Colab-like check, the
# doctests and the data (the other core; their logs are printed after the tests'); then nbval's two
# streams. Any part failing fails the target.
test: lint
	@log=$$(mktemp); $(MAKE) --no-print-directory colab doctest data > $$log 2>&1 & side=$$!; \
	$(MAKE) --no-print-directory unit slow; status=$$?; \
	wait $$side || status=1; echo "== make colab doctest data"; cat $$log; rm -f $$log; \
	exit $$status
	$(MAKE) --no-print-directory nbval

# Every benchmark runs (each prints its ratios against the peer it names); exit 1 if any missed.
BENCHMARKS := tokenizer imdb glove rnn
bench: install
	@status=0; for b in $(BENCHMARKS); do \
		echo "== benchmarks/bench_$$b.py"; $(BIN)/python benchmarks/bench_$$b.py || status=1; \
	done; exit $$status

clean:
	rm -rf figures results .pytest_cache data/embedded dist build colab-outputs
