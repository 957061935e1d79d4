"""Chat formatting: assistant-only labels, schema-ordered JSON, the long-document policy."""

from __future__ import annotations

import itertools
import json

import pytest
from leasebench.records import Record

from leasebench_lora.chat import IGNORE, ChatFormat, answer_json
from leasebench_lora.modeling import load_tokenizer


@pytest.fixture(scope="module")
def tok(tiny_base):
    return load_tokenizer(str(tiny_base))


def test_answer_json_is_every_field_in_schema_order(schema):
    text = answer_json({"signing_date": ["May 1, 2020"], "lessor": ["A"]}, schema)
    assert list(json.loads(text)) == ["lessor", "lessee", "signing_date"]
    assert json.loads(text)["lessee"] == []


def test_loss_falls_on_the_answer_tokens_only(tok, schema, records):
    fmt = ChatFormat(tok, schema, max_length=512)
    ex = fmt.encode(records[0])
    assert ex is not None and not ex.truncated
    n_prompt = sum(1 for t in ex.labels if t == IGNORE)
    prompt = tok.decode(ex.input_ids[:n_prompt])
    answer = tok.decode([t for t in ex.labels if t != IGNORE])
    assert prompt == fmt.prompt_string(records[0].text)
    assert prompt.endswith("<|assistant|>\n") and records[0].text in prompt
    assert answer == answer_json(records[0].labels, schema) + tok.eos_token
    assert ex.labels[n_prompt:] == ex.input_ids[n_prompt:]


def test_long_document_is_cut_never_the_answer(tok, schema):
    long = Record(id="long", text="filler words here. " * 200 + "Signed by Orion Labs.",
                  labels={"lessor": ["Orion Labs"], "lessee": [], "signing_date": []})
    fmt = ChatFormat(tok, schema, max_length=160)
    ex = fmt.encode(long)
    assert ex is not None and ex.truncated and len(ex.input_ids) <= 160
    answer = tok.decode([t for t in ex.labels if t != IGNORE])
    assert answer == answer_json(long.labels, schema) + tok.eos_token
    assert fmt.encode(long, "drop") is None
    enc = fmt.encode_all([long, Record(id="short", text="Hi.", labels=long.labels)], "truncate")
    assert enc.truncated == ["long"] and enc.dropped == [] and len(enc.examples) == 2
    enc = fmt.encode_all([long], "drop")
    assert enc.dropped == ["long"] and not enc.examples


def test_long_training_document_becomes_windows_labelled_with_their_values(tok, schema):
    long = Record(id="long", text="Signed by Orion Labs.\n\n" + "filler words here. " * 200
                  + "\n\nMade on May 1, 2020.",
                  labels={"lessor": ["Orion Labs"], "lessee": [], "signing_date": ["May 1, 2020"]})
    fmt = ChatFormat(tok, schema, max_length=160)
    enc = fmt.encode_all([long, Record(id="short", text="Hi.", labels=long.labels)])
    n = enc.windowed["long"]
    assert n > 3 and enc.truncated == [] and len(enc.examples) == n + 1
    answers = [json.loads(tok.decode([t for t in ex.labels if t != IGNORE]).removesuffix(
        tok.eos_token)) for ex in enc.examples[:n]]
    assert all(len(ex.input_ids) <= 160 for ex in enc.examples)
    assert answers[0]["lessor"] == ["Orion Labs"] and answers[0]["signing_date"] == []
    assert answers[-1]["signing_date"] == ["May 1, 2020"] and answers[-1]["lessor"] == []
    assert all(a == {"lessor": [], "lessee": [], "signing_date": []} for a in answers[1:-1])
    assert [ex.id for ex in enc.examples[:2]] == ["long#w1", "long#w2"]


def test_truncation_lists_the_gold_values_lost_with_the_cut_text(tok, schema):
    long = Record(id="long", text="Signed by Orion Labs. " + "filler words here. " * 200
                  + "Made on May 1, 2020.",
                  labels={"lessor": ["Orion Labs"], "lessee": [], "signing_date": ["May 1, 2020"]})
    enc = ChatFormat(tok, schema, max_length=160).encode_all([long], "truncate")
    assert enc.truncated == ["long"] and enc.lost == {"long": ["signing_date: May 1, 2020"]}


def test_hf_prompts_are_windows_that_fit_the_context(tok, schema, make_ctx):
    from leasebench_lora.extractor import HFExtractor

    ex = HFExtractor.from_dict({"max_length": 160, "max_new_tokens": 24})
    long = Record(id="long", text="Filler words here. More filler follows.\n\n" * 60)
    prompts, where = ex.prompts(tok, [long, Record(id="short", text="Hi.")], make_ctx())
    assert all(len(p) <= 160 - 24 for p in prompts)
    assert all(kept is None for *_, kept in where)  # nothing cut: windows fit whole
    windows = [w for i, w, _ in where if i == 0]
    assert len(windows) > 3 and windows[0].start == 0 and windows[-1].end == len(long.text)
    assert all(b.start <= a.end for a, b in itertools.pairwise(windows))
    assert [i for i, _, _ in where].count(1) == 1


def test_answer_that_cannot_fit_drops_the_sample(tok, schema, records):
    fmt = ChatFormat(tok, schema, max_length=20)
    enc = fmt.encode_all(records[:2])
    assert enc.dropped == ["d0", "d1"] and not enc.examples


def test_a_tokenizer_without_chat_template_is_refused(tok, schema):
    plain = load_tokenizer(tok.name_or_path)
    plain.chat_template = None
    with pytest.raises(ValueError, match="chat template"):
        ChatFormat(plain, schema)
