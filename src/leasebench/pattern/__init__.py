"""A learned context-pattern extractor: trainer ``pattern`` and extractor ``pattern``."""
