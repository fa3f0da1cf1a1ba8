"""One module per resource of the API: ask and search, SPARQL, Linked Data, the graph diagrams, the page and health."""
