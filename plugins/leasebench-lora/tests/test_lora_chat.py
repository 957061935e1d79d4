"""Chat formatting: assistant-only labels, schema-ordered JSON, the long-document policy."""

from __future__ import annotations

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


def test_answer_that_cannot_fit_drops_the_sample(tok, schema, records):
    fmt = ChatFormat(tok, schema, max_length=20)
    enc = fmt.encode_all(records[:2])
    assert enc.dropped == ["d0", "d1"] and not enc.examples


def test_a_tokenizer_without_chat_template_is_refused(tok, schema):
    plain = load_tokenizer(tok.name_or_path)
    plain.chat_template = None
    with pytest.raises(ValueError, match="chat template"):
        ChatFormat(plain, schema)
