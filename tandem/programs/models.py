"""Models of the programs domain."""
