"""Component templates for ``leasebench new-plugin``, one per family (``string.Template``).

Placeholders: ``$cls`` (class name prefix), ``$name`` (component name), ``$family``.
Every template passes the conformance suite as generated.
"""

from __future__ import annotations

import json

HEAD = '''"""The $family ``$name`` (written by ``leasebench new-plugin``)."""

from __future__ import annotations

'''

GENERATOR = HEAD + '''import random
from collections.abc import Iterator, Sequence
from typing import ClassVar

from leasebench.components import Context, GenerateTask, Generator
from leasebench.records import Origin, Record
from pydantic import BaseModel, ConfigDict, Field


class ${cls}GeneratorParams(BaseModel):
    """Params of the generator ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    keep_first: int = Field(1, ge=0, description="Leading paragraphs kept in place.")


class ${cls}Generator(Generator[${cls}GeneratorParams]):
    """Shuffles the paragraphs of a train document; its labels stay verbatim in the text."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def generate(self, tasks: Sequence[GenerateTask], ctx: Context) -> Iterator[Record]:
        for task in tasks:
            rng = random.Random(task.seed)  # one seed per task: a resumed batch is identical
            paragraphs = task.source.text.split("\\n\\n")
            head, tail = paragraphs[: self.params.keep_first], paragraphs[self.params.keep_first :]
            rng.shuffle(tail)
            yield Record(
                id=task.sample_id,
                text="\\n\\n".join(head + tail),
                labels={f: list(task.source.labels.get(f, [])) for f in ctx.schema.fields},
                origin=Origin(kind="synthetic", generator=self.name, batch=task.batch,
                              source_id=task.source.id),
            )
'''

JUDGE = HEAD + '''from collections.abc import Iterator, Sequence
from typing import ClassVar

from leasebench.components import Context, Judge
from leasebench.records import Record, Verdict
from pydantic import BaseModel, ConfigDict, Field


class ${cls}JudgeParams(BaseModel):
    """Params of the judge ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    min_chars: int = Field(200, ge=0, description="Shortest document that passes.")


class ${cls}Judge(Judge[${cls}JudgeParams]):
    """Passes a synthetic document at least ``min_chars`` long."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        for record in records:
            n = len(record.text)
            yield Verdict(record_id=record.id, judge=self.name, passed=n >= self.params.min_chars,
                          reason=f"{n} characters", score=float(n))
'''

_EXTRACTOR_BODY = '''

class ${cls}ExtractorParams(BaseModel):
    """Params of the extractor ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    max_values: int = Field(1, ge=1, description="Values kept per field.")


class ${cls}Extractor(Extractor[${cls}ExtractorParams]):
    """Predicts, per field, the known values (from the model file) found in the document."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        known: dict[str, list[str]] = {}
        if model.uri:
            path = Path(model.uri)
            if not path.is_file():
                raise DataError(f"model file {model.uri!r} not found")
            known = json.loads(path.read_text("utf-8"))
        for record in records:
            fields: dict[str, list[str]] = {}
            for field in ctx.schema.fields:
                found = [v for v in known.get(field, []) if v in record.text]
                fields[field] = found[: self.params.max_values]
            yield Prediction(id=record.id, fields=fields)
'''

EXTRACTOR = HEAD + '''import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from leasebench.components import Context, Extractor
from leasebench.errors import DataError
from leasebench.records import ModelRef, Prediction, Record
from pydantic import BaseModel, ConfigDict, Field
''' + _EXTRACTOR_BODY

TRAINER = HEAD + '''import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from leasebench.components import Context, Extractor, Trainer
from leasebench.errors import DataError
from leasebench.records import ModelRef, Prediction, Record
from pydantic import BaseModel, ConfigDict, Field

MODEL_FILE = "values.json"


class ${cls}TrainerParams(BaseModel):
    """Params of the trainer ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    min_count: int = Field(1, ge=1, description="Keep values seen this often.")


class ${cls}Trainer(Trainer[${cls}TrainerParams]):
    """Memorises the label values seen in training, most frequent first."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        if not train:
            raise DataError("no training records")
        known: dict[str, list[str]] = {}
        for field in ctx.schema.fields:
            counts = Counter(v for r in train for v in r.labels.get(field, []))
            known[field] = sorted((v for v, n in counts.items() if n >= self.params.min_count),
                                  key=lambda v: (-counts[v], v))
        path = ctx.workdir / MODEL_FILE  # the runner keeps ctx.workdir; save models there
        path.write_text(json.dumps(known, sort_keys=True), "utf-8")
        return ModelRef(extractor=self.name, uri=str(path),
                        metrics={"values": float(sum(map(len, known.values())))})
''' + _EXTRACTOR_BODY

SCORER = HEAD + '''from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from leasebench.components import NoParams, Scorer
from leasebench.errors import DataError
from leasebench.outcomes import Outcomes
from leasebench.records import Prediction, Record
from leasebench.schema import FieldSchema


class ${cls}Scorer(Scorer[NoParams]):
    """Per (document, field): the same value set is a TP; otherwise FP and/or FN."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def score(
        self, gold: Sequence[Record], predictions: Sequence[Prediction], schema: FieldSchema
    ) -> Outcomes:
        ids = [r.id for r in gold]
        by_id = {p.id: p for p in predictions}
        unknown = sorted(set(by_id) - set(ids))
        if unknown or len(by_id) != len(predictions):
            raise DataError(f"predictions for unknown or repeated ids {unknown}")
        counts = np.zeros((len(gold), len(schema.fields), 4), dtype=np.int64)
        for d, record in enumerate(gold):
            pred = by_id.get(record.id)
            values = {} if pred is None or pred.error or pred.parse_error else pred.fields
            for f, field in enumerate(schema.fields):
                g, p = set(record.labels.get(field, [])), set(values.get(field, []))
                counts[d, f] = (0, 0, 0, 1) if not g and not p else (1, 0, 0, 0) if g == p \\
                    else (0, int(bool(p)), int(bool(g)), 0)
        return Outcomes(tuple(ids), tuple(schema.fields), counts)
'''

