"""The confidential section: placing entries and contributions in it, reading it, grants."""
