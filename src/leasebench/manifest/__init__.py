"""The experiment manifest: models, loading and validation, reference docs."""

from __future__ import annotations

from .load import LoadedManifest, load_manifest, validate_components
from .models import Manifest

__all__ = ["LoadedManifest", "Manifest", "load_manifest", "validate_components"]
