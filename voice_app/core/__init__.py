"""Pieces every area shares: the database base, permissions, security, errors, the queue."""
