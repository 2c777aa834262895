"""Models of the suggestions domain."""
