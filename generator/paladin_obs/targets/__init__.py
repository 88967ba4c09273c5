"""Targets: each turns a resolved Model into artifacts (data), never touching files."""
