"""Loading and validating policy packs (YAML), reporting every problem with file and line.

The built-in packs live in ``policies/<pack>/``: an optional ``pack.yaml`` (term lists) and
rule files (``*.yml``, one rule per document or a list of rules). An organisation folder has
a ``pack.yaml`` that ``extends`` built-in packs and may add term lists, a calendar of
sensitive periods, overrides, disabled rules, and rule files of its own (same id: replaces).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from civicpost.policy.domain_model import DOMAINS_FILE, read_domain_model
from civicpost.policy.errors import PolicyError, PolicyProblem
from civicpost.policy.kinds import KINDS
from civicpost.policy.kinds.base import RuleSpec
from civicpost.policy.model import (
    ACCOUNT_KINDS,
    DOMAINS,
    GUIDELINES,
    LANGUAGES,
    LEVEL_RANK,
    LEVELS,
    TOPIC_GUIDELINES,
    Condition,
    Policy,
    Rule,
    SensitivePeriod,
)
from civicpost.policy.terms import TermIndex
from civicpost.policy.yamlnodes import NodeMap, compose_documents, line_of

BUILTIN_DIR = Path(__file__).parent / "policies"
PACK_FILE = "pack.yaml"

COMMON_KEYS = {
    "id": "Pack.RuleName",
    "kind": "the rule kind",
    "topic": "one of the topics",
    "guideline": "GCCO-1..4, BL-A..C or ACC (default: the topic's guideline)",
    "level": "suggestion, warning or error",
    "levels": "level per account kind (personal, organisational)",
    "message": "{nl: ..., en: ...}; {match} and other values are filled in",
    "suggestion": "{nl: ..., en: ...}",
    "source": "{id: R-NL-01, url: ...}",
    "when": "context conditions",
    "description": "free text for policy authors",
}
WHEN_KEYS = {
    "account": "personal or organisational",
    "channel": "a channel id or a list of them",
    "spokesperson": "true or false",
    "domain": "a domain or a list of domains",
    "sensitive_period": "true inside a period of the calendar",
    "dossier_overlap": "true when the draft touches the author's dossiers",
    "language": "nl or en",
    "urgent": "true for safety or urgent information",
    "closed_channel": "true when posting to a closed platform",
    "formal_announcement": "true for a formal announcement by the organisation",
    "has_link": "true when the draft contains a link",
    "open_link": "true when a link leads to an open web page, not a closed platform",
}
PACK_KEYS = {
    "name",
    "description",
    "extends",
    "lists",
    "topics",
    "calendar",
    "disable",
    "overrides",
}
OVERRIDE_KEYS = {"level", "levels", "message", "suggestion", "when", "guideline"}
RULE_ID = re.compile(r"^[A-Za-z][\w-]*\.[A-Za-z][\w-]*$")


@dataclass
class _Build:
    """State while loading: problems, lists, topics, calendar, rules."""

    problems: list[PolicyProblem] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=lambda: dict(TOPIC_GUIDELINES))
    calendar: list[SensitivePeriod] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def problem(self, file: Path | str, line: int, message: str) -> None:
        self.problems.append(PolicyProblem(str(file), line, message))


def _read_nodes(path: Path, build: _Build) -> list[MappingNode]:
    """The rule mappings of a YAML file (documents or lists of mappings)."""
    try:
        documents = compose_documents(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        build.problem(path, line, f"invalid YAML: {exc.problem or exc}")
        return []
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        build.problem(path, 1, f"cannot read: {exc}")
        return []
    mappings: list[MappingNode] = []
    for document in documents:
        items = document.value if isinstance(document, SequenceNode) else [document]
        for item in items:
            if isinstance(item, MappingNode):
                mappings.append(item)
            else:
                build.problem(path, line_of(item), "a rule must be a mapping of keys to values")
    return mappings


# -- pack.yaml ---------------------------------------------------------------------------


def _read_pack(path: Path, build: _Build, organisation: bool) -> NodeMap | None:
    nodes = _read_nodes(path, build)
    if not nodes:
        return None
    pack = NodeMap(nodes[0])
    for key in pack.key_names():
        if key not in PACK_KEYS:
            allowed = ", ".join(sorted(PACK_KEYS))
            build.problem(path, pack.key_line(key), f"unknown key '{key}' (allowed: {allowed})")
    lists = pack.sub("lists")
    if lists is None and "lists" in pack:
        build.problem(path, pack.value_line("lists"), "'lists' must map list names to terms")
    if lists is not None:
        for name in lists.key_names():
            values = lists.items_with_lines(name)
            bucket = build.lists.setdefault(name, [])
            for value, line in values:
                if (
                    isinstance(value, str | int)
                    and not isinstance(value, bool)
                    and str(value).strip()
                ):
                    bucket.append(str(value))
                else:
                    build.problem(path, line, f"list '{name}': terms must be texts, not {value!r}")
    topics = pack.sub("topics")
    if topics is not None:
        for name in topics.key_names():
            guideline = topics.get(name)
            if guideline not in GUIDELINES:
                build.problem(
                    path,
                    topics.value_line(name),
                    f"topic '{name}': unknown guideline {guideline!r}",
                )
            else:
                build.topics[name] = str(guideline)
    for value, line in pack.items_with_lines("calendar"):
        _read_period(path, value, line, build)
    if not organisation:
        for key in ("disable", "overrides", "extends", "calendar"):
            if key in pack:
                build.problem(path, pack.key_line(key), f"'{key}' belongs in an organisation pack")
    return pack


def _read_period(path: Path, value: Any, line: int, build: _Build) -> None:
    if not isinstance(value, dict) or set(value) - {"name", "start", "end"}:
        build.problem(path, line, "a calendar entry needs exactly name, start and end")
        return
    start, end, name = value.get("start"), value.get("end"), value.get("name")
    if not isinstance(name, str) or not name.strip():
        build.problem(path, line, "a calendar entry needs a name")
        return
    dates: list[dt.date] = []
    for label, raw in (("start", start), ("end", end)):
        if isinstance(raw, dt.date):
            dates.append(raw)
            continue
        try:
            dates.append(dt.date.fromisoformat(str(raw)))
        except ValueError:
            build.problem(
                path, line, f"calendar '{name}': {label} {raw!r} is not a date (YYYY-MM-DD)"
            )
            return
    if dates[0] > dates[1]:
        build.problem(path, line, f"calendar '{name}': start is after end")
        return
    build.calendar.append(SensitivePeriod(name, dates[0], dates[1]))


# -- rules -------------------------------------------------------------------------------


def _texts(spec: RuleSpec, key: str, required: bool) -> dict[str, str]:
    if key not in spec.fields:
        if required:
            spec.problem(spec.fields.line, f"missing '{key}'")
        return {}
    texts = spec.language_map(spec.fields.get(key), spec.fields.value_line(key), key) or {}
    missing = [lang for lang in LANGUAGES if not texts.get(lang, "").strip()]
    if texts and missing and required:
        spec.problem(spec.fields.value_line(key), f"'{key}' needs a text for {', '.join(missing)}")
    return texts


def _condition(spec: RuleSpec, node_map: NodeMap | None) -> tuple[Condition, dict[str, Any]]:
    if node_map is None:
        return Condition(), {}
    raw: dict[str, Any] = {}
    values: dict[str, Any] = {}
    bools = {"spokesperson", "sensitive_period", "dossier_overlap", "urgent", "closed_channel"}
    bools |= {"formal_announcement", "has_link", "open_link"}
    for key in node_map.key_names():
        value = node_map.get(key)
        line = node_map.value_line(key)
        raw[key] = value
        if key not in WHEN_KEYS:
            allowed = ", ".join(sorted(WHEN_KEYS))
            spec.problem(node_map.key_line(key), f"unknown condition '{key}' (allowed: {allowed})")
        elif key in bools:
            if not isinstance(value, bool):
                spec.problem(line, f"condition '{key}' must be true or false")
            else:
                values[key] = value
        elif key == "account":
            if value not in ACCOUNT_KINDS:
                spec.problem(line, f"condition 'account' must be one of {', '.join(ACCOUNT_KINDS)}")
            else:
                values[key] = value
        elif key == "language":
            if value not in LANGUAGES:
                spec.problem(line, "condition 'language' must be nl or en")
            else:
                values[key] = value
        else:
            items = value if isinstance(value, list) else [value]
            if key == "domain" and any(item not in DOMAINS for item in items):
                spec.problem(line, f"condition 'domain' must be among {', '.join(DOMAINS)}")
            elif not all(isinstance(item, str) for item in items):
                spec.problem(line, f"condition '{key}' must be a text or a list of texts")
            else:
                values["domains" if key == "domain" else "channels"] = tuple(items)
    return Condition(**values), raw


def _levels(spec: RuleSpec, where: NodeMap) -> dict[str, str]:
    node_map = where.sub("levels")
    if node_map is None:
        if "levels" in where:
            spec.problem(where.value_line("levels"), "'levels' must map account kinds to levels")
        return {}
    levels: dict[str, str] = {}
    for key in node_map.key_names():
        value = node_map.get(key)
        if key not in ACCOUNT_KINDS:
            spec.problem(node_map.key_line(key), f"'levels': unknown account kind '{key}'")
        elif value not in LEVELS:
            spec.problem(
                node_map.value_line(key),
                f"unknown level {value!r} (use one of {', '.join(LEVELS)})",
            )
        else:
            levels[key] = str(value)
    return levels


def _check_level_cap(
    spec: RuleSpec, highest: str, fields: NodeMap, level: str, levels: dict[str, str]
) -> None:
    """A rule's level (and per-account levels) may not exceed what its kind allows."""
    cap = LEVEL_RANK[highest]
    for key, value in (("level", level), *((f"levels.{k}", v) for k, v in levels.items())):
        if value in LEVEL_RANK and LEVEL_RANK[value] > cap:
            line = fields.value_line(key.split(".")[0])
            spec.problem(line, f"'{key}' may be {highest} at most for this kind of rule")


