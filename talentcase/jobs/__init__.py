"""Background work: job rows that mirror RQ jobs, and the transactional outbox that feeds RQ."""
