"""Models of the layanan app."""
