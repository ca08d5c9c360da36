"""Home pages per role and the health checks."""
