"""Interpreting services: requests and queues, translations, report deadlines."""
