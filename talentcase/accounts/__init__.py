"""Accounts: companies (the tenants), users, sign-in and API tokens."""
