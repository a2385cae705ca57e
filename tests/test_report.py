"""Prose written by the run (textseq.notebook.report): say, the book's figures, the running time."""

from __future__ import annotations

import re
import types

import pytest

from textseq.notebook import report
from textseq.results import BOOK


def test_say_prints_korean_then_english_outside_a_kernel(capsys):
    report.say(ko="정확도 **0.913**", en="accuracy **0.913**")
    assert capsys.readouterr().out == "정확도 **0.913**\n\naccuracy **0.913**\n"


def test_say_shows_one_markdown_output_in_a_kernel(monkeypatch):
    shown = []
    monkeypatch.setattr(report, "in_jupyter_kernel", lambda: True)
    display = types.SimpleNamespace(Markdown=lambda text: ("md", text),
                                    display=lambda obj: shown.append(obj))
    monkeypatch.setitem(__import__("sys").modules, "IPython.display", display)
    report.say(ko=" 가 ", en=" a\n")
    assert shown == [("md", "가\n\na")]


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"ko": "가", "en": 0.5}, TypeError, "en must be a string of Markdown, got float"),
    ({"ko": None, "en": "a"}, TypeError, "ko must be a string of Markdown, got NoneType"),
    ({"ko": " ", "en": "a"}, ValueError, "ko must be a non-empty string"),
])
def test_say_refuses_what_is_not_text(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        report.say(**kwargs)


def test_book_prints_every_figure_the_table_holds(capsys):
    report.book("6-14 GloVe frozen, 200 samples", "6-7 Embedding + Flatten (maxlen 20)")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("The book (책), Deep Learning with Python")
    assert out[1] == ("  6-14 GloVe frozen, 200 samples: validation accuracy best 0.572, last "
                      "0.541; test accuracy 0.537")
    assert out[2] == ("  6-7 Embedding + Flatten (maxlen 20): validation accuracy best 0.759, "
                      "last 0.755")
    assert report.book_figure("6-27 LSTM", "last") == BOOK["6-27 LSTM"]["last"] == "0.876"


@pytest.mark.parametrize(("call", "message"), [
    (lambda: report.book(), "give at least one model"),
    (lambda: report.book("6-99 Transformer"), "model must be one of"),
    (lambda: report.book_figure("6-27 LSTM", "median"), "which must be 'best', 'last' or 'test'"),
])
def test_book_refuses_unknown_models(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_running_time_counts_from_the_setup_cell(monkeypatch, capsys):
    monkeypatch.setattr(report, "_started", None)
    report.running_time()
    assert "run the setup cell first" in capsys.readouterr().out
    clock = iter([100.0, 100.0 + 125.4])
    monkeypatch.setattr(report.time, "perf_counter", lambda: next(clock))
    report.start_clock()
    report.running_time()
    assert capsys.readouterr().out == ("This notebook ran for 2 min 5 s on this machine "
                                       "(이 노트북의 실행 시간: 2분 5초).\n")
