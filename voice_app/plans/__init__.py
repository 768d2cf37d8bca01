"""Plans made with the child and family."""
