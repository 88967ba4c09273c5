"""Input limits shared by the loader and the commands that read a spec before it.

Kept apart from ``loader`` so that reading the limit does not import YAML:
the build cache checks a spec's size on the fast path of every run.
"""

from __future__ import annotations

#: The largest spec or rule file read (16 MiB): larger is refused, never read whole.
MAX_FILE_BYTES = 16 * 1024 * 1024
