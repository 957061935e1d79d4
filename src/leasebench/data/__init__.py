"""User data: the record reader (JSONL, CSV, Parquet with a column mapping), the data
card (``leasebench data check``) and near-duplicate detection."""
