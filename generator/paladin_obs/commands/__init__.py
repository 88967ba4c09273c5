"""One module per CLI command; each returns an exit code and never parses arguments."""
