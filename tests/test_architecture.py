"""The layering rules docs/architecture.md states, checked on the package's source.

Every `import` and `from ... import` of every module is read with `ast` (imports inside
functions included), so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "carbontrack"
EXPLORER = "carbontrack.explorer"
# The composition roots: they assemble the parts, so they may import the explorer.
MAY_IMPORT_EXPLORER = frozenset(
    {"carbontrack.api.app", "carbontrack.cli", "carbontrack.infra.package"}
)
# All the explorer may use of the rest of CarbonTrack.
EXPLORER_MAY_IMPORT = frozenset(
    {
        "carbontrack.domain.errors",
        "carbontrack.domain.reasoning",  # the records the store's reasoning cache keeps
        "carbontrack.store.base",  # the store Protocol, for its reasoning cache
        "carbontrack.settings",
        "carbontrack.api.deps",
        "carbontrack.api.schemas",
        "carbontrack.api.headers",
        "carbontrack.verified",  # reading a packaged file against its recorded checksum
    }
)
# What a pure module may not touch: files, the network, the clock of a process.
_IO_MODULES = frozenset({"importlib.resources", "pathlib", "os", "sqlite3", "boto3", "httpx", "io"})
_IO_LAYERS = ("carbontrack.datasets", "carbontrack.store", "carbontrack.services")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str) -> Iterator[str]:
    """Every module name `source` imports, relative imports resolved against `module`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: -node.level]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from carbontrack.explorer import api` imports carbontrack.explorer.api
            yield from (f"{base}.{alias.name}" for alias in node.names)


def opens_files(source: str) -> list[str]:
    """The calls and imports in `source` that read or write files."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open"
        ):
            found.append(f"open() on line {node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr in {"read_text", "read_bytes", "open"}:
            found.append(f".{node.attr} on line {node.lineno}")
    return found


def _modules() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield _module_name(path), path.read_text()


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def explorer_importers() -> list[str]:
    """Modules outside the explorer that import it, other than the composition roots."""
    return sorted(
        f"{module} imports {name}"
        for module, source in _modules()
        if not _within(module, EXPLORER) and module not in MAY_IMPORT_EXPLORER
        for name in set(imports_of(source, module))
        if _within(name, EXPLORER)
    )


def test_only_the_composition_roots_import_the_explorer() -> None:
    assert explorer_importers() == []


def test_the_explorer_uses_only_its_allowed_parts_of_carbontrack() -> None:
    outside = sorted(
        f"{module} imports {name}"
        for module, source in _modules()
        if _within(module, EXPLORER)
        for name in set(imports_of(source, module))
        if _within(name, "carbontrack")
        and not _within(name, EXPLORER)
        # `from carbontrack.domain.errors import NotFound` yields the module and the name
        and not any(_within(name, allowed) for allowed in EXPLORER_MAY_IMPORT)
        and name
        not in {"carbontrack", "carbontrack.domain", "carbontrack.api", "carbontrack.store"}
    )
    assert outside == []


@pytest.mark.parametrize("layer", ["carbontrack.domain", "carbontrack.explorer.domain"])
def test_nothing_in_a_domain_layer_opens_a_file_or_imports_io(layer: str) -> None:
    problems = []
    for module, source in _modules():
        if not _within(module, layer):
            continue
        problems += [f"{module}: {found}" for found in opens_files(source)]
        for name in set(imports_of(source, module)):
            if any(_within(name, io) for io in _IO_MODULES) or any(
                _within(name, lower) for lower in _IO_LAYERS
            ):
                problems.append(f"{module} imports {name}")
    assert problems == []


def test_the_checks_find_what_they_look_for() -> None:
    """The rules above can fail: each finds a planted violation."""
    lazy = "def f():\n    from carbontrack.explorer.services import facts\n"
    assert "carbontrack.explorer.services.facts" in set(imports_of(lazy, "carbontrack.services.x"))
    relative = "from ..explorer import api\n"
    assert "carbontrack.explorer.api" in set(imports_of(relative, "carbontrack.web.pages"))
    reader = "def f(p):\n    return p.read_text() + open('x').read()\n"
    assert len(opens_files(reader)) == 2
