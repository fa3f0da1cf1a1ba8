"""One reader per document format (``registry.FORMATS``), each returning the same ReadText."""
