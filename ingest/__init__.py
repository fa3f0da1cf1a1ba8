"""Files in, one Build out: load -> clean -> split -> link -> triples, orchestrated by pipeline."""
