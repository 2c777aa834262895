"""Models of the binder domain."""
