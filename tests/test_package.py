"""The package's public API: every exported name resolves; importing stays light."""

import os
import subprocess
import sys

import pytest

import textseq


@pytest.mark.parametrize("name", textseq.__all__)
def test_every_exported_name_resolves_to_its_module(name):
    value = getattr(textseq, name)
    assert value.__module__.startswith("textseq.")
    assert name in dir(textseq)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Tokeniser'"):
        textseq.Tokeniser  # noqa: B018


# Imported in turn in one fresh interpreter; the notebooks import Keras only when they need it.
LIGHT = ["textseq", "textseq.text", "textseq.imdb", "textseq.corpus", "textseq.glove",
         "textseq.rnn", "textseq.datasets", "textseq.plots", "textseq.results", "textseq.notebook",
         "textseq.notebook.training", "textseq.notebook.report", "textseq.notebook.quiet"]


def test_light_modules_do_not_import_tensorflow():
    code = ("import importlib, sys\n"
            f"for name in {LIGHT!r}:\n"
            "    importlib.import_module(name)\n"
            "    print(name, sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.stdout.splitlines() == [f"{name} []" for name in LIGHT]
