"""Interpreting: requests to interpreters, and translations kept beside the originals."""
