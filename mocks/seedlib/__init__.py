"""Helpers for mocks/seed.py (moto scenario seeding for vpcwarden tests)."""
