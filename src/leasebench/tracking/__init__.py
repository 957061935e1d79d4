"""MLflow tracking of a run: a parent run per ``leasebench run``, a nested run per round and
per sweep trial (``log``), what they are named and carry (``content``), and the trained
rounds' models in the model registry (``registry``). Nothing here imports the runner."""

from __future__ import annotations

from .log import default_tracking_uri, experiment_url, flatten, log_run, open_hint

__all__ = ["default_tracking_uri", "experiment_url", "flatten", "log_run", "open_hint"]
