"""Language identification (py3langid: BSD-licensed, model shipped in the wheel)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["detect_language"]

_MIN_CHARS = 40


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability; ``("und", 0.0)`` when there is too little text to tell."""
    sample = text[:1500]  # accuracy is flat beyond ~1,000 characters; cost is linear
    if len(sample.strip()) < _MIN_CHARS:
        return "und", 0.0
    code, prob = _identifier().classify(sample)
    return code, round(float(prob), 3)
