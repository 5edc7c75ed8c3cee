"""Shared test support: fakes, transports, rigs and settings (fixtures stay in conftest.py)."""
