"""Windows over long documents, the merge rule, and value spans."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leasebench.chunking import (
    MIN_WINDOW_TOKENS,
    context_tokens,
    merge_answers,
    split_windows,
    window_budget,
)
from leasebench.errors import DataError
from leasebench.records import Prediction
from leasebench.spans import Grounder


def lease(paragraphs: int, tail: str = "") -> str:
    body = [
        f"Section {i}. The Tenant shall keep the premises in good repair. Rent is due on "
        f"the first day of each month. Clause {i} applies to all parties."
        for i in range(paragraphs)
    ]
    return "\n\n".join(body + ([tail] if tail else []))


def test_a_short_document_is_one_window() -> None:
    text = lease(2)
    assert split_windows(text, 10_000) == [split_windows(text, 10_000)[0]]
    assert split_windows(text, 10_000)[0].text == text


def test_windows_fit_cover_and_end_on_paragraphs() -> None:
    text = lease(40, "The Lessor is Zebra Holdings LLC.")
    windows = split_windows(text, 120, overlap=20)
    assert len(windows) > 5
    covered = set()
    for w in windows:
        assert w.text == text[w.start:w.end]
        assert context_tokens(w.text) <= 120
        covered.update(range(w.start, w.end))
    assert covered == set(range(len(text)))
    inner = windows[:-1]
    assert sum(w.text.endswith("\n\n") for w in inner) >= len(inner) - 1
    assert all(b.start < a.end for a, b in itertools.pairwise(windows)), "windows overlap"
    assert all(b.start > a.start for a, b in itertools.pairwise(windows)), "windows advance"


def test_a_sentence_longer_than_a_window_is_cut_between_words_then_anywhere() -> None:
    words = " ".join(f"word{i}" for i in range(400))
    windows = split_windows(words, 40)
    assert all(w.text.endswith(" ") for w in windows[:-1])
    assert "".join(w.text for w in windows) == words
    blob = "x" * 1000
    assert "".join(w.text for w in split_windows(blob, 40)) == blob


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=600), st.integers(1, 60),
       st.integers(0, 30))
def test_windows_always_cover_the_text_within_budget(text: str, budget: int, overlap: int) -> None:
    windows = split_windows(text, budget, overlap=overlap)
    assert windows[0].start == 0 and windows[-1].end == len(text)
    for a, b in itertools.pairwise(windows):
        assert a.start < b.start <= a.end
    if len(windows) > 1:
        assert all(context_tokens(w.text) <= budget for w in windows)


def test_budget_counts_prompt_examples_and_answer() -> None:
    assert window_budget(8192, 1000, 500) == 6692
    assert window_budget(8192, 1000, 500, chunk_tokens=300) == 300
    with pytest.raises(DataError, match="leaves 0 for the document"):
        window_budget(8192, 7900, 1024, what="extractor 'llm'")
    assert window_budget(1000, 0, 1000 - MIN_WINDOW_TOKENS) == MIN_WINDOW_TOKENS


def test_merge_takes_the_first_grounded_value_in_document_order() -> None:
    text = lease(30, "The Lessor is Zebra Holdings LLC.")
    windows = split_windows(text, 150)
    answers: list[dict[str, list[str]] | None] = [{"lessor": []} for _ in windows]
    answers[0] = {"lessor": ["Invented Corp"], "lessee": ["the Tenant"]}  # not in window 0
    answers[1] = None  # did not parse
    answers[-1] = {"lessor": ["Zebra Holdings LLC"], "lessee": ["Other"]}
    merged = merge_answers(windows, answers, ["lessor", "lessee", "use"], text)
    assert merged == {"lessor": ["Zebra Holdings LLC"], "lessee": ["the Tenant"], "use": []}
    # nothing grounded anywhere: the first window that said something
    answers = [{"lessor": ["A"]}, {"lessor": ["B"]}] + [{} for _ in windows[2:]]
    assert merge_answers(windows, answers, ["lessor"], text) == {"lessor": ["A"]}


def test_union_merge_keeps_every_grounded_value_once() -> None:
    text = lease(30, "Co-tenant: Beta Ltd. and Gamma Inc.")
    windows = split_windows(text, 150)
    answers = [{"lessee": ["the Tenant", "Ghost"]} for _ in windows]
    answers[-1] = {"lessee": ["Beta Ltd.", "the tenant", "Gamma Inc."]}
    merged = merge_answers(windows, answers, ["lessee"], text, rule="union")
    assert merged == {"lessee": ["the Tenant", "Beta Ltd.", "Gamma Inc."]}


def test_spans_exact_normalized_fuzzy_and_missing() -> None:
    text = "The Lessor, ACME  Holdings, Inc., and the Lessee.\n\nRent: $1,200.00 per month"
    g = Grounder(text)
    assert g.find("$1,200.00") == (57, 66, "exact")
    start, end, how = g.find("acme holdings inc")  # type: ignore[misc]
    assert (how, text[start:end]) == ("normalized", "ACME  Holdings, Inc")
    start, end, how = g.find("Acme Holding Inc")  # type: ignore[misc]
    assert (how, text[start:end]) == ("fuzzy", "ACME  Holdings, Inc")
    assert g.find("Zebra Logistics") is None
    assert g.find("   ") is None
    assert g.seen("Lessor", 20) is True and g.seen("Rent", 20) is False
    assert g.seen("Zebra Logistics", 20) is None


def test_spans_prefer_the_window_searched() -> None:
    text = "Rent is due. " * 3 + "\n\nRent is due."
    g = Grounder(text)
    assert g.find("Rent", 40)[0] == text.index("Rent", 40)  # type: ignore[index]
    assert g.find("Rent", 0, 3) == (0, 4, "exact")  # not inside [0, 3): the whole text


def test_prediction_fields_are_optional_in_stored_json() -> None:
    old = '{"id": "a", "fields": {"x": ["y"]}}'
    p = Prediction.model_validate_json(old)
    assert (p.chunks, p.truncated, p.seen_chars, p.spans) == (1, False, None, {})
    assert "chunks" not in p.model_dump_json()
    p = Prediction(id="a", chunks=3, truncated=True, seen_chars=10,
                   spans={"x": [(1, 2, "exact"), None]})
    back = Prediction.model_validate_json(p.model_dump_json())
    assert back == p


def test_seen_prefix_stops_at_the_first_text_no_window_showed() -> None:
    from leasebench.chunking import Window
    from leasebench.window_answers import seen_prefix

    a, b, c = Window(0, 0, 50, ""), Window(1, 40, 90, ""), Window(2, 80, 100, "")
    assert seen_prefix([a, b, c], [None, None, None], 100) == 100
    assert seen_prefix([a, b, c], [45, None, None], 100) == 100  # the overlap holds the cut
    assert seen_prefix([a, b, c], [None, 30, None], 100) == 70  # 70-80 seen by no window
    assert seen_prefix([a, b, c], [None, None, 5], 100) == 90
    assert seen_prefix([Window(0, 0, 100, "")], [64], 100) == 64
