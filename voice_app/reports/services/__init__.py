"""Report services: drafting, the child's words, sharing, the family's answers, sign-off."""
