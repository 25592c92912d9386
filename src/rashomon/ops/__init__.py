"""Operations: the health check (``rashomon doctor``) and how the CLI sets up logging."""

from .doctor import Check, run_checks
from .logs import JsonFormatter, configure_logging

__all__ = ["Check", "run_checks", "JsonFormatter", "configure_logging"]
