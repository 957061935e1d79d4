"""A CRF sequence tagger over tokens with field BIO tags: trainer and extractor ``crf``."""
