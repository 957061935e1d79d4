"""Stopping and constraining the ``hf`` extractor's answers (tiny model, no download)."""

from __future__ import annotations

import pytest
import torch
from leasebench.schema import FieldSchema

from leasebench_lora import generation, modeling


def test_is_loop_finds_a_short_repeated_pattern_only():
    assert generation.is_loop([1, 2, 3] + [7, 8] * 30)
    assert generation.is_loop([5] * 60)
    assert not generation.is_loop(list(range(100)))
    assert not generation.is_loop([7, 8] * 10)  # too short a span to call it a loop


def test_object_closed_counts_braces_outside_strings(tiny_base):
    tok = modeling.load_tokenizer(str(tiny_base))
    text = '{"lessor": ["A {b} \\" }"], "lessee": []} and more'
    ids = tok(text, add_special_tokens=False)["input_ids"]
    crit = generation.ObjectClosed(0, tok)
    done_at = next(k for k in range(1, len(ids) + 1)
                   if crit.row_done(0, ids[:k]))
    assert tok.decode(ids[:done_at]).rstrip().endswith("[]}")
    open_string = tok('{"a": "}"', add_special_tokens=False)["input_ids"]
    assert not generation.ObjectClosed(0, tok).row_done(0, open_string)


@pytest.mark.skipif(not generation.constrained_available(), reason="xgrammar not installed")
def test_schema_mask_makes_a_random_model_answer_the_schema_shape(tiny_base, schema: FieldSchema):
    from transformers import AutoModelForCausalLM

    tok = modeling.load_tokenizer(str(tiny_base), padding_side="left")
    lm = AutoModelForCausalLM.from_pretrained(str(tiny_base)).eval()
    ids = torch.tensor([tok("This Lease is made", add_special_tokens=False)["input_ids"]])
    width = ids.shape[1]
    mask = generation.schema_processor(tok, schema, lm.config.vocab_size)
    with torch.no_grad():
        out = lm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                          max_new_tokens=200, logits_processor=[mask],
                          stopping_criteria=[generation.ObjectClosed(width, tok)],
                          eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    new = out[0, width:].tolist()
    text = tok.decode(new, skip_special_tokens=True)
    # a random-weight model, yet every token it chose continues the schema's answer shape
    # (it may still be inside a string when max_new_tokens runs out)
    first = next(iter(schema.fields))
    assert text.startswith('{"' + first + '": ['), text
    import xgrammar as xgr

    check = xgr.GrammarMatcher(mask.compiled)
    assert all(check.accept_token(t) for t in new if t != tok.pad_token_id), text
    unconstrained = lm.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                do_sample=False, max_new_tokens=20,
                                pad_token_id=tok.pad_token_id)
    fresh = xgr.GrammarMatcher(mask.compiled)
    assert not all(fresh.accept_token(t) for t in unconstrained[0, width:].tolist())


def test_hf_few_shot_shows_train_examples_within_the_budget(tiny_base, records, make_ctx):
    """The hf extractor's few-shot turns: drawn from ctx.train like the llm extractor's,
    rendered before the document, keyed on the train records (uses_train)."""
    import dataclasses

    from leasebench.records import ModelRef

    from leasebench_lora.extractor import HFExtractor, HFParams

    def run(k: int) -> list:
        ex = HFExtractor(HFParams(base_model=str(tiny_base), max_length=2000,
                                  max_new_tokens=24, batch_size=2, device="cpu",
                                  few_shot={"k": k}))
        ctx = dataclasses.replace(make_ctx(f"k{k}"), train=tuple(records[:4]))
        preds = list(ex.extract(ModelRef(extractor="hf", uri=""), records[4:6], ctx))
        return [ex.uses_train(), [p.usage.prompt_tokens for p in preds], preds]

    zero_uses, zero_tokens, _ = run(0)
    two_uses, two_tokens, preds = run(2)
    assert (zero_uses, two_uses) == (False, True)
    assert len(preds) == 2
    assert all(t > z for t, z in zip(two_tokens, zero_tokens, strict=True))
    tok = modeling.load_tokenizer(str(tiny_base))
    ex = HFExtractor(HFParams(base_model=str(tiny_base), max_length=2000, few_shot={"k": 2}))
    turns = ex.examples(tok, dataclasses.replace(make_ctx(), train=tuple(records[:4])), 1976)
    assert [m["role"] for m in turns] == ["user", "assistant"] * 2
    assert all(r.text not in "".join(m["content"] for m in turns) for r in records[4:6])
