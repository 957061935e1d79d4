"""``leasebench run --limit N``: a smoke run on the first N records of each data file.

The manifest is changed in two places: ``data.limit`` (the load stage reads only the
first N records, and its cache key says so) and the name (``NAME-limitN``), so the smoke
run's stages, run directory and MLflow experiment are its own and nothing of the full
run is reused or overwritten.
"""

from __future__ import annotations

from ..errors import LeasebenchError
from ..manifest.load import LoadedManifest
from ..manifest.models import FileData


def limited(loaded: LoadedManifest, n: int) -> LoadedManifest:
    """``loaded`` reading only the first ``n`` records of each file, named apart."""
    m = loaded.manifest
    if not isinstance(m.data, FileData):
        raise LeasebenchError(
            f"--limit {n}: it is for data read from files (data.train/holdout or "
            "data.source); for the built-in corpus set data.train and data.holdout to "
            "smaller counts")
    if n < 2:
        raise LeasebenchError(f"--limit {n}: give at least 2 (a train and a hold-out record)")
    name = f"{m.name}-limit{n}"
    manifest = m.model_copy(update={"name": name,
                                    "data": m.data.model_copy(update={"limit": n})})
    resolved = {**loaded.resolved, "name": name,
                "data": {**loaded.resolved["data"], "limit": n}}
    return LoadedManifest(loaded.path, manifest, resolved)


__all__ = ["limited"]
