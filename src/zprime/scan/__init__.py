"""zprime.scan: chunked, resumable parameter scans (plan, chunk store, workers)."""
