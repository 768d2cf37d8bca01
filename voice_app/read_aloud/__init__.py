"""Read-aloud for the child's space: every prompt in every language, spoken by a person's
recording, the device's voice, or espeak-ng on the server, in that order."""
