"""Generator ``perturb``: new label values of the same shape, substituted into the source.

Each label value is rewritten character class by character class: digits become other
digits (dates stay valid dates where they parse), capitalised words are swapped for
other capitalised words seen in the train labels of the same field. Every occurrence of
the old value in the source document is replaced, so the new labels are verbatim
substrings of the new document.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, GenerateTask, Generator
from ..records import Origin, Record

DATE_FORMATS = ("%B %d, %Y", "%m/%d/%Y", "%Y-%m-%d", "%d %B %Y")
WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _shift_date(value: str, rng: random.Random) -> str | None:
    """The date moved by up to ~2.5 years, in the same format, or None if not a date."""
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        text = (parsed + timedelta(days=rng.randint(-900, 900))).strftime(fmt)
        if not re.search(r"\b0\d", value):
            text = re.sub(r"\b0(\d)", r"\1", text)
        return text
    return None


def _perturb_digits(value: str, rng: random.Random) -> str:
    return re.sub(r"\d", lambda m: str(rng.randint(1 if m.start() == 0 else 0, 9)), value)


def perturb_value(value: str, vocabulary: Sequence[str], rng: random.Random) -> str:
    """A different value of the same shape as ``value``."""
    shifted = _shift_date(value, rng)
    if shifted is not None:
        return shifted
    out = _perturb_digits(value, rng)
    if vocabulary:
        out = WORD.sub(lambda m: rng.choice(vocabulary) if rng.random() < 0.6 else m[0], out)
    return out


class PerturbGeneratorParams(BaseModel):
    """Params of the ``perturb`` generator."""

    model_config = ConfigDict(extra="forbid")
    max_tries: int = Field(5, ge=1, description="Attempts to find a value not in the text.")


class PerturbGenerator(Generator[PerturbGeneratorParams]):
    """Perturbs label values (dates shifted, digits and names changed) and substitutes them."""

    name: ClassVar[str] = "perturb"
    version: ClassVar[str] = "1"

    def _vocabulary(self, ctx: Context) -> dict[str, list[str]]:
        vocab: dict[str, set[str]] = {f: set() for f in ctx.schema.fields}
        for record in ctx.train:
            for field, values in record.labels.items():
                for value in values:
                    vocab.setdefault(field, set()).update(WORD.findall(value))
        return {f: sorted(words) for f, words in vocab.items()}

    def generate(self, tasks: Sequence[GenerateTask], ctx: Context) -> Iterator[Record]:
        vocab = self._vocabulary(ctx)
        for task in tasks:
            rng = random.Random(task.seed)
            text = task.source.text
            labels: dict[str, list[str]] = {}
            replacements: dict[str, str] = {}
            for field in ctx.schema.fields:
                new_values = []
                for value in task.source.labels.get(field, []):
                    if value not in replacements:
                        replacements[value] = self._fresh(value, vocab.get(field, []), text, rng)
                    new_values.append(replacements[value])
                labels[field] = new_values
            # longest first, so a value containing another is replaced whole
            for old in sorted(replacements, key=len, reverse=True):
                text = text.replace(old, replacements[old])
            yield Record(
                id=task.sample_id,
                text=text,
                labels={f: [v for v in vs if v in text] for f, vs in labels.items()},
                origin=Origin(
                    kind="synthetic", generator=self.name, batch=task.batch,
                    source_id=task.source.id,
                ),
            )

    def _fresh(self, value: str, vocab: list[str], text: str, rng: random.Random) -> str:
        candidate = value
        for _ in range(self.params.max_tries):
            candidate = perturb_value(value, vocab, rng)
            if candidate != value and candidate not in text:
                return candidate
        return candidate


__all__ = ["PerturbGenerator", "perturb_value"]