def _compile_rule(node: MappingNode, path: Path, build: _Build, terms: TermIndex) -> Rule | None:
    fields = NodeMap(node)
    rule_id = fields.get("id")
    label = rule_id if isinstance(rule_id, str) else "rule"
    spec = RuleSpec(label, str(path), fields, terms, set(build.lists), build.problems)
    for key, line in fields.duplicates:
        spec.problem(line, f"key '{key}' appears twice")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        spec.problem(fields.value_line("id"), f"'id' must look like Pack.RuleName, not {rule_id!r}")
    kind_name = fields.get("kind")
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        known = ", ".join(sorted(KINDS))
        spec.problem(fields.value_line("kind"), f"unknown kind {kind_name!r} (known: {known})")
    else:
        for key in fields.key_names():
            if key not in COMMON_KEYS and key not in kind.keys:
                allowed = ", ".join(sorted({*COMMON_KEYS, *kind.keys}))
                spec.problem(fields.key_line(key), f"unknown key '{key}' (allowed: {allowed})")
    topic = fields.get("topic")
    if topic not in build.topics:
        spec.problem(fields.value_line("topic"), f"unknown topic {topic!r}")
    guideline = fields.get("guideline", build.topics.get(str(topic), "GCCO-1"))
    if guideline not in GUIDELINES:
        spec.problem(fields.value_line("guideline"), f"unknown guideline {guideline!r}")
    level = fields.get("level")
    if level not in LEVELS:
        spec.problem(
            fields.value_line("level"), f"unknown level {level!r} (use one of {', '.join(LEVELS)})"
        )
    levels = _levels(spec, fields)
    message = _texts(spec, "message", required=True)
    suggestion = _texts(spec, "suggestion", required=False)
    source = fields.get("source", {})
    if isinstance(source, str):
        source = {"id": source}
    if not isinstance(source, dict) or set(source) - {"id", "url"}:
        spec.problem(fields.value_line("source"), "'source' must be {id: ..., url: ...}")
        source = {}
    when_map = fields.sub("when")
    if when_map is None and "when" in fields:
        spec.problem(fields.value_line("when"), "'when' must be a mapping of conditions")
    when, when_raw = _condition(spec, when_map)
    if kind is not None:
        _check_level_cap(spec, kind.highest_level, fields, str(level), levels)
    errors_before = len(build.problems)
    logic = kind.compile(spec) if kind is not None else None
    if logic is None or len(build.problems) > errors_before or not isinstance(rule_id, str):
        return None
    return Rule(
        id=rule_id,
        kind=str(kind_name),
        topic=str(topic),
        guideline=str(guideline),
        level=str(level),
        levels=levels,
        message=message,
        suggestion=suggestion,
        source_id=str(source.get("id", "")),
        source_url=str(source.get("url", "")),
        when=when,
        when_raw=when_raw,
        file=str(path),
        line=fields.line,
        logic=logic,
        raw={k: fields.get(k) for k in fields.key_names()},
    )


