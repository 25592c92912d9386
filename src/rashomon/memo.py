"""A bounded, thread-safe map that forgets what was least recently used.

Work that depends only on its input (a text's vector, an article's claims, a text's parse) is
kept in memory so that judging a story again after one article joins redoes only that article.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Generic, Hashable, TypeVar

__all__ = ["Memo", "digest"]

V = TypeVar("V")


def digest(*parts: str) -> bytes:
    """A 16-byte key for texts too long to keep as keys themselves."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.digest()


class Memo(Generic[V]):
    def __init__(self, size: int):
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError(f"a memo's size must be a whole number >= 0, got {size!r}")
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
