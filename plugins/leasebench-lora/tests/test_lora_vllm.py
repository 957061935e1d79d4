"""vLLM and Hugging Face generation agree under greedy decoding (needs vLLM and a GPU).

bf16 kernels differ between the two engines, so a near-tie can flip a token: the test
asks for agreement on most of the documents the model memorised, not on every one.
"""

from __future__ import annotations

import pytest
from conftest import FAST

from leasebench_lora.extractor import HFExtractor, vllm_available
from leasebench_lora.trainer import LoraTrainer

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not vllm_available(),
                                                   reason="needs vLLM and a CUDA GPU")]


def test_vllm_matches_hf_greedy(tiny_base, records, make_ctx):
    ctx = make_ctx()
    trained = records[:5]
    model = LoraTrainer.from_dict({**FAST, "device": "auto", "base_model": str(tiny_base)}).train(
        trained, records[:2], ctx)
    docs = [r.unlabelled() for r in records]
    hf = {p.id: p for p in HFExtractor.from_dict({**model.params, "backend": "hf"}).extract(
        model, docs, ctx)}
    vl = {p.id: p for p in HFExtractor.from_dict({**model.params, "backend": "vllm"}).extract(
        model, docs, ctx)}
    assert set(hf) == set(vl) == {r.id for r in records}  # one prediction per document each
    assert not any(p.error for p in [*hf.values(), *vl.values()])
    same_text = sum(hf[k].raw == vl[k].raw for k in hf) / len(hf)
    same_fields = sum(hf[k].fields == vl[k].fields for k in hf) / len(hf)
    print(f"vLLM vs HF greedy: identical text {same_text:.0%}, identical labels {same_fields:.0%}")
    # on the memorised documents both engines find the labels, a near-tie aside
    memorised = [r for r in trained if hf[r.id].fields == r.labels]
    agree = sum(vl[r.id].fields == r.labels for r in memorised)
    assert len(memorised) >= 3 and agree >= len(memorised) - 1, (len(memorised), agree)
