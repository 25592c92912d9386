"""The batch engine: inputs as Dask tasks (or one process) → articles, readings and embeddings → stories."""

from .batch import BatchReport, run_batch
from .partitions import Partition, plan_partitions

__all__ = ["BatchReport", "run_batch", "Partition", "plan_partitions"]
