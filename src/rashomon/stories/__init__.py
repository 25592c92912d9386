"""Stage 4: stories — articles about the same event, grouped online as they arrive."""

from .cluster import ClusterParams, OnlineClusterer, Story
from .features import ArticleFeatures
from .pipeline import build_features, cluster_records, group_articles

__all__ = ["ClusterParams", "OnlineClusterer", "Story", "ArticleFeatures", "build_features", "cluster_records",
           "group_articles"]
