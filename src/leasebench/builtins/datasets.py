"""Built-in datasets."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl


@hookimpl(trylast=True)
def register_datasets(register: Register) -> None:
    from ..corpus.dataset import LeaseDataset

    register(LeaseDataset)
