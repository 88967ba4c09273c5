"""Validation of artifacts: rule-file shape, PromQL, Go templates, regexes."""