def _rule_files(folder: Path) -> list[Path]:
    files = [*folder.glob("*.yml"), *folder.glob("*.yaml")]
    return sorted(p for p in files if p.name not in (PACK_FILE, DOMAINS_FILE))


def _load_rules(folder: Path, build: _Build, terms: TermIndex) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in _rule_files(folder):
        build.files.append(str(path))
        for node in _read_nodes(path, build):
            rule = _compile_rule(node, path, build, terms)
            if rule is None:
                continue
            if rule.id in seen:
                build.problem(path, rule.line, f"{rule.id}: id already used in {seen[rule.id]}")
                continue
            seen[rule.id] = f"{path.name}:{rule.line}"
            rules.append(rule)
    return rules


# -- packs and organisation folders ----------------------------------------------------------


def builtin_packs() -> list[str]:
    """Names of the built-in packs, in load order."""
    return sorted(
        p.name for p in BUILTIN_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")
    )


def _extends(pack_path: Path, build: _Build) -> list[str]:
    available = builtin_packs()
    nodes = _read_nodes(pack_path, _Build()) if pack_path.is_file() else []
    if not nodes:
        return available
    pack = NodeMap(nodes[0])
    if "extends" not in pack:
        return available
    names: list[str] = []
    for value, line in pack.items_with_lines("extends"):
        if value == "default":
            names.extend(available)
        elif value in available:
            names.append(str(value))
        elif value not in (None, "none"):
            build.problem(
                pack_path,
                line,
                f"unknown pack {value!r} in 'extends' (known: default, {', '.join(available)})",
            )
    return list(dict.fromkeys(names))


