"""Sentence spans of a parsed article and the offset → sentence lookup every extractor uses."""

from __future__ import annotations

from bisect import bisect_right

from .types import Sentence

__all__ = ["SentenceIndex"]


class SentenceIndex:
    """Sentences of a spaCy Doc as trimmed character spans, with ``of(offset)`` → sentence index."""

    def __init__(self, doc):
        self.sentences: list[Sentence] = []
        text = doc.text
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                self.sentences.append(Sentence(start, end))
        self._starts = [s.start for s in self.sentences]

    def of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (the nearest one before it), -1 if none."""
        return bisect_right(self._starts, offset) - 1 if self._starts else -1

    def __len__(self) -> int:
        return len(self.sentences)
