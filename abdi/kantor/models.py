"""Models of the kantor app."""
