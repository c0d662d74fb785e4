"""The PostgreSQL engine (issue 32): the same store as the embedded SQLite one, with pgvector for the vectors and
BM25 kept in SQL, for several processes and machines at once (`WHOSAID_DATABASE_URL=postgresql://…`)."""
