"""Notifications: mail (through the outbox and the mail queue), in-app notices and SLA alerts."""
