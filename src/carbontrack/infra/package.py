"""Build the AWS Lambda deployment packages: one directory each, ready for `sam deploy`.

Two packages come from the one wheel, each `pip install --target` of `carbontrack[aws]` for
Lambda's Python on arm64, less the distributions its functions never import:

- `core` serves the API, web, backup and inventory functions and the deploys' pre-traffic
  hooks: no CO2 explorer libraries, no Gemini SDK;
- `explorer` serves the explorer's function: numpy, scipy and shapely for its facts, and
  google-genai for the Gemini provider.

What a package keeps is the closure of carbontrack's requirements (markers evaluated for the
target Python and platform) that does not pass through a left-out distribution; every other
installed distribution is removed file by file from its RECORD. `tests/lambda/test_package.py`
serves each part's requests from its package's selection alone.

    python -m carbontrack.infra.package build core build/lambda/core
    python -m carbontrack.infra.package build explorer build/lambda/explorer --host
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import cast

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT_DISTRIBUTION = "carbontrack"
ROOT_EXTRAS = frozenset({"aws"})
LAMBDA_ZIP_LIMIT_MB = 250.0  # a function's package and layers together, unzipped
# Lambda's python3.12 on arm64 (Amazon Linux 2023, glibc 2.34): the wheels pip may take.
LAMBDA_PYTHON = "3.12"
LAMBDA_PLATFORMS = tuple(
    f"manylinux_{glibc}_aarch64" for glibc in ("2_34", "2_28", "2_27", "2_26", "2_24", "2_17")
)
# packaging's marker environment of that runtime.
LAMBDA_ENVIRONMENT = {
    "implementation_name": "cpython",
    "implementation_version": "3.12.0",
    "os_name": "posix",
    "platform_machine": "aarch64",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_system": "Linux",
    "platform_version": "",
    "python_full_version": "3.12.0",
    "python_version": "3.12",
    "sys_platform": "linux",
}

# Left out of every package, and why.
RUNTIME_PROVIDED = {
    "boto3": "in the Lambda Python runtime",
    "botocore": "in the Lambda Python runtime",
    "s3transfer": "in the Lambda Python runtime",
}
LOCAL_ONLY = {
    "uvicorn": "the local server (`carbontrack serve`) only",
    "typer": "the command line only",
    "rich": "the command line only",
}
EXPLORER_ONLY = {
    "numpy": "the CO2 explorer's facts (the explorer package)",
    "scipy": "the CO2 explorer's facts (the explorer package)",
    "shapely": "the CO2 explorer's facts (the explorer package)",
    "google-genai": "the Gemini provider of the explorer (the explorer package)",
    "httpx": "the Gemini provider of the explorer (the explorer package)",
}


@dataclass(frozen=True)
class PackageSpec:
    """One deployment package: what it leaves out (distribution -> why) and prunes."""

    name: str
    parts: frozenset[str]
    left_out: Mapping[str, str]
    # Paths under the target that nothing imports (data, tests, scripts), removed after install.
    prune: tuple[str, ...] = ("bin", "pycountry/locales")


PACKAGES = {
    "core": PackageSpec(
        name="core",
        parts=frozenset({"api", "web"}),
        left_out={**RUNTIME_PROVIDED, **LOCAL_ONLY, **EXPLORER_ONLY},
    ),
    "explorer": PackageSpec(
        name="explorer",
        parts=frozenset({"explorer"}),
        left_out={**RUNTIME_PROVIDED, **LOCAL_ONLY},
        prune=("bin", "pycountry/locales", "numpy/*/tests", "numpy/tests", "scipy/**/tests"),
    ),
}


def kept_distributions(
    spec: PackageSpec,
    *,
    path: Iterable[str] | None = None,
    environment: Mapping[str, str] | None = None,
) -> set[str]:
    """The distributions `spec` keeps: carbontrack[aws]'s closure without the left-out ones."""
    roots = [(ROOT_DISTRIBUTION, ROOT_EXTRAS)]
    return requirement_closure(roots, left_out=spec.left_out, path=path, environment=environment)


def requirement_closure(
    roots: Iterable[tuple[str, frozenset[str]]],
    *,
    left_out: Iterable[str] = (),
    path: Iterable[str] | None = None,
    environment: Mapping[str, str] | None = None,
) -> set[str]:
    """The installed distributions that `roots` (name, extras) require, directly or not.

    A left-out distribution is not entered, so what only it requires is not reached either.
    `path` is where the distributions are installed (default: this interpreter's sys.path);
    `environment` the marker environment of the Python that will run them (default: this one).
    """
    installed: dict[str, metadata.Distribution] = {
        canonicalize_name(dist.metadata["Name"]): dist
        for dist in metadata.distributions(path=list(path) if path is not None else sys.path)
    }
    env: dict[str, str] = dict(environment or cast("Mapping[str, str]", default_environment()))
    skipped = {canonicalize_name(name) for name in left_out}
    kept: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(name), extras) for name, extras in roots]
    while todo:
        name, extras = todo.pop()
        if name in skipped or (name, extras) in seen:
            continue
        seen.add((name, extras))
        if name not in installed:
            raise LookupError(f"{name} is required but not installed")
        kept.add(name)
        for line in installed[name].requires or ():
            requirement = Requirement(line)
            if _applies(requirement, env, extras):
                todo.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return kept


