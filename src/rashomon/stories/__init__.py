"""Stage 4: stories — articles about the same event, grouped online as they arrive."""

from .cluster import ClusterParams, OnlineClusterer, Stats, Story
from .features import ArticleFeatures
from .incremental import UpdateReport, day_iso, stories_for_articles, update_stories
from .pipeline import build_features, cluster_records

__all__ = ["ClusterParams", "OnlineClusterer", "Stats", "Story", "ArticleFeatures", "build_features",
           "cluster_records", "UpdateReport", "update_stories", "stories_for_articles", "day_iso"]
