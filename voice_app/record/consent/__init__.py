"""Attaching a child's contribution to the record, always with a consent decision."""
