"""The one exception hierarchy of Rashomon.

Every error a user can meet derives from :class:`RashomonError`. Messages say what
happened, what was expected and how to fix it.

    RashomonError
    ├── ConfigError          bad setting, flag or field mapping
    │   └── NotFound             an id asked for (story, article) is not in the store
    ├── StoreError           the database cannot be opened, migrated or written
    ├── InputError           one input (file, record, URL) cannot become an article
    │   ├── UnsupportedInput     binary, archive or unknown format
    │   ├── DecodeError          bytes that are not text in any encoding we try
    │   ├── TooLarge             over a size limit
    │   ├── NoArticle            parsed fine, but holds no article text
    │   ├── MalformedInput       broken JSON/CSV/XML/WARC
    │   ├── UnsafeInput          hostile XML (entity expansion, external entities)
    │   └── FetchError           HTTP failure, timeout, robots.txt refusal
    │       └── HTTPStatusError      the server answered 4xx/5xx (status and headers kept)
    ├── OutputError          a document fails the JSON Schema or cannot be written
    ├── EvaluationError      an evaluation cannot run on the data or system given
    │   └── ClusteringEvalError
    ├── ClaimError           an article's stored analysis does not fit its text, so no claims
    ├── BriefError           a brief says something its cited spans do not (the verifier's verdict)
    └── TimelineError        a story's readings cannot make a timeline (offsets outside the article)
"""

from __future__ import annotations

__all__ = [
    "RashomonError",
    "ConfigError",
    "NotFound",
    "StoreError",
    "InputError",
    "UnsupportedInput",
    "DecodeError",
    "TooLarge",
    "NoArticle",
    "MalformedInput",
    "UnsafeInput",
    "FetchError",
    "HTTPStatusError",
    "OutputError",
    "EvaluationError",
    "ClusteringEvalError",
    "ClaimError",
    "BriefError",
    "TimelineError",
]


class RashomonError(Exception):
    """Base class of every error Rashomon raises on purpose."""


class ConfigError(RashomonError):
    """A setting, command-line flag or field mapping is invalid."""


class NotFound(ConfigError):
    """An id given by the user (a story, an article) names nothing in the store."""


class StoreError(RashomonError):
    """The article store cannot be opened, migrated or written."""


class InputError(RashomonError):
    """One input cannot be turned into an article; the others go on.

    ``input`` names the file, URL or record (``file.jsonl:17``) and ``reason`` says
    why, in words a user can act on.
    """

    kind = "input"

    def __init__(self, input: str, reason: str):
        super().__init__(f"{input}: {reason}")
        self.input = input
        self.reason = reason


class UnsupportedInput(InputError):
    kind = "unsupported"


class DecodeError(InputError):
    kind = "decode"


class TooLarge(InputError):
    kind = "too_large"


class NoArticle(InputError):
    kind = "no_article"


class MalformedInput(InputError):
    kind = "malformed"


class UnsafeInput(InputError):
    kind = "unsafe"


class FetchError(InputError):
    kind = "fetch"


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``headers`` (lower-case names) let a caller honour
    ``Retry-After``. ``status`` may be None when an error is re-raised with a new message as
    ``type(exc)(input, reason)``."""

    def __init__(self, input: str, reason: str, *, status: int | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(input, reason)
        self.status = status
        self.headers = dict(headers or {})


class OutputError(RashomonError):
    """An output document is invalid or cannot be written."""


class EvaluationError(RashomonError):
    """An evaluation cannot run: missing or malformed evaluation data, a bad system name."""


class ClusteringEvalError(EvaluationError):
    """The clustering evaluation cannot run: bad labels from a system, an empty file, a bad system name."""


class ClaimError(RashomonError):
    """Claims cannot be extracted: the analysis given does not belong to the article text given."""


class BriefError(RashomonError):
    """A composed brief failed verification: a number, date, name or quotation is in no span it cites."""


class TimelineError(RashomonError):
    """A story's readings cannot make a timeline: a reading without dates or sentences, an offset
    outside its article."""
