"""Questions in, cited answers out, over HTTP: retrieval, answer composition, routes, page."""
