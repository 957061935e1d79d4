"""Built-in plugin modules, registered through the same hooks as third-party plugins."""
