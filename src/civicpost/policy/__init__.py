"""civicpost.policy: check social-media drafts against government guidance.

Pure Python, no web framework: ``load_policy`` reads the YAML policy packs, ``check`` runs them
on one draft and returns findings, the draft's domain and channel advice (DESIGN §4).
"""

from civicpost.policy.channels import CHANNELS, ChannelLimits
from civicpost.policy.engine import check, check_many
from civicpost.policy.errors import InputError, PolicyError, PolicyProblem
from civicpost.policy.evaluate import EvaluationReport, evaluate
from civicpost.policy.explain import explain, render_explanation
from civicpost.policy.loader import load_policy, validate_policy
from civicpost.policy.model import DOMAINS, LEVELS, TOPICS, Policy, Rule
from civicpost.policy.report import render_text

__all__ = [
    "CHANNELS",
    "DOMAINS",
    "LEVELS",
    "TOPICS",
    "ChannelLimits",
    "EvaluationReport",
    "InputError",
    "Policy",
    "PolicyError",
    "PolicyProblem",
    "Rule",
    "check",
    "check_many",
    "evaluate",
    "explain",
    "load_policy",
    "render_explanation",
    "render_text",
    "validate_policy",
]
