"""Write the bad-manifest corpus: ``files/*`` and ``cases.yaml`` (run from this directory).

Each case is a manifest a careless or hostile user could write, with the message
fragments ``leasebench validate`` and ``leasebench run`` must print (exit code 2, no
traceback). Manifests refer to the tiny fixture data as ``../tiny/...``; the test copies
``files/`` and ``fixtures/tiny`` side by side. ``make`` cases are built at test time
(directories, unreadable or oversize files). Regenerate with ``python make_corpus.py``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
TINY = HERE.parents[2] / "fixtures" / "tiny"

BASE: dict[str, Any] = {
    "name": "bad",
    "seed": 7,
    "schema": "lease",
    "data": {"train": "../tiny/train.jsonl", "holdout": "../tiny/holdout.jsonl"},
    "generator": {"name": "perturb", "batch_size": 4},
    "judges": [{"name": "schema"}],
    "trainer": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]}},
    "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
    "rounds": [{"name": "real-only", "synthetic_batches": 0},
               {"name": "synth-1", "synthetic_batches": 1}],
    "stats": {"bootstrap": 50},
    "tracking": {"mlflow": False},
}
DELETE = object()


def manifest(**changes: Any) -> str:
    """The base manifest with ``a__b__0__c=value`` changes (``DELETE`` removes a key)."""
    m = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        node: Any = m
        parts = dotted.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(m, sort_keys=False, allow_unicode=True)


BASE_TEXT = manifest()
CASES: list[dict[str, Any]] = []
EXTRA_FILES: dict[str, bytes] = {}


def case(file: str, content: str | bytes | None, *expect: str, **extra: Any) -> None:
    if content is not None:
        EXTRA_FILES[file] = content.encode("utf-8") if isinstance(content, str) else content
    CASES.append({"file": file, "expect": list(expect), **extra})


# -- the file itself ------------------------------------------------------------------
case("missing.yaml", None, "no such file", make="missing")
case("a-directory.yaml", None, "is a directory", make="directory")
case("unreadable.yaml", None, "is not readable", make="unreadable")
case("oversize.yaml", None, "over the limit of 1,000,000", "LEASEBENCH_LIMIT_MANIFEST_BYTES",
     make="oversize")
case("latin1.yaml", BASE_TEXT.replace("name: bad", "name: bad # caf\u00e9").encode("latin-1"),
     "line 1, column 16: not valid UTF-8 (byte 0xe9)")
case("utf16.yaml", BASE_TEXT.encode("utf-16"), "line 1, column 1: not valid UTF-8 (byte 0xff)")
case("nul-byte.yaml", BASE_TEXT.replace("seed: 7", "seed: 7\x00"), "line 2: a NUL byte")
case("binary.yaml", bytes(range(256)) * 4, "not valid UTF-8")
case("empty.yaml", "", "(top level): expected a mapping of keys")
case("comments-only.yaml", "# nothing here\n", "(top level): expected a mapping of keys")
case("top-level-list.yaml", "- name: bad\n- seed: 7\n", "(top level): expected a mapping")
case("top-level-scalar.yaml", "just a string\n", "(top level): expected a mapping")
case("unclosed-bracket.yaml", "name: bad\nrounds: [\n", "invalid YAML")
case("tab-indent.yaml", "name: bad\ndata:\n\ttrain: x.jsonl\n", "line 3, column 1: invalid YAML")
case("bad-indent.yaml", "name: bad\n  seed: 7\n", "line 2", "invalid YAML")
case("two-documents.yaml", BASE_TEXT + "---\n" + BASE_TEXT, "invalid YAML",
     "expected a single document")
case("python-tag.yaml", "name: !!python/object/apply:os.system ['echo pwned']\n",
     "invalid YAML", "could not determine a constructor")
case("unhashable-key.yaml", "? [a, b]\n: 1\nname: bad\n", "invalid YAML", "unhashable key")
case("billion-laughs.yaml",
     "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
               f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
               f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
               for i in range(8)),
     "expands to more than 100,000 values")
case("deep-nesting.yaml", "name: bad\nseed: " + "[" * 300 + "]" * 300 + "\n",
     "nest deeper than 64 levels")
case("duplicate-top-key.yaml", BASE_TEXT.replace("seed: 7\n", "seed: 7\nseed: 8\n"),
     "line 3: duplicate key 'seed' (first at line 2)")
case("duplicate-nested-key.yaml",
     BASE_TEXT.replace("  name: pattern\n", "  name: pattern\n  name: crf\n"),
     "duplicate key 'name'")
case("duplicate-and-bad.yaml",
     BASE_TEXT.replace("seed: 7\n", "seed: 7\nseed: 8\ncolour: red\n"),
     "duplicate key 'seed'", "colour: unknown key (line 4)")

# -- names that become paths ----------------------------------------------------------
RULE = "must start with a letter or digit"
case("name-absolute.yaml", manifest(name="/tmp/evil"), "name: '/tmp/evil' " + RULE)
case("name-traversal.yaml", manifest(name="../../escape"), "name: '../../escape' " + RULE)
case("name-space.yaml", manifest(name="has space"), "name: 'has space' " + RULE)
case("name-empty.yaml", manifest(name=""), "name: '' " + RULE)
case("name-dots-inside.yaml", manifest(name="a..b"), "name: 'a..b' " + RULE)
case("name-not-string.yaml", manifest(name=["a", "b"]), "name: Input should be a valid string")
case("name-too-long.yaml", manifest(name="x" * 101), "at most 100 characters")
case("round-absolute.yaml", manifest(rounds__0__name="/etc/passwd"),
     "rounds[0].name: '/etc/passwd' " + RULE)
case("round-traversal.yaml", manifest(rounds__1__name="../../../../ESCAPED"),
     "rounds[1].name: '../../../../ESCAPED' " + RULE)
case("round-subdir.yaml", manifest(rounds__0__name="real/only"),
     "rounds[0].name: 'real/only' " + RULE)
case("round-unicode.yaml", manifest(rounds__0__name="r\u00e9el"), "rounds[0].name: 'r\u00e9el' "
     + RULE)
case("round-newline.yaml", manifest(rounds__0__name="a\nb"), "rounds[0].name: 'a\\nb' " + RULE)
case("scorer-label-traversal.yaml", manifest(scorers__0__label="../x"),
     "scorers[0].label: '../x' " + RULE)

# -- structure ------------------------------------------------------------------------
case("unknown-key.yaml", manifest(colour="red"), "colour: unknown key")
case("unknown-nested-key.yaml", manifest(stats__bootstrapp=10), "stats.bootstrapp: unknown key")
case("missing-name.yaml", manifest(name=DELETE), "name: Field required")
case("missing-data.yaml", manifest(data=DELETE), "data: Field required")
case("missing-rounds.yaml", manifest(rounds=DELETE), "rounds: Field required")
case("rounds-empty.yaml", manifest(rounds=[]), "rounds: List should have at least 1 item")
case("rounds-mapping.yaml", manifest(rounds={"name": "x"}), "rounds: Input should be a valid list")
case("round-both-kinds.yaml", manifest(rounds__0__baseline=True),
     "rounds[0]: a round either extracts with an untrained `extractor` or trains")
case("round-no-kind.yaml", manifest(rounds__0={"name": "x"}),
     "rounds[0]: set `extractor: NAME` (or `baseline: true`) or `synthetic_batches: N`")
case("round-negative-batches.yaml", manifest(rounds__1__synthetic_batches=-1),
     "rounds[1].synthetic_batches: Input should be greater than or equal to 0")
case("round-duplicate.yaml", manifest(rounds__1__name="real-only"),
     "rounds: duplicate round name(s) real-only")
case("reference-round-unknown.yaml", manifest(stats__reference_round="nope"),
     "stats.reference_round: 'nope' is not a round")
case("baseline-without-extractor.yaml",
     manifest(rounds=[{"name": "prompted", "baseline": True}]),
     "baseline: a baseline round needs a `baseline` extractor")
case("trained-without-trainer.yaml", manifest(trainer=DELETE),
     "trainer: rounds with `synthetic_batches` need a `trainer`")
case("synthetic-without-generator.yaml", manifest(generator=DELETE),
     "generator: rounds with synthetic batches need a `generator`")
case("holdout-fraction-range.yaml",
     manifest(data={"source": "../tiny/train.jsonl", "holdout_fraction": 1.5}),
     "data.holdout_fraction: Input should be less than 1")
case("data-train-only.yaml", manifest(data__holdout=DELETE),
     "data: give either `source`, or both `train` and `holdout`")
case("data-source-and-train.yaml", manifest(data__source="../tiny/train.jsonl"),
     "data: give either `source` or `train`/`holdout`, not both")
case("data-scalar.yaml", manifest(data=5),
     "data: give a mapping with `builtin`, `dataset`, or data files")
case("data-builtin-unknown.yaml", manifest(data={"builtin": "contracts"}),
     "data.builtin: unknown dataset 'contracts'; known: lease")
case("data-builtin-zero.yaml", manifest(data={"builtin": "lease", "train": 0}),
     "data.train: give a number of documents (at least 1)")
case("data-dataset-unknown.yaml", manifest(data={"dataset": "warehouse"}),
     "data.dataset: unknown dataset 'warehouse'")
case("data-file-unknown-key.yaml", manifest(data__trian="x.jsonl"), "data.trian: unknown key")
case("seed-string.yaml", manifest(seed="abc"), "seed: Input should be a valid integer")
case("seed-float.yaml", manifest(seed=1.5), "seed: Input should be a valid integer")
case("confidence-range.yaml", manifest(stats__confidence=1.5),
     "stats.confidence: Input should be less than 1")
case("batch-size-zero.yaml", manifest(generator__batch_size=0),
     "generator.batch_size: Input should be greater than or equal to 1")
case("generator-unknown.yaml", manifest(generator__name="nope"),
     "generator.name: unknown generator 'nope'")
case("generator-param-unknown.yaml", manifest(generator__params={"temperature": 2}),
     "generator.params.temperature: unknown key")
case("judges-mapping.yaml", manifest(judges={"name": "schema"}),
     "judges: Input should be a valid list")
case("judge-unknown.yaml", manifest(judges__0__name="oracle"), "judges[0].name: unknown judge")
case("sweep-unknown-param.yaml", manifest(trainer__sweep={"lr": [1, 2]}),
     "trainer.sweep.lr: unknown key for trainer 'pattern'")
case("sweep-empty.yaml", manifest(trainer__sweep={"context": []}),
     "trainer.sweep.context: give a non-empty list of values")
case("sweep-bad-value.yaml", manifest(trainer__sweep={"context": [2, 99]}),
     "trainer.sweep (trial 1: {'context': 99}).context: Input should be less than or equal to 8")
case("select-mode.yaml", manifest(trainer__select={"mode": "up"}),
     "trainer.select.mode: Input should be 'max' or 'min'")
case("eval-fraction-zero.yaml", manifest(trainer__eval_fraction=0),
     "trainer.eval_fraction: Input should be greater than 0")
case("scorers-empty.yaml", manifest(scorers=[]), "scorers: List should have at least 1 item")
case("scorers-same-label.yaml",
     manifest(scorers=[{"name": "field-match"}, {"name": "field-match"}]),
     "scorers: give each scorer a distinct `label`")
case("reporter-unknown.yaml", manifest(reporters=[{"name": "pdf"}]),
     "reporters[0].name: unknown reporter 'pdf'")
case("name-trailing-newline.yaml", manifest(name="tiny\n"), "name: 'tiny\\n' must start")
case("limits-unknown-key.yaml", manifest(limits={"bootstrapp": 10}),
     "limits.bootstrapp: unknown key")
case("limits-zero.yaml", manifest(limits={"bootstrap": 0}),
     "limits.bootstrap: Input should be greater than or equal to 1")

# -- size limits ----------------------------------------------------------------------
case("bootstrap-huge.yaml", manifest(stats__bootstrap=1_000_000_000_000),
     "stats.bootstrap: 1,000,000,000,000 is over the limit of 100,000",
     "`limits: {bootstrap: N}`", "LEASEBENCH_LIMIT_BOOTSTRAP=N")
case("batch-size-huge.yaml", manifest(generator__batch_size=1_000_000_000),
     "generator.batch_size: 1,000,000,000 is over the limit of 10,000",
     "LEASEBENCH_LIMIT_BATCH_SIZE=N")
case("sweep-huge.yaml",
     manifest(trainer__sweep={"min_precision": [i / 1000 for i in range(1000)],
                              "min_count": list(range(1, 101))}),
     "trainer.sweep: 100,000 trials in the grid is over the limit of 256",
     "LEASEBENCH_LIMIT_SWEEP_TRIALS=N")
case("batches-huge.yaml", manifest(rounds__1__synthetic_batches=1_000_000),
     "rounds[1].synthetic_batches: 1,000,000 is over the limit of 100")
case("builtin-huge.yaml", manifest(data={"builtin": "lease", "train": 1_000_000_000}),
     "data.train: 1,000,000,000 is over the limit of 1,000,000")
case("limit-env-garbage.yaml", manifest(), "LEASEBENCH_LIMIT_BOOTSTRAP='lots'",
     "give a whole number of ASCII digits", env={"LEASEBENCH_LIMIT_BOOTSTRAP": "lots"},
     located="env")
for label, raw in [("superscript", "\u00b2"), ("arabic-digit", "\u0663"), ("float", "1e3"),
                   ("nines", "9" * 5000), ("negative", "-5"), ("zero", "0")]:
    case(f"limit-env-{label}.yaml", manifest(), "(environment) LEASEBENCH_LIMIT_BOOTSTRAP=",
         "whole number", env={"LEASEBENCH_LIMIT_BOOTSTRAP": raw}, located="env")
case("limit-env-over-ceiling.yaml", manifest(), "LEASEBENCH_LIMIT_BOOTSTRAP=20,000,000",
     "from 1 to 10,000,000 (the hard ceiling)",
     env={"LEASEBENCH_LIMIT_BOOTSTRAP": "20_000_000"}, located="env")
case("limit-env-unknown.yaml", manifest(), "LEASEBENCH_LIMIT_BOOTSTRAPS: not a limit",
     env={"LEASEBENCH_LIMIT_BOOTSTRAPS": "5"}, located="env")
for label, raw in [("inf", "inf"), ("nan", "nan"), ("negative", "-1"), ("zero", "0"),
                   ("huge", "9" * 400), ("arabic-digit", "\u0663")]:
    case(f"max-file-env-{label}.yaml", manifest(), "(environment) LEASEBENCH_MAX_FILE_MB=",
         "give a size in MB above 0", env={"LEASEBENCH_MAX_FILE_MB": raw}, located="env")
case("limits-over-ceiling.yaml", manifest(limits={"bootstrap": 10**18}),
     "limits.bootstrap: Input should be less than or equal to 10000000")
case("bootstrap-float.yaml", manifest(stats__bootstrap=1e12, limits={"bootstrap": 1e18}),
     "stats.bootstrap: 1,000,000,000,000 is over the limit of 100,000",
     "limits.bootstrap: Input should be less than or equal to 10000000")
case("max-file-mb-inf.yaml", manifest(data__max_file_mb=float("inf")),
     "data.max_file_mb: Input should be less than or equal to 1048576")

# -- arms: several extractors and trainers -------------------------------------------
case("arm-extractor-traversal.yaml",
     manifest(extractors={"../x": {"name": "rules"}}, rounds=[{"name": "r", "extractor": "../x"}]),
     "extractors.../x: an arm name " + RULE)
case("arm-trainer-subdir.yaml",
     manifest(trainer=DELETE, trainers={"a/b": {"name": "pattern"}},
              rounds=[{"name": "r", "synthetic_batches": 0, "trainer": "a/b"}]),
     "trainers.a/b: an arm name " + RULE)
case("arm-sweep-huge.yaml",
     manifest(trainer=DELETE, trainers={"p": {"name": "pattern", "sweep": {
         "min_precision": [i / 1000 for i in range(1000)], "min_count": list(range(1, 101))}}}),
     "trainers.p.sweep: 100,000 trials in the grid is over the limit of 256")
case("arm-repeats-huge.yaml", manifest(trainer__repeats=1000),
     "trainer.repeats: 1,000 is over the limit of 20", "LEASEBENCH_LIMIT_REPEATS=N")
case("arm-unknown-in-round.yaml",
     manifest(extractors={"rules-a": {"name": "rules"}},
              rounds=[{"name": "r", "extractor": "nope"}]),
     "rounds[0].extractor: extractor 'nope' is not defined")
case("spark-conf-untrusted.yaml",
     manifest(executor={"name": "spark", "params": {"master": "local[1]", "conf": {
         "spark.driver.extraJavaOptions": "-javaagent:/tmp/a.jar", "spark.eventLog.dir": "/",
         "spark.executor.memory": "1g"}}}),
     "executor.params.conf: spark.driver.extraJavaOptions, spark.eventLog.dir: a manifest "
     "may set only", "LEASEBENCH_TRUST_SPARK_CONF=spark.driver.extraJavaOptions,"
     "spark.eventLog.dir")
case("trainer-and-trainers.yaml", manifest(trainers={"p": {"name": "pattern"}}),
     "trainer: give `trainer` or `trainers`, not both")

# -- the files a manifest names -------------------------------------------------------
case("schema-missing.yaml", manifest(schema="nope.json"),
     "schema: schema 'nope.json': no such file")
case("schema-directory.yaml", manifest(schema="schema-dir"), "schema: ", "is a directory",
     make="directory", target="schema-dir")
case("schema-latin1.yaml", manifest(schema="schema-latin1.json"), "schema-latin1.json",
     "not valid UTF-8")
case("schema-bad-json.yaml", manifest(schema="schema-bad.json"), "schema-bad.json: line 1",
     "not valid JSON")
case("schema-array.yaml", manifest(schema="schema-array.json"),
     "schema-array.json: a JSON Schema must be an object")
case("schema-no-properties.yaml", manifest(schema="schema-empty.json"),
     "needs a non-empty 'properties' object")
case("schema-bad-kind.yaml", manifest(schema="schema-kind.json"),
     "properties.lessor.x-kind: 'person' is not one of")
case("schema-deep.yaml", manifest(schema="schema-deep.json"), "schema-deep.json",
     "not valid JSON")
case("schema-huge-int.yaml", manifest(schema="schema-bigint.json"), "schema-bigint.json",
     "not valid JSON")
case("train-missing.yaml", manifest(data__train="nope.jsonl"), "data.train:", "no such file")
case("train-directory.yaml", manifest(data__train="data-dir"), "data.train:",
     "is a directory", make="directory", target="data-dir")
case("train-unknown-format.yaml", manifest(data__train="train.txt"), "data.train:",
     "unknown format '.txt'")
case("train-bad-json.yaml", manifest(data__train="train-bad.jsonl"), "train-bad.jsonl",
     "line 2")
case("train-one-record.yaml", manifest(data__train="train-one.jsonl"),
     "data: 1 train record(s); a trained round needs at least 2")
case("train-empty.yaml", manifest(data__train="train-empty.jsonl"), "train-empty.jsonl",
     "no records")
case("train-shares-holdout-ids.yaml", manifest(data__train="../tiny/holdout.jsonl"),
     "id(s) in both")
case("train-unknown-label.yaml", manifest(data__train="train-landlord.jsonl"),
     "train-landlord.jsonl", "'landlord'")
case("field-and-cross-field-together.yaml",
     manifest(stats__bootstrap=-1, generator=DELETE,
              rounds=[{"name": "a", "synthetic_batches": "x"},
                      {"name": "a", "synthetic_batches": 1}]),
     "stats.bootstrap: Input should be greater than or equal to 0",
     "rounds[0].synthetic_batches: Input should be a valid integer",
     "rounds: duplicate round name(s) a",
     "generator: rounds with synthetic batches need a `generator`")
case("train-leaks-into-holdout.yaml", manifest(data__holdout="holdout-leak.jsonl",
                                    guards={"leakage": "error"}),
     "near-duplicate hold-out documents", "guards.leakage: data: 2 real train document(s)")
case("leakage-error-and-field.yaml",
     manifest(data__holdout="holdout-leak.jsonl", guards={"leakage": "error"},
              stats__bootstrap=-1),
     "stats.bootstrap: Input should be greater than or equal to 0",
     "guards.leakage: data: 2 real train document(s) near-duplicate")
case("schema-and-key-together.yaml", manifest(schema="nope.json", colour="red"),
     "colour: unknown key", "schema: schema 'nope.json': no such file")

LEASE_DOC = {"id": "t1", "text": "Lease between Acme (lessor) and Beta (lessee).",
             "labels": {"lessor": ["Acme"]}}
DATA_FILES = {
    "schema-latin1.json": '{"properties": {"lessor": {"description": "caf\u00e9"}}}'
                          .encode("latin-1"),
    "schema-bad.json": b'{"properties": {"lessor": }',
    "schema-array.json": b"[1, 2, 3]",
    "schema-empty.json": b'{"type": "object"}',
    "schema-kind.json": b'{"properties": {"lessor": {"type": "array", "x-kind": "person"}}}',
    "schema-deep.json": b"[" * 100_000 + b"]" * 100_000,
    "schema-bigint.json": b'{"properties": {}, "n": ' + b"9" * 5000 + b"}",
    "train.txt": b"id,text\n1,x\n",
    "train-bad.jsonl": (json.dumps(LEASE_DOC) + "\n{not json\n").encode(),
    "train-one.jsonl": (json.dumps(LEASE_DOC) + "\n").encode(),
    "train-empty.jsonl": b"",
    "holdout-leak.jsonl": "".join(
        json.dumps({**json.loads(line), "id": f"leak-{i}"}) + "\n" for i, line in enumerate(
            (TINY / "train.jsonl").read_text("utf-8").splitlines()[:2])).encode(),
    "train-landlord.jsonl": (json.dumps({**LEASE_DOC, "labels": {"landlord": ["Acme"]}})
                             + "\n").encode(),
}


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, content in {**EXTRA_FILES, **DATA_FILES}.items():
        (FILES / name).write_bytes(content)
    header = ("# The bad-manifest corpus (generated by make_corpus.py; edit that, not this).\n"
              "# file: under files/; expect: fragments of the message; make: built at test\n"
              "# time (missing, directory, unreadable, oversize) at `target` or `file`;\n"
              "# env: environment for the case.\n")
    text = yaml.safe_dump(CASES, sort_keys=False, allow_unicode=True, width=100)
    (HERE / "cases.yaml").write_text(header + text, encoding="utf-8")
    print(f"{len(CASES)} cases, {len(EXTRA_FILES) + len(DATA_FILES)} files")


if __name__ == "__main__":
    main()
