"""Models of the growth domain."""
