"""One change to a scenario's YAML text that keeps the rest of it as written: a service's length
of stay replaced where it stands, so the file's comments (its sources, what is calibrated) stay.

The new value is written over the old one's span (found from PyYAML's node marks) as a flow
mapping; the result is read back and must equal the old document with that one value changed,
or the change is refused rather than written wrongly."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from placeplan.core.errors import InputError


def _flow(spec: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in spec.items()) + "}"


def with_length_of_stay(text: str, service_id: str, spec: dict[str, Any], note: str) -> str:
    """`text` with service `service_id`'s length_of_stay set to `spec`, `note` as a comment."""
    root = yaml.compose(text)
    value = _value_node(root, service_id)
    start, end = value.start_mark.index, value.end_mark.index
    old = text[start:end]
    kept = old[len(old.rstrip()) :]  # the line break (and indent) a block value ends with
    line = f"{_flow(spec)} # {note}" if note else _flow(spec)
    if "\n" not in kept:
        # a flow value ends mid-line: the rest of that line (a comment) gives way to the note
        stop = text.find("\n", end)
        end = len(text) if stop < 0 else stop
        kept = ""
    changed = text[:start] + line + kept + text[end:]
    expected = copy.deepcopy(yaml.safe_load(text))
    for service in expected["services"]:
        if service.get("id") == service_id:
            service["length_of_stay"] = spec
    if yaml.safe_load(changed) != expected:
        raise InputError(
            "the scenario's YAML is laid out in a way this change cannot keep: edit the"
            " service's length_of_stay by hand",
            field="scenario_yaml",
        )
    return changed


def _value_node(root: yaml.Node | None, service_id: str) -> yaml.Node:
    services = _get(root, "services")
    if isinstance(services, yaml.SequenceNode):
        for item in services.value:
            if isinstance(item, yaml.MappingNode):
                found = _get(item, "id")
                if isinstance(found, yaml.ScalarNode) and found.value == service_id:
                    node = _get(item, "length_of_stay")
                    if node is not None:
                        return node
    raise InputError(
        f"the scenario has no service {service_id} with a length of stay", field="service"
    )


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
            return v
    return None
