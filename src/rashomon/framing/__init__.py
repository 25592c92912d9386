"""Stage 6: framing — quality signals, attribution profiles and outlet metadata per article."""

from .outlets import Outlet, OutletIndex, load_outlets
from .profile import attribution_profile
from .quality import FLAG_KINDS, boilerplate_spans, quality_flags
from .loaded import loaded_spans, sentence_loadedness
from .tone import actor_tone, article_tone

__all__ = ["FLAG_KINDS", "quality_flags", "boilerplate_spans", "attribution_profile", "Outlet", "OutletIndex",
           "load_outlets", "loaded_spans", "sentence_loadedness", "actor_tone", "article_tone"]
