"""The knowledge a Build holds, and how to reach it: settings, graph store, vectors, SPARQL, CLI."""
