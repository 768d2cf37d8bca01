"""The professional record: entries, consent decisions, the confidential section (subject access
lives in ``voice_app.subject_access``)."""
