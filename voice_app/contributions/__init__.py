"""What children and families give: words, recordings, drawings, feelings and scales."""
