"""The domain: taking a comment in, deciding it, reviewing and reporting it, and its events."""
