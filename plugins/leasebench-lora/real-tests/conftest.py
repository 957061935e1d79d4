"""The real-model tests run one at a time (each holds a 135M model, about 2 GB)."""
