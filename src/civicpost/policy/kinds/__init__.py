"""The rule kinds. Importing this package registers the built-in kinds."""

from civicpost.policy.kinds import (  # noqa: F401  (imported to register the kinds)
    classifier,
    condition,
    existence,
    follows,
    learned,
    occurrence,
    recognizer,
    substitution,
)
from civicpost.policy.kinds.base import KINDS, RuleKind, register

__all__ = ["KINDS", "RuleKind", "register"]
