"""Administration: companies, users, SLA policy and the calendar."""
