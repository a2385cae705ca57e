"""What the notebooks use besides the chapter's code: the setup cell's summary, seeding and the
quiet epoch report, native log lines kept off the page, and prose written from the run."""

from textseq.notebook.setup import setup_summary

__all__ = ["setup_summary"]
