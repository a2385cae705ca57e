"""The package's public API: every exported name resolves; importing stays light."""

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


@pytest.mark.parametrize("module", ["textseq", "textseq.glove", "textseq.text", "textseq.imdb",
                                    "textseq.rnn", "textseq.corpus", "textseq.notebook",
                                    "textseq.datasets", "textseq.plots"])
def test_light_modules_do_not_import_tensorflow(module):
    code = f"import sys, {module}; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
