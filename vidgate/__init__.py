"""vidgate: a spec-first video-generation gateway."""

__version__ = "0.1.0"
