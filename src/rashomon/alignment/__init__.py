"""Stage 6: alignment — the same claim across sources, and what is established, disputed, single-source
or evolving."""

from .align import AlignParams, ClaimGroup, Link, align_and_link, align_claims
from .compare import KINDS, Context, Difference, compare_claims
from .story import StoryArticle, independence_key, judge_story
from .pipeline import story_claims, story_inputs

__all__ = ["AlignParams", "ClaimGroup", "Link", "align_and_link", "align_claims", "KINDS", "Context", "Difference",
           "compare_claims", "StoryArticle", "independence_key", "judge_story", "story_claims", "story_inputs"]
