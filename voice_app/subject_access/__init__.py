"""Subject access: a person's request for their record, its authorisation and its export."""
