"""Options of a run: defaults, the analysed project's configuration file, command-line flags.

Configuration lives in `[tool.decompose]` of the analysed project's `pyproject.toml`, or at the
top level of a `decompose.toml` beside it; flags override both. Unknown keys are an error that
names the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from decompose.discover import DEFAULT_EXCLUDES
from decompose.errors import ConfigError, UsageError
from decompose.model import Constraints

# Clustering signals and their default weights. `path` is the only one that looks at module
# and package names; with path=0 no name reaches any signal. `cochange` and `authors` read the
# git history, when the target is inside a git work tree. Signals of the data graph (data, fk,
# transaction, async) join this table when the extractor produces their facts.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "call": 1.0,
    "import": 0.5,
    "inheritance": 0.5,
    "data": 1.0,
    "fk": 0.5,
    "transaction": 0.5,
    "async": 0.5,
    "semantic": 0.3,
    "cochange": 0.5,
    "authors": 0.25,
    "path": 0.1,
}
DEFAULT_SEED = 42
DEFAULT_COCHANGE_MAX_FILES = 30
_KEYS = frozenset(
    {
        "exclude",
        "extend-exclude",
        "source-roots",
        "weights",
        "seed",
        "pins",
        "must-link",
        "cannot-link",
        "cochange-max-files",
    }
)
_SERVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Options:
    """Everything a run of `analyze` needs to know."""

    target: Path
    out: Path
    source_roots: tuple[Path, ...] = ()
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    weights: tuple[tuple[str, float], ...] = tuple(sorted(DEFAULT_WEIGHTS.items()))
    seed: int = DEFAULT_SEED
    jobs: int = 0
    use_cache: bool = True
    config_file: Path | None = None
    notes: tuple[str, ...] = field(default=())
    constraints: Constraints = field(default_factory=Constraints)
    cochange_max_files: int = DEFAULT_COCHANGE_MAX_FILES

    def weight(self, signal: str) -> float:
        """The weight of one signal."""
        return dict(self.weights)[signal]


def parse_weight(text: str) -> tuple[str, float]:
    """`SIGNAL=W` -> (signal, weight); a usage error names what is wrong."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise UsageError(f"--weight {text!r}: expected SIGNAL=WEIGHT, e.g. path=0")
    if name not in DEFAULT_WEIGHTS:
        known = ", ".join(sorted(DEFAULT_WEIGHTS))
        raise UsageError(f"--weight {text!r}: unknown signal {name!r} (known: {known})")
    try:
        weight = float(value)
    except ValueError:
        raise UsageError(f"--weight {text!r}: {value!r} is not a number") from None
    if weight < 0 or weight != weight or weight == float("inf"):
        raise UsageError(f"--weight {text!r}: the weight must be a finite number >= 0")
    return name, weight


def load_project_config(target: Path) -> tuple[dict[str, Any], Path | None]:
    """The `[tool.decompose]` table (or `decompose.toml`) of the analysed project."""
    standalone = target / "decompose.toml"
    if standalone.is_file():
        return _read_toml(standalone), standalone
    pyproject = target / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("decompose", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{pyproject}: [tool.decompose] must be a table")
        return table, pyproject
    return {}, None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def build_options(
    target: Path,
    out: Path | None,
    *,
    source_roots: Sequence[Path] = (),
    excludes: Sequence[str] = (),
    weights: Sequence[str] = (),
    seed: int | None = None,
    jobs: int = 0,
    use_cache: bool = True,
) -> Options:
    """Defaults, overridden by the project's configuration, overridden by flags."""
    table, config_file = load_project_config(target) if target.is_dir() else ({}, None)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{config_file}: unknown key {unknown[0]!r} in decompose configuration "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    options = Options(target=target, out=out or Path("reports") / target.resolve().name)
    options = _apply_table(options, table, config_file, target)
    merged = dict(options.weights)
    merged.update(parse_weight(w) for w in weights)
    options = replace(options, weights=tuple(sorted(merged.items())), jobs=jobs)
    if source_roots:
        options = replace(options, source_roots=tuple(source_roots))
    if excludes:
        options = replace(options, excludes=(*options.excludes, *excludes))
    if seed is not None:
        options = replace(options, seed=seed)
    return replace(options, use_cache=use_cache, config_file=config_file)


def _apply_table(
    options: Options, table: Mapping[str, Any], where: Path | None, target: Path
) -> Options:
    def strings(key: str) -> tuple[str, ...]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)

    if "exclude" in table:
        options = replace(options, excludes=strings("exclude"))
    if "extend-exclude" in table:
        options = replace(options, excludes=(*options.excludes, *strings("extend-exclude")))
    if "source-roots" in table:
        options = replace(options, source_roots=tuple(target / p for p in strings("source-roots")))
    if "seed" in table:
        if not isinstance(table["seed"], int):
            raise ConfigError(f"{where}: seed must be an integer")
        options = replace(options, seed=table["seed"])
    if "weights" in table:
        raw = table["weights"]
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: weights must be a table of SIGNAL = WEIGHT")
        merged = dict(options.weights)
        for key, value in raw.items():
            try:
                name, weight = parse_weight(f"{key}={value}")
            except UsageError as exc:
                raise ConfigError(f"{where}: weights: {exc}") from None
            merged[name] = weight
        options = replace(options, weights=tuple(sorted(merged.items())))
    if "cochange-max-files" in table:
        value = table["cochange-max-files"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ConfigError(f"{where}: cochange-max-files must be an integer >= 2")
        options = replace(options, cochange_max_files=value)
    return replace(options, constraints=_constraints(table, where))


def _constraints(table: Mapping[str, Any], where: Path | None) -> Constraints:
    """Pins and must-link / cannot-link pairs from the configuration table."""
    pins = table.get("pins", {})
    if not isinstance(pins, dict):
        raise ConfigError(f'{where}: pins must be a table of "MODULE-GLOB" = "service-name"')
    for glob, service in pins.items():
        if not isinstance(service, str) or not _SERVICE_NAME.match(service):
            raise ConfigError(
                f"{where}: pins: {glob!r} = {service!r}: a service name is lowercase letters, "
                "digits and dashes"
            )
    pairs: dict[str, tuple[tuple[str, str], ...]] = {}
    for key in ("must-link", "cannot-link"):
        raw = table.get(key, [])
        if not isinstance(raw, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(m, str) for m in p) for p in raw
        ):
            raise ConfigError(f'{where}: {key} must be a list of module pairs: [["a.b", "c.d"]]')
        pairs[key] = tuple((a, b) for a, b in raw)
    return Constraints(
        pins=tuple((str(g), str(s)) for g, s in pins.items()),
        must_link=pairs["must-link"],
        cannot_link=pairs["cannot-link"],
    )
