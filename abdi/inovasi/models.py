"""Models of the inovasi app."""
