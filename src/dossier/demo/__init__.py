"""The demo property, built from real public data."""
