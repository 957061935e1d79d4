"""The ``rules`` extractor: zero-shot, hand-written cues per field, no training."""
