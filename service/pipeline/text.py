"""Sentences and word tokens of a normalized article, with their character offsets."""

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "lieut",
        "col",
        "maj",
        "capt",
        "adm",
        "brig",
        "sen",
        "rep",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "h.e",
        "h.m",
        "h.r.h",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "hon",
        "rt",
        "jr",
        "sr",
        "co",
        "corp",
        "inc",
        "ltd",
        "snr",
        "pol",
    ]
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-ZÀ-Ỹ0-9])|\n+")
_WORD_RE = re.compile(r"(?:[A-ZÀ-Ỹ]\.){1,4}|[^\W\d_](?:[\w'’-]*\w)?|\d[\d,.:/-]*\w*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the text: where it starts and ends, and its paragraph index."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text with its offsets."""

    start: int
    end: int
    text: str


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Split ``text[start:]`` into sentences, keeping absolute offsets."""
    sentences: list[Sentence] = []
    paragraph = 0
    begin = start
    for match in _SENTENCE_END_RE.finditer(text, start):
        if match.group().startswith("\n"):
            end = match.start()
        else:
            word_start = text.rfind(" ", begin, match.start()) + 1
            word = text[max(word_start, begin) : match.start()].lower().lstrip("(\"'")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
                continue
            end = match.end()
        _add(sentences, text, begin, end, paragraph)
        if match.group().startswith("\n") and match.group().count("\n") >= 1:
            paragraph += 1
        begin = match.end()
    _add(sentences, text, begin, len(text), paragraph)
    return sentences


def _add(sentences: list[Sentence], text: str, begin: int, end: int, paragraph: int) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if end > begin:
        sentences.append(Sentence(begin, end, text[begin:end], paragraph))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens of ``text`` with offsets shifted by ``offset``; initials keep their dots."""
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _WORD_RE.finditer(text)]