def _applies(requirement: Requirement, env: dict[str, str], extras: frozenset[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**env, "extra": extra}) for extra in extras | {""})


def build(spec: PackageSpec, target: Path, *, host: bool = False) -> dict[str, float]:
    """Install the package into `target` (emptied first); return MB by distribution.

    With `host`, for this machine's Python and platform (the benchmarks and tests run it);
    otherwise for Lambda's python3.12 on arm64, from binary wheels only.
    """
    root = Path(__file__).resolve().parents[3]
    wheels = target.parent / f"{target.name}-wheel"
    shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(wheels, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    # pip from this interpreter, with arguments built here: nothing comes from a user.
    wheel_args = ["wheel", "--no-deps", "--wheel-dir", str(wheels), str(root)]
    built = subprocess.run([*pip, *wheel_args], capture_output=True, text=True)  # noqa: S603
    if built.returncode != 0:
        raise RuntimeError(f"building the carbontrack wheel failed:\n{built.stderr}")
    wheel = next(wheels.glob(f"{ROOT_DISTRIBUTION}-*.whl"))
    platform: list[str] = []
    if not host:
        platform = ["--implementation", "cp", "--python-version", LAMBDA_PYTHON]
        platform += ["--only-binary=:all:"]
        platform += [arg for tag in LAMBDA_PLATFORMS for arg in ("--platform", tag)]
    # No bytecode: pip would compile it for this Python, which Lambda's would ignore.
    install = [*pip, "install", "--no-compile", "--target", str(target), *platform]
    install += ["-c", str(root / "constraints.txt"), f"{wheel}[{','.join(sorted(ROOT_EXTRAS))}]"]
    subprocess.run(install, check=True)  # noqa: S603
    shutil.rmtree(wheels)
    env = None if host else LAMBDA_ENVIRONMENT
    keep = kept_distributions(spec, path=[str(target)], environment=env)
    for dist in metadata.distributions(path=[str(target)]):
        if canonicalize_name(dist.metadata["Name"]) not in keep:
            _remove(dist, target)
    for pattern in spec.prune:
        for path in target.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return sizes_mb(target)


def _remove(dist: metadata.Distribution, target: Path) -> None:
    """Delete an installed distribution's files (its RECORD), then the folders left empty."""
    folders: set[Path] = set()
    for file in dist.files or ():
        path = (target / file).resolve()
        if target.resolve() in path.parents and path.is_file():
            path.unlink()
            folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != target.resolve() and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def sizes_mb(target: Path) -> dict[str, float]:
    """MB of each installed distribution's files, and `(other)` for files of none."""
    sizes: Counter[str] = Counter()
    owned: set[Path] = set()
    for dist in metadata.distributions(path=[str(target)]):
        name = canonicalize_name(dist.metadata["Name"])
        for file in dist.files or ():
            path = (target / file).resolve()
            if path.is_file() and path not in owned:
                owned.add(path)
                sizes[name] += path.stat().st_size
    for path in target.rglob("*"):
        if path.is_file() and path.resolve() not in owned:
            sizes["(other)"] += path.stat().st_size
    return {name: size / 1e6 for name, size in sizes.most_common()}


def main(argv: list[str] | None = None) -> int:
    """`build NAME TARGET [--host]`: build a package and print its size."""
    parser = argparse.ArgumentParser(prog="python -m carbontrack.infra.package")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build one package into a directory")
    build_parser.add_argument("name", choices=sorted(PACKAGES), help="which package")
    build_parser.add_argument("target", type=Path, help="the directory (emptied first)")
    build_parser.add_argument(
        "--host", action="store_true", help="for this Python and platform, not Lambda's"
    )
    args = parser.parse_args(argv)
    sizes = build(PACKAGES[args.name], args.target, host=args.host)
    total = sum(sizes.values())
    top = ", ".join(f"{name} {mb:.1f}" for name, mb in list(sizes.items())[:6])
    print(f"{args.target}: {total:.1f} MB unzipped in {len(sizes)} distributions ({top})")
    if total >= LAMBDA_ZIP_LIMIT_MB:
        print(f"over Lambda's {LAMBDA_ZIP_LIMIT_MB:g} MB limit for a zip package", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
