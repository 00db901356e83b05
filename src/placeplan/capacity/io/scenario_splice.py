"""A scenario's YAML changed by a form, keeping the file as written where the form changed
nothing: its comments (sources, what is calibrated or illustrative), its layout and its order.

Only what differs is rewritten: a changed value is written over its old span (found from PyYAML's
node marks) on one line; a key the form removed goes with its lines; a key or a service the form
added is written at the end of its mapping or list. A comment beside a changed value, or on the
lines directly above its key, said something about the old value and goes with it. The result is
read back and must equal what the form made, or the whole scenario is written afresh instead
(`scenario_text`), so a layout this cannot follow costs comments, never figures.
"""

from __future__ import annotations

from typing import Any

import yaml

from placeplan.capacity.io.scenario import scenario_text

Edit = tuple[int, int, str]  # replace text[start:end] with the string


def scenario_text_keeping(old_text: str, data: dict[str, Any]) -> str:
    """`data` as YAML, written as a change to `old_text`."""
    try:
        root = yaml.compose(old_text)
        old = yaml.safe_load(old_text)
    except yaml.YAMLError:
        return scenario_text(data)
    if old == data:
        return old_text
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not isinstance(old, dict):
        return scenario_text(data)
    edits: list[Edit] = []
    try:
        _mapping(old_text, root, old, data, edits, nested={"services", "interim"})
    except _CannotFollow:
        return scenario_text(data)
    changed = old_text
    for start, end, new in sorted(edits, reverse=True):
        changed = changed[:start] + new + changed[end:]
    try:
        if yaml.safe_load(changed) == data:
            return changed
    except yaml.YAMLError:
        pass
    return scenario_text(data)


class _CannotFollow(Exception):
    """A layout the change cannot be written into: write the scenario afresh."""


