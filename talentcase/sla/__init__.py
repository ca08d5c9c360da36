"""Service-level clocks: Hong Kong calendar and the pure clock engine."""
