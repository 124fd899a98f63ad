"""Canonical JSON and hashing: the bytes every fixity check is computed over.

Canonical means: keys sorted, no insignificant whitespace, UTF-8, no NaN. The same record
always gives the same bytes, in civicpost and in any other tool that follows these rules, so an
export can be verified without civicpost.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: dict[str, Any]) -> str:
    """The hash of a capture's content (normalised fields, raw payload, media digests)."""
    return sha256_hex(canonical_bytes(content))


def chain_hash(seq: int, kind: str, content_digest: str, previous: str) -> str:
    """Link a capture to the one before it: changing any record breaks every later link."""
    return sha256_hex(f"{seq}\n{kind}\n{content_digest}\n{previous}".encode("ascii"))


def merkle_root(leaves: list[str]) -> str:
    """Root of a binary Merkle tree over hex digests (the last one is paired with itself)."""
    if not leaves:
        return GENESIS
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [
            hashlib.sha256(a + b).digest() for a, b in zip(level[::2], level[1::2], strict=True)
        ]
    return level[0].hex()
