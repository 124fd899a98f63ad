"""Reading YAML as nodes so every value keeps the line it came from."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def line_of(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def to_python(node: Node) -> Any:
    """Construct the plain Python value of a node (safe types only)."""
    constructor = SafeConstructor()
    return constructor.construct_document(node)


def compose_documents(text: str) -> list[Node]:
    """All documents of a YAML stream as nodes (raises ``yaml.YAMLError``)."""
    return [node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None]


class NodeMap:
    """A YAML mapping whose values and lines can be read by key."""

    def __init__(self, node: MappingNode) -> None:
        self.node = node
        self.entries: dict[str, tuple[Node, Node]] = {}
        self.duplicates: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else repr(key_node)
            if key in self.entries:
                self.duplicates.append((key, line_of(key_node)))
            self.entries[key] = (key_node, value_node)

    @property
    def line(self) -> int:
        return line_of(self.node)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def key_names(self) -> list[str]:
        return list(self.entries)

    def key_line(self, key: str) -> int:
        return line_of(self.entries[key][0]) if key in self.entries else self.line

    def value_line(self, key: str) -> int:
        return line_of(self.entries[key][1]) if key in self.entries else self.line

    def node_of(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def get(self, key: str, default: Any = None) -> Any:
        node = self.node_of(key)
        return default if node is None else to_python(node)

    def sub(self, key: str) -> NodeMap | None:
        node = self.node_of(key)
        return NodeMap(node) if isinstance(node, MappingNode) else None

    def items_with_lines(self, key: str) -> list[tuple[Any, int]]:
        """The items of a sequence value with their own lines (a scalar counts as one item)."""
        node = self.node_of(key)
        if node is None:
            return []
        if isinstance(node, SequenceNode):
            return [(to_python(item), line_of(item)) for item in node.value]
        return [(to_python(node), line_of(node))]

    def mapping_items_with_lines(self, key: str) -> list[tuple[str, Any, int]]:
        node = self.node_of(key)
        if not isinstance(node, MappingNode):
            return []
        return [(str(to_python(k)), to_python(v), line_of(k)) for k, v in node.value]
