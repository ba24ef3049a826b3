"""A small YAML writer for CloudFormation resources, with the short-form intrinsic tags.

PyYAML cannot write `!Sub` / `!GetAtt` / `!Ref` without custom representers, and the
generated block must read like the hand-written rest of infra/template.yaml, so the few
shapes a resource needs (mappings, sequences, strings, numbers, booleans, tags) are
written here. A string is written plain only when YAML cannot read it as anything but that
string; otherwise as a double-quoted JSON string, which YAML reads unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./:*-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}


@dataclass(frozen=True, slots=True)
class Tag:
    """A short-form intrinsic function: `!Ref Name`, `!GetAtt Name.Arn`, `!Sub "text"`."""

    name: str
    value: str

    def render(self) -> str:
        """The tag and its argument as one YAML scalar."""
        return f"!{self.name} {_string(self.value)}"


def ref(name: str) -> Tag:
    """`!Ref name`."""
    return Tag("Ref", name)


def get_att(name: str) -> Tag:
    """`!GetAtt name` (for example `UsersTable.Arn`)."""
    return Tag("GetAtt", name)


def sub(text: str) -> Tag:
    """`!Sub "text"`."""
    return Tag("Sub", text)


def dump(value: object, indent: int) -> list[str]:
    """The lines of a mapping or sequence, its keys starting `indent` spaces in."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_scalar(item):
                lines.append(f"{pad}{key}: {_scalar(item)}")
            else:
                lines.append(f"{pad}{key}:")
                lines += dump(item, indent + 2)
        return lines
    if isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            if _is_scalar(item):
                lines.append(f"{pad}- {_scalar(item)}")
                continue
            nested = dump(item, indent + 2)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
        return lines
    raise TypeError(f"not a mapping or sequence: {value!r}")


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | bool | Tag)


def _scalar(value: object) -> str:
    if isinstance(value, Tag):
        return value.render()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _string(str(value))


def _string(text: str) -> str:
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text)
