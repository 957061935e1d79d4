"""Offline synthetic-data generators."""