REPORTER = HEAD + '''from pathlib import Path
from typing import Any, ClassVar

from leasebench.components import Reporter
from pydantic import BaseModel, ConfigDict


class ${cls}ReporterParams(BaseModel):
    """Params of the reporter ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    filename: str = "summary.txt"


class ${cls}Reporter(Reporter[${cls}ReporterParams]):
    """One line per round: its name and micro F1 under the primary scorer."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def report(self, result: Any, out_dir: Path) -> list[Path]:
        lines = []
        for r in result.rounds:
            score = r.scores.get(result.primary_scorer)
            f1 = "-" if score is None else f"{score.micro.f1:.4f}"
            lines.append(f"{r.name}\\t{f1}")
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / self.params.filename
        path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        return [path]
'''

DATASET = HEAD + '''import hashlib
from pathlib import Path
from typing import ClassVar

from leasebench.components import Context, Dataset, LoadedData
from leasebench.errors import DataError
from leasebench.records import Record
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ${cls}DatasetParams(BaseModel):
    """Params of the dataset ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="The JSONL file of records.")
    holdout_ids: list[str] = Field(
        default_factory=list,
        description="Record ids held out; empty: the run splits by holdout_fraction.",
    )


class ${cls}Dataset(Dataset[${cls}DatasetParams]):
    """Labelled records from a JSONL file, one {"id", "text", "labels"} object per line."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def _path(self) -> Path:
        path = Path(self.params.path)
        if not path.is_file():
            raise DataError(f"dataset $name: {path}: no such file")
        return path

    def load(self, ctx: Context) -> LoadedData:
        path = self._path()
        lines = path.read_text(encoding="utf-8").splitlines()
        records = []
        for lineno, line in enumerate(lines, 1):
            if line.strip():
                try:
                    records.append(Record.model_validate_json(line))
                except ValidationError as exc:
                    raise DataError(f"{path}:{lineno}: {exc.errors()[0]['msg']}") from exc
            ctx.progress(lineno, len(lines), "lines")  # the stage's bar on a terminal
        held = set(self.params.holdout_ids)
        if not held:
            return LoadedData(train=records)
        return LoadedData(train=[r for r in records if r.id not in held],
                          holdout=[r for r in records if r.id in held])

    def fingerprint(self, ctx: Context) -> str:
        """The file's content hash: while it is unchanged, the run does not load it again."""
        return hashlib.sha256(self._path().read_bytes()).hexdigest()
'''

DATASET_RECORDS = "".join(
    json.dumps({"id": f"lease-{i}", "text": text, "labels": labels}) + "\n"
    for i, (text, labels) in enumerate([
        ("Lease made on 1 March 2021 between Harbor Point LLC (Landlord) and Acme Inc "
         "(Tenant).", {"lessor": ["Harbor Point LLC"], "lessee": ["Acme Inc"],
                       "signing_date": ["1 March 2021"]}),
        ("This lease of 5 June 2019 is between Oak Estates Ltd, landlord, and Blue Fern "
         "Cafe, tenant.", {"lessor": ["Oak Estates Ltd"], "lessee": ["Blue Fern Cafe"],
                           "signing_date": ["5 June 2019"]}),
        ("Landlord North Quay Properties leases to Delta Labs GmbH from 1 January 2020.",
         {"lessor": ["North Quay Properties"], "lessee": ["Delta Labs GmbH"],
          "start_date": ["1 January 2020"]}),
    ])
)

EXECUTOR = HEAD + '''import itertools
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

from leasebench.components import Executor
from leasebench.executors import MapWork, chunked
from pydantic import BaseModel, ConfigDict, Field


class ${cls}ExecutorParams(BaseModel):
    """Params of the executor ``$name`` (the manifest's ``params:``)."""

    model_config = ConfigDict(extra="forbid")
    threads: int = Field(2, ge=1, description="Worker threads.")
    chunk_size: int = Field(8, ge=1, description="Items per chunk.")


def _run_chunk(work: MapWork, chunk: list[Any]) -> list[BaseModel]:
    return list(work.run(chunk))


class ${cls}Executor(Executor[${cls}ExecutorParams]):
    """Runs chunks of a map stage's items on a thread pool, a bounded number in flight."""

    name: ClassVar[str] = "$name"
    version: ClassVar[str] = "1"

    def map(self, work: MapWork, items: Iterable[Any]) -> Iterator[BaseModel]:
        p = self.params
        chunks = chunked(items, p.chunk_size)  # pulled lazily: a stage may not fit in memory
        with ThreadPoolExecutor(p.threads) as pool:
            pending = [pool.submit(_run_chunk, work, c)
                       for c in itertools.islice(chunks, 2 * p.threads)]
            while pending:
                results = pending.pop(0).result()  # a component error propagates
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.submit(_run_chunk, work, nxt))
                yield from results
'''

TEMPLATES = {"dataset": DATASET, "generator": GENERATOR, "judge": JUDGE, "trainer": TRAINER,
             "extractor": EXTRACTOR, "scorer": SCORER, "reporter": REPORTER,
             "executor": EXECUTOR}

__all__ = ["DATASET_RECORDS", "TEMPLATES"]
