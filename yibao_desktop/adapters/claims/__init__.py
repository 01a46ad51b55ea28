"""Settlement-detail files checked where they lie: the file source (kind, encoding, headers) and the DuckDB engine."""
