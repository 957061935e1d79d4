"""Stage ``data-card``: the data card of the split records, cached by their content.

The card (``data_card.json`` + ``data_card.md``) is copied into every run directory; the
terminal gets its counts and shares per split and its warnings, never a gold value (the
files list values not found verbatim, unless ``data_card.gold_values`` is false).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..data.card import DataCard, build_card
from ..data.card_render import render_card
from ..io import atomic_write_text
from ..records import Record
from . import stages
from .env import RunEnv
from .store import Stage

CARD_FILES = ("data_card.json", "data_card.md")
#: Bump when the card's content changes for the same records.
CARD_VERSION = "2"


def card_stage(env: RunEnv, split_hash: str) -> Stage:
    """The ``data-card`` stage directory of the split ``split_hash`` (not written here)."""
    return env.stage(stages.DATA_CARD, stages.card_key(
        split_hash, env.schema.document, CARD_VERSION,
        env.loaded.manifest.data_card.gold_values))


def data_card_stage(env: RunEnv, split_hash: str, train: Sequence[Record],
                    holdout: Sequence[Record]) -> Stage:
    """The cached ``data-card`` stage of the split ``split_hash``."""
    gold_values = env.loaded.manifest.data_card.gold_values
    stage = card_stage(env, split_hash)
    cached = stage.complete
    if not cached:
        card = build_card([("train", train), ("holdout", holdout)], env.schema)
        if not gold_values:
            card.examples = []
        name = env.loaded.manifest.name
        atomic_write_text(stage.path / CARD_FILES[0], card.model_dump_json(indent=2) + "\n")
        atomic_write_text(stage.path / CARD_FILES[1], render_card(card, f"Data card: {name}"))
        stage.finish(CARD_FILES)
    env.record(stage, cached=cached)
    return stage


def publish_card(env: RunEnv, stage: Stage, run_dir: Path) -> DataCard:
    """Copy the card into ``run_dir`` and print its warnings (even when quiet)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in CARD_FILES:  # written afresh and renamed: a link planted there is replaced
        atomic_write_text(run_dir / name, (stage.path / name).read_text("utf-8"))
    card = DataCard.model_validate_json((stage.path / CARD_FILES[0]).read_text("utf-8"))
    for line in card_summary(card):
        env.log.info(f"  data: {line}", soft_wrap=True)
    for warning in card.warnings:
        env.log.warn(f"  data: {warning}")
    return card


def card_summary(card: DataCard) -> list[str]:
    """Per split: documents, gold values and where they occur (counts and shares only)."""
    out = []
    for s in card.splits:
        g = s.gold
        out.append(f"{s.name}: {s.documents} documents, {g.values} gold values "
                   f"({g.share('verbatim'):.1%} verbatim, {g.share('normalized'):.1%} "
                   f"normalised, {g.share('not_found'):.1%} not in the text)")
    return out


__all__ = ["CARD_FILES", "card_stage", "card_summary", "data_card_stage", "publish_card"]
