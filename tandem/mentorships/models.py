"""Models of the mentorships domain."""
