"""Stage 6: framing — actor labels per source, loaded language, tone, quality signals, attribution, outlets."""

from .outlets import Outlet, OutletIndex, load_outlets
from .profile import attribution_profile
from .quality import FLAG_KINDS, boilerplate_spans, quality_flags
from .loaded import loaded_spans, sentence_loadedness
from .tone import actor_tone, article_tone
from .labels import LabelInput, StoryActor, story_actors
from .story import article_framing, story_framing

__all__ = ["FLAG_KINDS", "quality_flags", "boilerplate_spans", "attribution_profile", "Outlet", "OutletIndex",
           "load_outlets", "loaded_spans", "sentence_loadedness", "actor_tone", "article_tone",
           "LabelInput", "StoryActor", "story_actors", "article_framing", "story_framing"]
