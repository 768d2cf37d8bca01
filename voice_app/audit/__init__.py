"""The append-only, hash-chained access and change log."""
