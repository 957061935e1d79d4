"""Built-in judges."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl
from ..judging.basic import GroundingJudge, SchemaJudge
from ..judging.dedup import DedupJudge
from ..judging.near_dup import NearDupJudge


@hookimpl(trylast=True)
def register_judges(register: Register) -> None:
    register(SchemaJudge)
    register(GroundingJudge)
    register(DedupJudge)
    register(NearDupJudge)
