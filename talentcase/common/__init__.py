"""Helpers shared by the domain packages."""
