"""The Moral Bank's models: the ledger (ledger.py) and what is bought and done with credit
(catalogue.py: offers, redemptions, neighbour help)."""

from .catalogue import Help, HelpStatus, Offer, OfferKind, Redemption, RedemptionStatus
from .ledger import (
    DEFAULT_PERSONAL_CAP_HOURS,
    MAY_BE_NEGATIVE,
    Account,
    AccountKind,
    BankRules,
    Branch,
    BranchKind,
    Clerk,
    Entry,
    EntryKind,
    EntryStatus,
    Posting,
)

__all__ = [
    "DEFAULT_PERSONAL_CAP_HOURS",
    "MAY_BE_NEGATIVE",
    "Account",
    "AccountKind",
    "BankRules",
    "Branch",
    "BranchKind",
    "Clerk",
    "Entry",
    "EntryKind",
    "EntryStatus",
    "Help",
    "HelpStatus",
    "Offer",
    "OfferKind",
    "Posting",
    "Redemption",
    "RedemptionStatus",
]
