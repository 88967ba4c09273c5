"""Input limits shared by the loader and the commands that read a spec before it.

Kept apart from ``loader`` and the YAML modules so that reading a limit does
not import PyYAML: the build cache checks a spec's size on the fast path of
every run, and the fast rule-file reader counts nodes without it. Why each
limit is what it is: ``loader``'s docstring.
"""

from __future__ import annotations

#: The largest spec or rule file read (16 MiB): larger is refused, never read whole.
MAX_FILE_BYTES = 16 * 1024 * 1024

#: Deepest nesting of collections, counting those that aliases and merges add.
MAX_DEPTH = 100
#: Most nodes in a document, composed or expanded through aliases.
MAX_NODES = 1_000_000
#: Most problems reported for one document (duplicate keys...); the rest are counted.
MAX_ERRORS = 1000
