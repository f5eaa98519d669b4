"""helpgen: a searchable static help centre from Markdown, and honest reports on what it does not answer."""

__version__ = "0.1.0"
