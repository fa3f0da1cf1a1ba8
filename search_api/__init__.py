"""Questions in, cited answers out: ``core`` answers them with no HTTP, ``http`` serves them."""
