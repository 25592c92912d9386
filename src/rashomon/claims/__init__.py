"""Stage 4: atomic claims with slots (who, did what, to whom, where, when, how many, said by whom)
and the character span of the article that is their evidence."""

from __future__ import annotations

from .extract import ClaimInput, extract_claims, extract_claims_many
from .types import (Claim, ClaimActor, ClaimAttribution, ClaimPlace, ClaimQuantity, ClaimTime, ROLES,
                    SPLITS, claim_id)

__all__ = ["Claim", "ClaimActor", "ClaimAttribution", "ClaimPlace", "ClaimQuantity", "ClaimTime", "ClaimInput",
           "ROLES", "SPLITS", "claim_id", "extract_claims", "extract_claims_many"]
