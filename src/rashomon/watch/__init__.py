"""``rashomon watch``: poll feeds politely and keep the stories up to date, recording what changed."""

from .changes import CHANGE_KINDS, change_counts, changes_since, conflict_key, describe_counts
from .feedlist import read_feed_list
from .loop import FeedReport, WatchReport, run_watch
from .state import FeedState, load_feed_states

__all__ = ["CHANGE_KINDS", "change_counts", "changes_since", "conflict_key", "describe_counts", "read_feed_list",
           "FeedReport", "WatchReport", "run_watch", "FeedState", "load_feed_states"]
