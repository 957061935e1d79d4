"""Training: memorisation end to end, determinism, resume after a kill, merged models.

Two trained models are shared by the tests that read them (module fixtures): the
memorised one, and a short dropout run that determinism, resume and gradient
checkpointing compare against.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from conftest import FAST
from safetensors.torch import load_file

from leasebench_lora import loop
from leasebench_lora.extractor import HFExtractor
from leasebench_lora.trainer import LoraTrainer

SHORT = {**FAST, "epochs": 4}
# a short run with dropout (so the seeded RNG matters) and a checkpoint mid-epoch
DROPOUT = {**SHORT, "dropout": 0.1, "checkpoint_steps": 3}


def adapter_weights(model_ref) -> dict[str, torch.Tensor]:
    return load_file(f"{model_ref.metadata['adapter_path']}/adapter_model.safetensors")


@pytest.fixture(scope="module")
def memorised(tiny_base, schema, records, tmp_path_factory):
    from leasebench.components import Context

    ctx = Context(schema=schema, seed=3, workdir=tmp_path_factory.mktemp("mem"), quiet=True)
    trainer = LoraTrainer.from_dict({**FAST, "base_model": str(tiny_base), "merge": True})
    train = records[:5]
    return trainer.train(train, train[:2], ctx), ctx


@pytest.fixture(scope="module")
def short_run(tiny_base, schema, records, tmp_path_factory):
    """The ``DROPOUT`` model trained once on four records, seed 1."""
    from leasebench.components import Context

    ctx = Context(schema=schema, seed=1, workdir=tmp_path_factory.mktemp("short"), quiet=True)
    params = {**DROPOUT, "base_model": str(tiny_base)}
    return LoraTrainer.from_dict(params).train(records[:4], records[4:6], ctx), params


def test_memorised_documents_come_back_exactly(memorised, records):
    model, ctx = memorised
    assert model.extractor == "hf" and model.metadata["merged"] is True
    assert model.metrics["token_accuracy"] == 1.0
    assert model.metrics["perplexity"] < 1.1
    # Through the adapter (base + LoRA) and through the merged model, batched.
    for ref in (model.model_copy(update={"uri": model.metadata["adapter_path"],
                                         "metadata": {**model.metadata, "merged": False}}),
                model):
        extractor = HFExtractor.from_dict({**model.params, "batch_size": 3})
        preds = {p.id: p for p in extractor.extract(ref, [r.unlabelled() for r in records[:5]],
                                                    ctx)}
        assert set(preds) == {r.id for r in records[:5]}
        for record in records[:5]:
            pred = preds[record.id]
            assert pred.parse_error is None, pred.raw
            assert pred.fields == record.labels
            assert pred.usage.completion_tokens > 0 and pred.usage.prompt_tokens > 0
            assert pred.latency_s is not None


def test_a_value_only_at_the_end_of_a_long_document_is_found(memorised, records):
    """A document many times the model's context goes through windows; the fields of its
    last paragraph (a memorised record) are found, the windows before say nothing grounded."""
    from leasebench.records import Record

    from leasebench_lora.chat import ChatFormat
    from leasebench_lora.modeling import load_tokenizer

    model, ctx = memorised
    target = records[1]
    filler = "The Tenant shall keep the premises clean and pay the rent on time."
    doc = Record(id="long", text="\n\n".join([filler] * 40 + [target.text]))
    tok = load_tokenizer(model.uri, padding_side="left")
    count = len(tok(doc.text, add_special_tokens=False)["input_ids"])
    assert count > 3 * model.params["max_length"]
    size = max(len(tok(t, add_special_tokens=False)["input_ids"])
               for t in (filler + "\n\n", target.text))
    params = {**model.params, "batch_size": 8,
              "chunking": {"chunk_tokens": max(size, 32), "overlap_tokens": 0}}
    fmt = ChatFormat(tok, ctx.schema, None, params["max_length"])
    budget = params["max_length"] - params["max_new_tokens"]
    windows = fmt.windows(doc.text, budget, 0, params["chunking"]["chunk_tokens"])
    assert windows[-1].text == target.text  # the last window is the memorised record alone
    [pred] = HFExtractor.from_dict(params).extract(model, [doc], ctx)
    assert pred.fields == target.labels, pred.raw
    assert pred.chunks == len(windows) > 10 and not pred.truncated
    assert pred.seen_chars == len(doc.text) and pred.usage.calls == len(windows)
    start, _, how = pred.spans["lessor"][0]  # type: ignore[misc]
    assert start > len(doc.text) - len(target.text) and how == "exact"


def test_model_ref_records_what_the_extractor_needs(memorised, tiny_base):
    model, _ = memorised
    meta = model.metadata
    assert meta["base_model"] == str(tiny_base) and meta["dtype"] == "float32"
    assert meta["truncated_docs"] == 0 and meta["dropped_docs"] == 0
    assert meta["n_train"] == 5 and meta["n_eval"] == 2
    curves = json.loads(Path(meta["curves"]).read_text("utf-8"))
    assert any("eval_token_accuracy" in c for c in curves)
    assert set(model.metrics) >= {"cross_entropy", "perplexity", "token_accuracy", "eval_loss"}
    HFExtractor.Params.model_validate(model.params)  # loads with exactly these params


def test_same_seed_same_model(short_run, records, make_ctx):
    """Determinism within one machine: the same seed in the same process, twice."""
    a, params = short_run
    b = LoraTrainer.from_dict(params).train(records[:4], records[4:6], make_ctx("b"))
    assert a.metrics == b.metrics
    wa, wb = adapter_weights(a), adapter_weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    c = LoraTrainer.from_dict(params).train(records[:4], records[4:6], make_ctx("c", seed=2))
    assert c.metrics != a.metrics


def test_killed_training_resumes_from_its_checkpoint(short_run, records, make_ctx, monkeypatch):
    whole, params = short_run
    assert whole.metadata["resumed"] is False and whole.metadata["steps"] == 8

    class Killed(Exception):
        pass

    def kill(step: int) -> None:
        if step == 5:
            raise Killed

    ctx = make_ctx("killed", seed=1)
    monkeypatch.setattr(loop, "STEP_HOOK", kill)
    with pytest.raises(Killed):
        LoraTrainer.from_dict(params).train(records[:4], records[4:6], ctx)
    state = torch.load(ctx.workdir / loop.CHECKPOINT, weights_only=False)
    assert state["step"] == 4  # the epoch-end checkpoint before the kill
    steps: list[int] = []
    monkeypatch.setattr(loop, "STEP_HOOK", steps.append)
    resumed = LoraTrainer.from_dict(params).train(records[:4], records[4:6], ctx)
    assert resumed.metadata["resumed"] is True and steps == [5, 6, 7, 8]
    assert resumed.metrics == whole.metrics
    wa, wb = adapter_weights(whole), adapter_weights(resumed)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not (ctx.workdir / loop.CHECKPOINT).exists()


def test_long_documents_are_counted_in_the_model_ref(tiny_base, records, make_ctx):
    from leasebench.records import Record

    long = Record(id="long", text="filler words here. " * 100, labels=records[0].labels)
    params = {**SHORT, "epochs": 1, "base_model": str(tiny_base), "max_length": 200}
    model = LoraTrainer.from_dict(params).train([*records[:2], long], records[2:3], make_ctx())
    assert model.metadata["windowed_docs"] == 1 and model.metadata["truncated_docs"] == 0
    assert model.metadata["n_train"] > 3  # the long record is several windows
    cut = LoraTrainer.from_dict({**params, "long_documents": "truncate"}).train(
        [*records[:2], long], records[2:3], make_ctx("cut"))
    assert cut.metadata["truncated_docs"] == 1 and cut.metadata["dropped_docs"] == 0
    assert cut.metadata["lost_values"] == {}  # the long record's values are in no text
    dropped = LoraTrainer.from_dict({**params, "long_documents": "drop"}).train(
        [*records[:2], long], records[2:3], make_ctx("drop"))
    assert dropped.metadata["dropped_docs"] == 1 and dropped.metadata["n_train"] == 2


def test_qlora_without_gpu_is_a_clear_error(tiny_base, records, make_ctx):
    trainer = LoraTrainer.from_dict({**SHORT, "base_model": str(tiny_base), "quantization": "4bit"})
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(RuntimeError, match="needs a CUDA GPU and bitsandbytes"):
        trainer.train(records[:2], records[2:3], make_ctx())


def test_training_curves_go_to_mlflow_when_tracking_is_on(tiny_base, records, schema, tmp_path):
    from leasebench.components import Context
    from mlflow.tracking import MlflowClient

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    ctx = Context(schema=schema, seed=1, workdir=tmp_path / "w", quiet=True, stage="train-b0-t0",
                  extra={"mlflow_tracking_uri": uri, "mlflow_experiment": "curves"})
    params = {**SHORT, "epochs": 2, "base_model": str(tiny_base)}
    LoraTrainer.from_dict(params).train(records[:4], records[4:6], ctx)
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("curves")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.run_name == "train-b0-t0"
    losses = client.get_metric_history(run.info.run_id, "train_loss")
    assert [m.step for m in losses] == [1, 2, 3, 4]
    assert len(client.get_metric_history(run.info.run_id, "eval_token_accuracy")) == 2
    assert run.data.params["learning_rate"] == "0.01"
    # Off by default when nothing says tracking is on.
    LoraTrainer.from_dict(params).train(records[:4], records[4:6], Context(
        schema=schema, seed=1, workdir=tmp_path / "w2", quiet=True))
    assert len(client.search_runs([experiment.experiment_id])) == 1


def test_gradient_checkpointing_gives_the_same_training(short_run, records, make_ctx):
    plain, params = short_run
    ckpt = LoraTrainer.from_dict({**params, "gradient_checkpointing": True}).train(
        records[:4], records[4:6], make_ctx("c", seed=1))
    assert ckpt.metrics["cross_entropy"] == pytest.approx(plain.metrics["cross_entropy"],
                                                          rel=1e-4)
