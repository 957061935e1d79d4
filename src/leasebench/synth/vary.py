"""Varying the text around the labels: bank paraphrases, headings, clause and sentence order.

Works on a document whose labelled spans are already replaced by opaque placeholders, so
nothing here can touch a label. Every change comes from the corpus' own phrase banks
(a provision sentence becomes another sentence of the same topic, with the document's role
words; a heading another title of its topic) or from the corpus' word-level paraphrases;
label-free sections swap places and sentences within label-free paragraphs are reordered.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from ..corpus.bank_commercial import COMMERCIAL
from ..corpus.bank_extra import CN_MORE, MORE, RESIDENTIAL_MORE
from ..corpus.bank_other import CN, GROUND, RESIDENTIAL, UK
from ..corpus.boilerplate import PARAPHRASES

PLACEHOLDER = re.compile("\ue000.\ue001")
_ROLE = re.compile(r"\{([LTPBN])\}")
_ROLE_RE = {"L": r"[A-Z][A-Za-z ]{1,30}?", "T": r"[A-Z][A-Za-z ]{1,30}?",
            "P": r"[A-Z][A-Za-z ]{1,30}?", "B": r"[A-Z][A-Za-z ]{1,30}?",
            "N": r"[a-z0-9() -]{3,40}?"}
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
_SENTENCE = re.compile(r"(?<=[a-z)]\.) (?=[A-Z])")
_HEADING = re.compile(
    r"^(?P<num>ARTICLE [IVXL\d]+\.?[ \n]|SECTION \d+\. |\d+\.0? )?"
    r"(?P<title>[A-Z][A-Za-z ,&'-]{2,60})$"
)
_SUBNUM = re.compile(r"^(?:Section )?(\d+)\.(\d+)")


def _fill_roles(template: str, roles: dict[str, str]) -> str:
    """``template`` with each ``{L}``-style role slot replaced by the document's words."""
    return _ROLE.sub(lambda r: roles[r.group(1)], template)


@lru_cache(maxsize=1)
def _topics() -> tuple[list[tuple[str, re.Pattern[str], tuple[str, ...]]], dict[str, list[str]]]:
    """(longest literal, regex, sibling templates) per bank sentence; titles by lower title."""
    sentences = []
    titles: dict[str, list[str]] = {}
    for bank in (COMMERCIAL, MORE, RESIDENTIAL_MORE, CN_MORE, RESIDENTIAL, UK, CN, GROUND):
        for heads, templates in bank.values():
            for head in heads:
                titles.setdefault(head.lower(), [h for h in heads if h != head])
            for t in templates:
                pieces = _ROLE.split(t)
                literal = max(pieces[::2], key=len)
                if len(literal) < 12:
                    continue
                seen: set[str] = set()
                pattern = ""
                for i, piece in enumerate(pieces):
                    if i % 2 == 0:
                        pattern += re.escape(piece)
                    elif piece in seen:
                        pattern += f"(?P={piece})"
                    else:
                        seen.add(piece)
                        pattern += f"(?P<{piece}>{_ROLE_RE[piece]})"
                others = tuple(o for o in templates if o != t)
                sentences.append((literal, re.compile(pattern), others))
    return sentences, titles


def rephrase(text: str, rng: random.Random, rate: float) -> str:
    """Provision sentences swapped, at ``rate``, for another of their topic in the banks."""
    sentences, _ = _topics()
    for literal, pattern, others in sentences:
        if literal not in text or not others:
            continue
        m = pattern.search(text)
        if m is None or rng.random() >= rate:
            continue
        roles = m.groupdict()
        usable = [o for o in others if set(_ROLE.findall(o)) <= set(roles)]
        if usable:
            new = _fill_roles(rng.choice(usable), roles)
            text = text[: m.start()] + new + text[m.end() :]
    return text


def paraphrase(text: str, rng: random.Random, rate: float) -> str:
    """The corpus' word-level paraphrases, each applied (either way round) at ``rate``."""
    for old, new in PARAPHRASES:
        if rng.random() < rate:
            text = text.replace(old, new) if rng.random() < 0.7 else text.replace(new, old)
    return text


def _retitle(paragraph: str, rng: random.Random) -> str:
    m = _HEADING.match(paragraph)
    if not m:
        return paragraph
    _, titles = _topics()
    title = m.group("title")
    others = titles.get(title.lower())
    if not others:
        return paragraph
    new = rng.choice(others)
    new = new.upper() if title.isupper() else new
    return paragraph[: m.start("title")] + new


def reorder(text: str, rng: random.Random, rate: float) -> str:
    """Headings retitled, label-free sections swapped, sentences of plain paragraphs shuffled."""
    paragraphs = _PARAGRAPHS.split(text)
    seps = _PARAGRAPHS.findall(text)
    heads = [i for i, p in enumerate(paragraphs) if _HEADING.match(p)]
    sections = list(zip(heads, [*heads[1:], len(paragraphs)][: len(heads)], strict=True))
    movable = [
        (a, b) for a, b in sections
        if b - a > 1 and not any(PLACEHOLDER.search(p) for p in paragraphs[a:b])
    ]
    out = list(paragraphs)
    if len(movable) > 2 and rng.random() < rate:
        order = movable[:]
        rng.shuffle(order)
        # each movable slot takes another section's title and body, keeping its own number
        rebuilt: dict[int, tuple[int, list[str]]] = {}
        for (a, b), (c, d) in zip(movable, order, strict=True):
            head, src = _HEADING.match(paragraphs[a]), _HEADING.match(paragraphs[c])
            assert head is not None and src is not None
            number = head.group("num") or ""
            body = _renumber(
                paragraphs[c + 1 : d], _section_number(src.group("num")), _section_number(number)
            )
            rebuilt[a] = (b, [number + src.group("title"), *body])
        out, i = [], 0
        while i < len(paragraphs):
            if i in rebuilt:
                out.extend(rebuilt[i][1])
                i = rebuilt[i][0]
            else:
                out.append(paragraphs[i])
                i += 1
    result = []
    for p in out:
        if rng.random() < rate:
            p = _retitle(p, rng)
        if not PLACEHOLDER.search(p) and rng.random() < rate:
            parts = _SENTENCE.split(p)
            if len(parts) > 2:
                i, j = rng.sample(range(len(parts)), 2)
                parts[i], parts[j] = parts[j], parts[i]
                p = " ".join(parts)
        result.append(p)
    return "".join(p + (seps[k] if k < len(seps) else "") for k, p in enumerate(result))


def _renumber(body: list[str], old: str, new: str) -> list[str]:
    """Subsection numbers ``old.k`` at paragraph starts become ``new.k``."""
    if not old or not new or old == new:
        return body

    def sub(m: re.Match[str]) -> str:
        return m.group().replace(m.group(1), new, 1) if m.group(1) == old else m.group()

    return [_SUBNUM.sub(sub, p) for p in body]


def _section_number(num: str | None) -> str:
    m = re.search(r"\d+", num or "")
    return m.group() if m else ""


def vary(text: str, rng: random.Random, rate: float) -> str:
    """All of the above at ``rate`` (0 leaves the text as it is)."""
    if rate <= 0:
        return text
    text = rephrase(text, rng, rate)
    text = paraphrase(text, rng, rate / 2)
    return reorder(text, rng, rate)


__all__ = ["PLACEHOLDER", "paraphrase", "reorder", "rephrase", "vary"]
