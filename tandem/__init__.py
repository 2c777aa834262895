"""Tandem: open-source career mentorship."""
