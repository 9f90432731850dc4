"""The Qdrant experiment: ingest and cold start by storage placement, with integrity checks."""
