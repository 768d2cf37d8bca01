"""The chronology: writing numbered, never-changed entries and corrections, and reading them."""
