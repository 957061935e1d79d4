"""The ``leasebench`` command line: one module per command."""
