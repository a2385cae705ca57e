"""The embedded corpus: aclImdb layout, determinism, IMDB-like statistics, safe writes."""

import hashlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from textseq.corpus import corpus_stats, ensure_corpus, generate_corpus, lexicon
from textseq.corpus import generate as corpus

NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


def digest(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("c") / "aclImdb", seed=3, n_train=200,
                           n_test=100, n_unsup=30)


def test_layout_names_and_ratings(small):
    assert (small / "README").read_text().startswith("Generated movie reviews")
    for split, label, n, ratings in [("train", "pos", 100, range(7, 11)),
                                     ("train", "neg", 100, range(1, 5)),
                                     ("test", "pos", 50, range(7, 11)),
                                     ("test", "neg", 50, range(1, 5)),
                                     ("train", "unsup", 30, [0])]:
        files = list((small / split / label).iterdir())
        assert len(files) == n
        ids = set()
        for f in files:
            m = NAME.match(f.name)
            assert m, f.name
            assert int(m.group(2)) in ratings, f.name
            ids.add(int(m.group(1)))
        assert ids == set(range(n))
    assert not (small / "test" / "unsup").exists()


def test_vocab_file_lists_every_word_most_frequent_first(small):
    vocab = (small / "imdb.vocab").read_text(encoding="utf-8").split()
    assert len(vocab) == len(set(vocab)) > 1000
    assert vocab[0] == "the"
    words = set()
    for f in (small / "train" / "pos").iterdir():
        words.update(re.findall(r"[a-z0-9']+", f.read_text().replace("<br /><br />", " ").lower()))
    assert words <= set(vocab)


def test_reviews_have_casing_breaks_negation_and_contrast(small):
    texts = [f.read_text(encoding="utf-8") for f in (small / "train" / "neg").iterdir()]
    joined = " ".join(texts)
    assert "<br /><br />" in joined
    assert re.search(r"\bwas (not|never|hardly) \w+", joined)
    assert ", but the " in joined
    assert all(t[0].isupper() for t in texts)
    assert sum(t.count("!") for t in texts) > 0


def test_same_seed_same_bytes_other_seed_other_text(tmp_path, small):
    again = generate_corpus(tmp_path / "a" / "aclImdb", seed=3, n_train=200, n_test=100,
                            n_unsup=30)
    assert digest(again) == digest(small)
    other = generate_corpus(tmp_path / "b" / "aclImdb", seed=4, n_train=200, n_test=100,
                            n_unsup=30)
    assert digest(other) != digest(small)


def test_statistics_look_like_imdb(tmp_path):
    root = generate_corpus(tmp_path / "aclImdb", n_train=3000, n_test=1000, n_unsup=0)
    stats = corpus_stats(root)
    assert stats["labelled_reviews"] == 4000
    assert stats["positive_share"] == 0.5
    assert 150 <= stats["median_words"] <= 250
    assert stats["share_over_500_words"] >= 0.10
    assert stats["distinct_words"] >= 15000  # the full corpus has over 40,000
    assert -2.5 < stats["zipf_slope"] < -0.8
    assert stats["glove_coverage_top_9999"] >= 0.99


def _link_out(root):
    (root.parent / "outside.txt").write_text("not a review")
    (root / "train" / "neg" / "20_1.txt").symlink_to(root.parent / "outside.txt")


@pytest.mark.parametrize("damage, message", [  # issue 19: read without read_split's checks
    (lambda r: (r / "train" / "pos" / "notes.md").write_text("x"),
     r"pos[/\\]notes.md: expected a file name <id>_<rating>.txt"),
    (lambda r: (r / "train" / "pos" / "3_9.txt").write_bytes("A film".encode("utf-16-le")),
     r"3_9.txt: holds a NUL byte at offset 1"),
    (_link_out, r"20_1.txt: is a symbolic link \(to .*outside.txt\)"),
    (lambda r: (r / "test" / "pos" / "6_8.txt").write_bytes(b"caf\xe9"),
     r"6_8.txt: expected UTF-8 text, found byte 0xe9 at offset 3"),
    (lambda r: [f.unlink() for f in r.glob("*/*/*")],  # was ZeroDivisionError
     r"train[/\\]neg: empty; expected review files"),
])
def test_statistics_read_the_tree_as_read_split_does(tiny_aclimdb, damage, message):
    from textseq.imdb import DataError

    damage(tiny_aclimdb)
    with pytest.raises(DataError, match=message):
        corpus_stats(tiny_aclimdb)


def test_every_word_is_a_glove_word(small):
    from textseq.glove.packaged import packaged_words

    known = set(packaged_words())
    vocab = (small / "imdb.vocab").read_text(encoding="utf-8").split()
    missing = [w for w in vocab if w not in known]
    # "br" of the <br /> breaks is the only token the tokenizer makes that glove.6B could lack;
    # numbers such as 1987 or 7/10's "7" are glove.6B words.
    assert missing == [], missing[:20]


def test_reviews_name_people_places_and_films_from_the_pools(small):
    from textseq.corpus.wordpools import word_pools

    pools = word_pools()
    words = set((small / "imdb.vocab").read_text(encoding="utf-8").split())
    for name in ("first", "surname", "place", "thing", "title"):
        assert len(words & set(pools[name])) >= 20, name


