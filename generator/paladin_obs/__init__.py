"""paladin-obs: one declarative spec to validated, deterministic monitoring artifacts."""

__version__ = "0.1.0"
