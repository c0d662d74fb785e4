"""whosaid's library: ingest, extract, chunk, embed, store and search news articles."""
