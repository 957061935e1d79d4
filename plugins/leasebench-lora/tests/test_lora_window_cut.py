"""A window the hf extractor still has to cut (token counts that do not add up): the
prediction says how much of the document the model saw."""

from __future__ import annotations

import pytest
from leasebench.chunking import Window
from leasebench.records import Record

from leasebench_lora.chat import ChatFormat
from leasebench_lora.extractor import HFExtractor
from leasebench_lora.modeling import load_tokenizer

LINE = "Filler words here. More filler follows.\n\n"


@pytest.fixture(scope="module")
def tok(tiny_base):
    return load_tokenizer(str(tiny_base))


def predict(tok, make_ctx, monkeypatch, doc: Record, windows: list[Window]):
    """The extractor's prompts for ``windows`` (as if ChatFormat had made them) and its
    prediction from a parseable answer per window."""
    monkeypatch.setattr(ChatFormat, "windows", lambda self, *a, **k: windows)
    ex = HFExtractor.from_dict({"max_length": 320, "max_new_tokens": 24})
    prompts, where = ex.prompts(tok, [doc], make_ctx())
    answers = [(j, '{"lessor": []}', len(p), 3, 0.1) for j, p in enumerate(prompts)]
    return ex.prediction(doc, answers, where, make_ctx()), [kept for *_, kept in where]


def test_a_cut_window_leaves_seen_chars_at_the_gap(tok, make_ctx, monkeypatch):
    text = LINE * 30
    half = len(text) // 2
    wide = [Window(0, 0, half, text[:half]), Window(1, half, len(text), text[half:])]
    pred, kept = predict(tok, make_ctx, monkeypatch, Record(id="d", text=text), wide)
    assert all(k is not None and 0 < k < half for k in kept)  # both windows cut
    assert pred.truncated and pred.chunks == 2
    assert pred.seen_chars == kept[0]  # the first window's head, then a gap


def test_a_cut_the_next_window_covers_loses_nothing(tok, make_ctx, monkeypatch):
    text = LINE * 10  # the prompt leaves room for about six lines
    doc = Record(id="d", text=text)
    whole = Window(0, 0, len(text), text)
    covered = 5 * len(LINE)
    pred, kept = predict(tok, make_ctx, monkeypatch, doc,
                         [whole, Window(1, covered, len(text), text[covered:])])
    assert kept[0] is not None and covered < kept[0] < 7 * len(LINE) and kept[1] is None
    assert not pred.truncated and pred.seen_chars == len(text) and pred.chunks == 2
    late = 7 * len(LINE)  # a second window that starts past the cut: a gap
    pred, kept = predict(tok, make_ctx, monkeypatch, doc,
                         [whole, Window(1, late, len(text), text[late:])])
    assert pred.truncated and pred.seen_chars == kept[0]
