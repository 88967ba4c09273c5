"""Grafana dashboards: schema versions, upgrades of classic dashboard JSON, grafanalib input.

Kept apart from the dashboard target so that hand-written input (grafanalib files,
older JSON) is brought to the same schema as generated dashboards by one path.
"""