def _flow(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, width=10**6, allow_unicode=True, sort_keys=False
    )
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index after the line break of the line holding `index - 1` (a value's last char)."""
    stop = text.find("\n", max(index - 1, 0))
    return len(text) if stop < 0 else stop + 1


def _comments_above(text: str, start: int) -> int:
    """The start of the full-line comments directly above the line starting at `start`."""
    while start > 0:
        above = _line_start(text, start - 1)
        if not text[above:start].strip().startswith("#"):
            break
        start = above
    return start


def _value_end(text: str, node: yaml.Node) -> int:
    """Where a value's own text ends (a block value's span runs on to the next key)."""
    end = node.end_mark.index
    return len(text[:end].rstrip())


def _replace(text: str, key: yaml.Node, value: yaml.Node, new: Any, edits: list[Edit]) -> None:
    """A changed key and value written over their old lines, with the comments about the old
    value (beside it, and on the lines directly above its key) dropped."""
    here = _line_start(text, key.start_mark.index)
    prefix = text[here : key.start_mark.index]
    if prefix.strip() not in ("", "-"):
        raise _CannotFollow  # the key shares its line with others
    end = _line_end(text, _value_end(text, value))
    start = _comments_above(text, here)
    edits.append((start, end, _block(str(key.value), new, prefix)))


def _remove(text: str, key: yaml.Node, value: yaml.Node, edits: list[Edit]) -> None:
    here = _line_start(text, key.start_mark.index)
    if text[here : key.start_mark.index].strip() not in ("", "-"):
        raise _CannotFollow  # the key shares its line with others
    edits.append((_comments_above(text, here), _line_end(text, _value_end(text, value)), ""))


def _mapping(
    text: str,
    node: yaml.MappingNode,
    old: dict[str, Any],
    new: dict[str, Any],
    edits: list[Edit],
    nested: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    """The edits that make block mapping `node` (holding `old`) hold `new`."""
    if node.flow_style:
        raise _CannotFollow
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if list(pairs) != list(old) or any(k not in pairs for k in old):
        raise _CannotFollow
    for key, (knode, vnode) in pairs.items():
        if key not in new:
            _remove(text, knode, vnode, edits)
        elif new[key] != old[key]:
            if key == "services" and isinstance(vnode, yaml.SequenceNode):
                _services(text, vnode, old[key], new[key], edits)
            elif key in nested and isinstance(vnode, yaml.MappingNode) and not vnode.flow_style:
                _children(text, vnode, old[key], new[key], edits)
            else:
                _replace(text, knode, vnode, new[key], edits)
    added = [k for k in new if k not in old]
    if added:
        if not node.value:
            raise _CannotFollow
        indent = " " * node.value[0][0].start_mark.column
        at = _line_end(text, _value_end(text, node.value[-1][1]))
        lines = "".join(_block(k, new[k], indent) for k in added)
        edits.append((at, at, lines))
    _same_order(old, new)


def _same_order(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Keys kept in the order they were (new ones after them): otherwise write afresh."""
    kept = [k for k in new if k in old]
    if kept != [k for k in old if k in new]:
        raise _CannotFollow


def _block(key: str, value: Any, prefix: str) -> str:
    """`key: value` as lines: on one line where it fits, else as the forms write a scenario;
    `prefix` begins the first line (its indent, or a list item's dash), its indent the others."""
    one = f"{prefix}{key}: {_flow(value)}"
    if len(one) <= 100 or not isinstance(value, (dict, list)):
        return one + "\n"
    indent = prefix.replace("-", " ")
    lines = scenario_text({key: value}).splitlines()
    return f"{prefix}{lines[0]}\n" + "".join(f"{indent}{line}\n" for line in lines[1:])


def _children(
    text: str, node: yaml.MappingNode, old: dict[str, Any], new: dict[str, Any], edits: list[Edit]
) -> None:
    """A mapping of named mappings (the interim options): each changed one edited in place."""
    pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for name, vnode in pairs.items():
        if name in new and new[name] != old.get(name):
            if not isinstance(vnode, yaml.MappingNode) or not isinstance(old.get(name), dict):
                raise _CannotFollow
            if vnode.flow_style:
                knode = next(k for k, v in node.value if v is vnode)
                _replace(text, knode, vnode, new[name], edits)
            else:
                _mapping(text, vnode, old[name], new[name], edits)
    removed = [n for n in pairs if n not in new]
    for name in removed:
        knode, vnode = next((k, v) for k, v in node.value if k.value == name)
        _remove(text, knode, vnode, edits)
    added = [n for n in new if n not in pairs]
    if added:
        indent = " " * node.value[0][0].start_mark.column
        at = _line_end(text, _value_end(text, node.value[-1][1]))
        edits.append((at, at, "".join(_block(n, new[n], indent) for n in added)))
    _same_order(old, new)


def _services(
    text: str, node: yaml.SequenceNode, old: list[Any], new: list[Any], edits: list[Edit]
) -> None:
    """The services: each kept one edited in place, removed ones taken out, new ones at the end
    (a service whose code changed is edited in place, by its position)."""
    if node.flow_style or not node.value:
        raise _CannotFollow
    ids = [s.get("id") for s in old]
    new_ids = [s.get("id") for s in new]
    kept = [i for i in ids if i in new_ids]
    if new_ids[: len(kept)] == kept:
        by_id = {s.get("id"): s for s in new}
        pairs = [
            (n, o, by_id[o.get("id")])
            for n, o in zip(node.value, old, strict=True)
            if o.get("id") in by_id
        ]
        for item, o in zip(node.value, old, strict=True):
            if o.get("id") not in by_id:
                _remove_item(text, item, edits)
        added = new[len(kept) :]
    elif len(old) == len(new):
        pairs = list(zip(node.value, old, new, strict=True))
        added = []
    else:
        raise _CannotFollow
    for item, o, n in pairs:
        if o != n:
            if not isinstance(item, yaml.MappingNode):
                raise _CannotFollow
            _mapping(text, item, o, n, edits)
    if added:
        first = node.value[0]
        lead = text[_line_start(text, first.start_mark.index) : first.start_mark.index]
        indent = lead.replace("-", " ")
        at = _line_end(text, _value_end(text, node.value[-1]))
        out = ""
        for service in added:
            body = scenario_text(service).splitlines()
            out += f"{lead}{body[0]}\n" + "".join(f"{indent}{line}\n" for line in body[1:])
        edits.append((at, at, out))


def _remove_item(text: str, item: yaml.Node, edits: list[Edit]) -> None:
    here = _line_start(text, item.start_mark.index)
    edits.append((_comments_above(text, here), _line_end(text, _value_end(text, item)), ""))
