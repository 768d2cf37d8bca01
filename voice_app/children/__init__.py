"""Children's records, their families, and who is assigned to work with them."""