def _apply_organisation(
    pack: NodeMap, pack_path: Path, rules: list[Rule], build: _Build, terms: TermIndex
) -> list[Rule]:
    by_id = {rule.id: rule for rule in rules}
    disabled: set[str] = set()
    for value, line in pack.items_with_lines("disable"):
        if value not in by_id:
            build.problem(pack_path, line, f"cannot disable unknown rule {value!r}")
        else:
            disabled.add(str(value))
    overrides = pack.sub("overrides")
    if overrides is None and "overrides" in pack:
        build.problem(
            pack_path, pack.value_line("overrides"), "'overrides' must map rule ids to fields"
        )
    for rule_id in overrides.key_names() if overrides is not None else []:
        assert overrides is not None
        rule = by_id.get(rule_id)
        fields = overrides.sub(rule_id)
        if rule is None or fields is None:
            reason = "unknown rule" if rule is None else "needs a mapping of fields"
            build.problem(
                pack_path, overrides.key_line(rule_id), f"override of {rule_id!r}: {reason}"
            )
            continue
        spec = RuleSpec(rule_id, str(pack_path), fields, terms, set(build.lists), build.problems)
        for key in fields.key_names():
            if key not in OVERRIDE_KEYS:
                allowed = ", ".join(sorted(OVERRIDE_KEYS))
                spec.problem(fields.key_line(key), f"cannot override '{key}' (allowed: {allowed})")
        if "level" in fields:
            if fields.get("level") not in LEVELS:
                spec.problem(fields.value_line("level"), f"unknown level {fields.get('level')!r}")
            else:
                rule.level = str(fields.get("level"))
                rule.levels = {}
        if "levels" in fields:
            rule.levels = _levels(spec, fields)
        _check_level_cap(spec, rule.logic.highest_level, fields, rule.level, rule.levels)
        if "guideline" in fields:
            if fields.get("guideline") not in GUIDELINES:
                spec.problem(fields.value_line("guideline"), "unknown guideline")
            else:
                rule.guideline = str(fields.get("guideline"))
        for key in ("message", "suggestion"):
            if key in fields:
                texts = spec.language_map(fields.get(key), fields.value_line(key), key)
                if texts:
                    setattr(rule, key, {**getattr(rule, key), **texts})
        if "when" in fields:
            rule.when, rule.when_raw = _condition(spec, fields.sub("when"))
    return [rule for rule in rules if rule.id not in disabled]


