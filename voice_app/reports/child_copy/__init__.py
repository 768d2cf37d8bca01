"""The child's "Words and Pictures" copy of a report: only what the practitioner marks for
the child, in short lines written for them and their own words and drawings."""
