"""textseq: a reproducible companion to Deep Learning with Python, chapter 6 part 1."""

__version__ = "0.1.0"
