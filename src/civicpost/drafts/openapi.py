"""The OpenAPI document of civicpost's API, built from the engine's own vocabularies.

Built, not hand-written, so the topics, levels, domains and channels it lists are always the
ones the engine uses; ``docs/openapi.json`` is the committed copy a test keeps current.
"""

from __future__ import annotations

import json
from typing import Any

from civicpost import __version__, channels
from civicpost import policy as engine


def _draft_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["text"],
        "properties": {
            "id": {"type": "string", "description": "Returned unchanged in the result."},
            "text": {"type": "string", "description": "The draft as the author wrote it."},
            "lang": {"type": "string", "enum": ["auto", "nl", "en"], "default": "auto"},
            "account": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["personal", "organisational"]},
                    "channel": {"type": "string", "enum": channels.ids()},
                    "handle": {"type": "string"},
                },
            },
            "author": {
                "type": "object",
                "properties": {
                    "role": {"type": "string"},
                    "unit": {"type": "string"},
                    "dossiers": {"type": "array", "items": {"type": "string"}},
                    "spokesperson": {"type": "boolean"},
                },
            },
            "colleagues": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "handle": {"type": "string"},
                        "consent": {"type": "boolean"},
                    },
                },
            },
            "media": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"kind": {"type": "string"}, "alt": {"type": "string"}},
                },
            },
            "date": {"type": "string", "format": "date"},
        },
    }


def _result_schema() -> dict[str, Any]:
    domains = list(engine.DOMAINS)
    return {
        "type": "object",
        "required": ["id", "language", "domain", "findings", "channels"],
        "properties": {
            "id": {"description": "The input's id, or null."},
            "language": {"type": "string", "enum": ["nl", "en"]},
            "domain": {
                "type": "object",
                "required": ["label", "scores", "evidence"],
                "properties": {
                    "label": {"type": "string", "enum": domains},
                    "scores": {
                        "type": "object",
                        "properties": {d: {"type": "number"} for d in domains},
                        "description": "Sum to 1.",
                    },
                    "evidence": {"type": "array", "items": {"type": "string"}},
                },
            },
            "findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "rule",
                        "topic",
                        "guideline",
                        "level",
                        "start",
                        "end",
                        "message",
                        "suggestion",
                        "source",
                    ],
                    "properties": {
                        "rule": {"type": "string", "example": "GCCO.PartyPolitics"},
                        "topic": {"type": "string", "enum": list(engine.TOPICS)},
                        "guideline": {"type": "string"},
                        "level": {"type": "string", "enum": list(engine.LEVELS)},
                        "start": {"type": "integer", "description": "Unicode code points."},
                        "end": {"type": "integer"},
                        "message": {"type": "string"},
                        "suggestion": {"type": "string"},
                        "source": {"type": "string"},
                    },
                },
            },
            "channels": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "channel": {"type": "string", "enum": channels.ids()},
                        "fit": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                },
            },
        },
    }


def document() -> dict[str, Any]:
    error = {
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"error": {"type": "string"}}}
            }
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "civicpost API",
            "version": __version__,
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
            "description": "Check drafts against the organisation's policy. Results are "
            "advice to the author and are never stored.",
        },
        "paths": {
            "/api/v1/check": {
                "post": {
                    "summary": "Check one draft, or a list of drafts",
                    "description": "Needs a logged-in session. A list returns a list in the "
                    "same order; an invalid item gives {index, error} in its place.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": "#/components/schemas/Draft"},
                                        {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Draft"},
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The check result(s).",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": "#/components/schemas/Result"},
                                            {"type": "array"},
                                        ]
                                    }
                                }
                            },
                        },
                        "400": {"description": "Invalid JSON or a draft without text.", **error},
                        "401": {"description": "Not logged in.", **error},
                        "413": {"description": "Request too large.", **error},
                    },
                }
            }
        },
        "components": {"schemas": {"Draft": _draft_schema(), "Result": _result_schema()}},
    }


def render() -> str:
    """The document as committed in docs/openapi.json."""
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
