"""Cheap facts about a draft's text and context that decide whether a rule can fire at all.

Many rules can only find something when the draft holds a certain character or item: a BSN
needs a run of digits, an e-mail address an ``@``, an alt-text test an attached image. Rule
kinds name such features (``RuleKind.feature_gate``) and the engine skips the rule for drafts
without them. A draft's features are worked out once, as a bit mask, so that the rules that
remain possible for a kind of draft can be looked up instead of asked one by one.
"""

from __future__ import annotations

from civicpost.policy.analysis import Analysis

DIGIT = 1 << 0  # the text holds a digit (any script)
DIGIT_RUN = 1 << 1  # the text has a run of digits (Analysis.has_digit_run)
AT_SIGN = 1 << 2  # "@" in the text
HASH_SIGN = 1 << 3  # "#" in the text
HYPHEN = 1 << 4  # "-" in the text
FULL_STOP = 1 << 5  # "." in the text
NON_ASCII = 1 << 6  # the text holds a character outside ASCII
MEDIA = 1 << 7  # the draft has media attached
UNCONSENTED_COLLEAGUE = 1 << 8  # a colleague in the draft's context has not consented

FEATURE_BITS: dict[str, int] = {
    "digit": DIGIT,
    "digit-run": DIGIT_RUN,
    "at-sign": AT_SIGN,
    "hash-sign": HASH_SIGN,
    "hyphen": HYPHEN,
    "full-stop": FULL_STOP,
    "non-ascii": NON_ASCII,
    "media": MEDIA,
    "unconsented-colleague": UNCONSENTED_COLLEAGUE,
}


def feature_mask(analysis: Analysis) -> int:
    """The draft's features as a mask of ``FEATURE_BITS``."""
    text = analysis.text
    draft = analysis.draft
    mask = 0
    if analysis.has_digit():
        mask |= DIGIT
        if analysis.has_digit_run():
            mask |= DIGIT_RUN
    if "@" in text:
        mask |= AT_SIGN
    if "#" in text:
        mask |= HASH_SIGN
    if "-" in text:
        mask |= HYPHEN
    if "." in text:
        mask |= FULL_STOP
    if not text.isascii():
        mask |= NON_ASCII
    if draft.media:
        mask |= MEDIA
    if draft.colleagues and not all(c.consent for c in draft.colleagues):
        mask |= UNCONSENTED_COLLEAGUE
    return mask


def mask_of(names: frozenset[str]) -> int:
    """The mask of a set of feature names; an unknown name is a programming error."""
    mask = 0
    for name in names:
        bit = FEATURE_BITS.get(name)
        if bit is None:
            raise ValueError(f"unknown draft feature {name!r} (known: {', '.join(FEATURE_BITS)})")
        mask |= bit
    return mask
