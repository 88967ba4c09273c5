"""Allow ``python -m paladin_obs`` where the console script is not on PATH."""

from paladin_obs.cli import run

run()
