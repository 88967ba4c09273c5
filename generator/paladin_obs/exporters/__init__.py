"""Converters from our resolved model to other formats (OpenSLO)."""
