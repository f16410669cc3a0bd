"""Models of the belajar app."""