def _build(path: str | Path | None) -> tuple[Policy | None, list[PolicyProblem]]:
    build = _Build()
    org_dir = Path(path) if path is not None else None
    pack_path = org_dir / PACK_FILE if org_dir is not None else None
    packs = builtin_packs()
    if org_dir is not None and pack_path is not None:
        if not org_dir.is_dir():
            build.problem(org_dir, 1, "policy folder does not exist")
            return None, build.problems
        if not pack_path.is_file():
            build.problem(pack_path, 1, "missing pack.yaml (with 'extends: default')")
        packs = _extends(pack_path, build)
    for name in packs:
        builtin_pack = BUILTIN_DIR / name / PACK_FILE
        if builtin_pack.is_file():
            _read_pack(builtin_pack, build, organisation=False)
    org_pack = None
    if pack_path is not None and pack_path.is_file():
        org_pack = _read_pack(pack_path, build, organisation=True)
    terms = TermIndex()
    for name, values in build.lists.items():
        terms.add(f"list:{name}", values)
    rules: list[Rule] = []
    for name in packs:
        for rule in _load_rules(BUILTIN_DIR / name, build, terms):
            if any(r.id == rule.id for r in rules):
                build.problem(rule.file, rule.line, f"{rule.id}: id used by another pack")
            else:
                rules.append(rule)
    if org_dir is not None:
        positions = {rule.id: index for index, rule in enumerate(rules)}
        for rule in _load_rules(org_dir, build, terms):
            if rule.id in positions:
                rules[positions[rule.id]] = rule  # the organisation's version replaces the default
            else:
                rules.append(rule)
        if org_pack is not None and pack_path is not None:
            rules = _apply_organisation(org_pack, pack_path, rules, build, terms)
    domain_model = None
    folders = [BUILTIN_DIR / name for name in packs] + ([org_dir] if org_dir is not None else [])
    for folder in folders:
        # (the last one found wins: an organisation's own replaces the built-in one)
        if (folder / DOMAINS_FILE).is_file():
            build.files.append(str(folder / DOMAINS_FILE))
            domain_model = read_domain_model(
                str(folder / DOMAINS_FILE), set(build.lists), build.problems
            )
    if build.problems:
        return None, build.problems
    terms.compile()
    policy = Policy(rules, build.lists, build.calendar, terms, build.files)
    policy.domain_model = domain_model
    return policy, []


def validate_policy(path: str | Path | None = None) -> list[PolicyProblem]:
    """Every problem in a policy folder (or the built-in packs), all at once."""
    return _build(path)[1]


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the built-in packs, or an organisation folder extending them.

    Raises ``PolicyError`` carrying every problem when the policy is not valid.
    """
    policy, problems = _build(path)
    if policy is None:
        raise PolicyError(problems)
    return policy
