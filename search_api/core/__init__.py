"""The search core: a served build's snapshot, retrieval, answer composition, graph facts,
regime notes and evaluation. It reads builds and never writes them, and imports neither FastAPI
nor Starlette, so the CLI, the benchmarks and the HTTP layer all ask questions the same way."""
