"""The child's own space: reached by invitation or handover, and nothing else is reachable."""
