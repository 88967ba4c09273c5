"""Converters from other SLO formats (Sloth, OpenSLO) into our spec.

An importer returns spec data; it never writes files. Anything the source has
that our spec cannot express is a located error naming the field, never
silently dropped, so a migration either reproduces the source or says why not.
"""
