"""Offline judges of synthetic samples."""
