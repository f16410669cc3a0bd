"""Models of the verifikasi app."""
