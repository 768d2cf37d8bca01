"""You said, we did: every contribution a child makes is answered, by a working-day deadline."""