@pytest.mark.parametrize("kwargs, message", [
    ({"n_train": 3}, "n_train must be an even number >= 2, got 3"),
    ({"n_test": 0}, "n_test must be an even number >= 2, got 0"),
    ({"n_unsup": -1}, "n_unsup must be an integer >= 0, got -1"),
])
def test_bad_sizes(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        generate_corpus(tmp_path / "aclImdb", **kwargs)


def test_existing_folder_is_never_overwritten(tmp_path, small):
    with pytest.raises(FileExistsError, match="already exists"):
        generate_corpus(small)


def test_failure_leaves_nothing_behind(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(corpus, "_write_split", boom)
    with pytest.raises(OSError, match="disk full"):
        generate_corpus(tmp_path / "aclImdb", n_train=2, n_test=2, n_unsup=0)
    assert list(tmp_path.iterdir()) == []


def test_ensure_corpus_reuses_regenerates_and_refuses_foreign(tmp_path):
    dest = tmp_path / "aclImdb"
    sizes = {"n_train": 4, "n_test": 2, "n_unsup": 0}
    ensure_corpus(dest, **sizes)
    marker = dest / "marker"
    marker.write_text("x")
    ensure_corpus(dest, **sizes)
    assert marker.exists()  # same parameters: reused as is
    ensure_corpus(dest, **{**sizes, "n_train": 6})
    assert not marker.exists()
    assert len(list((dest / "train" / "pos").iterdir())) == 3
    foreign = tmp_path / "real" / "aclImdb"
    foreign.mkdir(parents=True)
    (dest / ".textseq-corpus.json").unlink()  # lost its manifest (issue 19 re-run: no advice)
    for folder in (foreign, dest):
        with pytest.raises(ValueError, match=rf"{folder} exists but was not written by "
                           r"textseq\.corpus \(no \.textseq-corpus\.json\); refusing to "
                           r"replace it \(a generated corpus that lost its manifest\? remove "
                           rf"{folder} to generate it again\)"):
            ensure_corpus(folder, **sizes)


SIZES = {"n_train": 4, "n_test": 2, "n_unsup": 0}


@pytest.mark.parametrize("content, problem", [
    (b'{"generator_version": 6, "seed": 0, "n_tra', "corrupt corpus manifest (Unterminated"),
    (b"\xff\xfe{}", "corrupt corpus manifest ('utf-8' codec can't decode"),
    (b"[6, 0]", "corrupt corpus manifest (got [6, 0])"),
    (b'{"seed": 0}', "corrupt corpus manifest (got {'seed': 0})"),
    (b'{"generator_version": "6"}', "corrupt corpus manifest (got {'generator_version': '6'})"),
    (b'{"generator_version": 6, "seed": 0, "n_train": 4, "n_test": 2}',
     "corrupt corpus manifest (wrong or missing fields: n_unsup;"),
    (b'{"generator_version": 6, "seed": 0, "n_train": 4.0, "n_test": 2, "n_unsup": 0}',
     "corrupt corpus manifest (wrong or missing fields: n_train;"),
    (b'{"generator_version": 6, "seed": 0, "n_train": 4, "n_test": 2, "n_unsup": 0, "x": 1}',
     "corrupt corpus manifest (wrong or missing fields: x;"),
])
def test_corrupt_manifest_is_one_error_naming_the_file(tmp_path, content, problem):
    """Issue 11, fault 12: a bare JSONDecodeError (or KeyError ...) that named no file."""
    dest = ensure_corpus(tmp_path / "aclImdb", **SIZES)
    manifest = dest / corpus.MANIFEST
    manifest.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        ensure_corpus(dest, **SIZES)
    message = str(caught.value)
    assert message.startswith(f"{manifest}: {problem}")
    assert ("expected the JSON object generate_corpus writes, with the integer fields "
            "generator_version, seed, n_train, n_test, n_unsup; remove " + str(dest)) in message
    assert manifest.read_bytes() == content  # nothing was touched


def test_manifest_of_another_generator_version_is_regenerated(tmp_path):
    dest = ensure_corpus(tmp_path / "aclImdb", **SIZES)
    (dest / corpus.MANIFEST).write_text('{"generator_version": 1, "size": 3}')
    assert ensure_corpus(dest, **SIZES) == dest
    assert corpus.read_manifest(dest) == {"generator_version": corpus.GENERATOR_VERSION,
                                          "seed": 0, **SIZES}


@pytest.mark.parametrize("damage, folder, found, promised", [
    (lambda d: next((d / "train" / "pos").iterdir()).unlink(), "train/pos", 1, 2),
    (lambda d: (d / "test" / "neg" / "9_1.txt").write_text("x"), "test/neg", 2, 1),
    (lambda d: [f.unlink() for f in (d / "train" / "unsup").iterdir()], "train/unsup", 0, 2),
])
def test_a_damaged_corpus_is_an_error_not_used(tmp_path, damage, folder, found, promised):
    """Issue 19: a review deleted from the corpus left 12,499 under a manifest of 12,500."""
    dest = ensure_corpus(tmp_path / "aclImdb", **{**SIZES, "n_unsup": 2})
    damage(dest)
    with pytest.raises(ValueError) as caught:
        ensure_corpus(dest, **{**SIZES, "n_unsup": 2})
    assert str(caught.value) == (
        f"{dest / folder}: {found} files, but the corpus manifest {dest / corpus.MANIFEST} "
        f"promises {promised}; the generated corpus is damaged: remove {dest}, and the next "
        "run generates it again")


def test_regeneration_moves_the_old_corpus_aside_first(tmp_path, monkeypatch):
    """A run killed while deleting an outdated corpus must not leave a tree without manifest
    (which the next run would refuse as "not written by textseq.corpus")."""
    dest = ensure_corpus(tmp_path / "aclImdb", **SIZES)

    def killed(path, *args, **kwargs):
        (Path(path) / corpus.MANIFEST).unlink()  # rmtree got that far ...
        raise KeyboardInterrupt  # ... when the run was stopped

    monkeypatch.setattr(corpus.shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        ensure_corpus(dest, **{**SIZES, "n_train": 6})
    monkeypatch.undo()
    assert not dest.exists()  # moved aside: nothing there to mistake for a corpus
    assert ensure_corpus(dest, **{**SIZES, "n_train": 6}) == dest
    assert len(list((dest / "train" / "pos").iterdir())) == 3


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path):
    dest = ensure_corpus(tmp_path / "aclImdb", **SIZES)
    code = ("import sys; from textseq._files import temp_path; tmp = temp_path(sys.argv[1]); "
            "(tmp / 'train').mkdir(parents=True); print(tmp)")
    dead = subprocess.run([sys.executable, "-c", code, str(dest)], capture_output=True,
                          text=True, check=True)  # a writer that died mid-generation
    assert Path(dead.stdout.strip()).parent == tmp_path
    assert ensure_corpus(dest, **SIZES) == dest  # nothing to write, but it tidies up
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aclImdb"]


def test_corpus_is_readable_by_others(tmp_path):
    """Issue 11, fault 16: the tree was mode 0700 (tempfile.mkdtemp)."""
    umask = os.umask(0o022)
    try:
        root = generate_corpus(tmp_path / "aclImdb", **SIZES)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(root.stat().st_mode) == 0o755
    assert stat.S_IMODE((root / "README").stat().st_mode) == 0o644


def test_an_unknown_size_is_a_type_error(tmp_path):  # the other checks: tests/test_checks.py
    message = "unknown sizes ['n_tests']; allowed: n_train, n_test, n_unsup"
    with pytest.raises(TypeError, match=re.escape(message)):
        ensure_corpus(tmp_path / "aclImdb", **{**SIZES, "n_tests": 2})
    assert not (tmp_path / "aclImdb").exists()


# --- the memory test's probe reviews ------------------------------------------------------------
def _opinion_sentences(text: str) -> list[int]:
    """The positions of the sentences holding an opinion adjective."""
    opinion = set(lexicon.POSITIVE_ADJ) | set(lexicon.NEGATIVE_ADJ)
    sentences = text.rstrip(".").split(". ")
    return [i for i, s in enumerate(sentences) if opinion & set(s.lower().replace(",", "").split())]


def test_probe_reviews_hold_one_opinion_sentence_in_the_place_named():
    texts, labels = corpus.probe_reviews(40, words=120, seed=3)
    assert labels == [i % 2 for i in range(40)]
    for i in range(40):
        start, middle, end = (texts[p][i] for p in ("start", "middle", "end"))
        assert sorted(start.split()) == sorted(middle.split()) == sorted(end.split())
        n = start.count(". ") + 1
        assert _opinion_sentences(start) == [0]
        assert _opinion_sentences(end) == [n - 1]
        assert _opinion_sentences(middle) == [(n - 1) // 2]
        words = set(start.lower().rstrip(".").replace(".", "").split())
        other = lexicon.NEGATIVE_ADJ if labels[i] else lexicon.POSITIVE_ADJ
        assert not words & set(other), start
        assert 115 <= len(start.split()) <= 160
    assert corpus.probe_reviews(40, words=120, seed=3) == (texts, labels)
    assert corpus.probe_reviews(40, words=120, seed=4) != (texts, labels)


@pytest.mark.parametrize("kwargs, message", [({"n": 0}, "n must be an integer >= 1, got 0"),
                                             ({"words": "many"}, "words must be")])
def test_probe_reviews_refuse_bad_sizes(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        corpus.probe_reviews(**kwargs)


def test_statistics_of_too_few_words_say_so(tmp_path):  # was ZeroDivisionError
    from conftest import write_tree

    one = {(s, label): [(0, 1 if label == "neg" else 9, "a b c")]
           for s in ("train", "test") for label in ("neg", "pos")}
    root = write_tree(tmp_path / "aclImdb", one)
    with pytest.raises(ValueError, match=r"aclImdb: the reviews hold 3 distinct words; .* at "
                                         r"least 11 needed"):
        corpus_stats(root)
