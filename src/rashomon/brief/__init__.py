"""Stage 7: the brief — a neutral account of a story in which every sentence cites its source spans,
checked by a verifier — with the story's timeline, places and actor relations."""

from .atlas import story_places, story_relations
from .compose import compose_brief
from .timeline import story_timeline
from .verify import Problem, check_brief, checkable_items, verify_brief

__all__ = ["compose_brief", "story_places", "story_relations", "story_timeline", "verify_brief", "check_brief", "checkable_items", "Problem"]
