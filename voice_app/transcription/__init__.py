"""Speech to text: the Whisper model (through faster-whisper) and its background job."""
