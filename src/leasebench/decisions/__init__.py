"""Decision sections of a run's report: proxy-metric audit, whether the next synthetic
round is worth it, per-field attribution, break-even volume, judge agreement and
ablation, and the CI gate. Each is a pure function of what the run already has."""
