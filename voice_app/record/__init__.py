"""The professional record: entries, consent decisions, the confidential section, subject access."""
