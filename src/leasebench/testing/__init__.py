"""Test support: a scriptable OpenAI-compatible server on the loopback interface."""
