"""Check the house rules of ``docs/design.md`` on the package's own source.

Run ``python -m trustgraph.tools.check_layers`` (optionally with paths under the
package to limit the size checks). It reports, one per line:

- an import cycle between the package's modules (any import, at module level or
  inside a function, since a lazy import hides a loop rather than removing it);
- an import that points up the layers of ``docs/design.md``;
- an import of a package module inside a function, unless the imported module
  exists to isolate an optional dependency (``OPTIONAL_MODULES``);
- a module over ``MAX_MODULE_LINES`` lines or a function over
  ``MAX_FUNCTION_CODE_LINES`` lines of code (docstrings, comments and blank
  lines do not count).

The exit code is the number of findings capped at 1, so CI and a test can run it.

Examples
--------
>>> from trustgraph.tools.check_layers import layer_of
>>> layer_of("trustgraph.core.compact"), layer_of("trustgraph.cli.app")
('core', 'cli')
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

PACKAGE = "trustgraph"
MAX_MODULE_LINES = 600
MAX_FUNCTION_CODE_LINES = 80

# Rank of each layer: a module may import its own layer or a lower rank only.
LAYER_RANKS: dict[str, int] = {
    "exceptions": 0,
    "_version": 0,
    "tools": 0,
    "core": 1,
    "ingest": 2,
    "algorithms": 2,
    "datasets": 3,
    "backends": 3,
    "analysis": 4,
    "plot": 5,
    "report": 6,
    "cli": 7,
    "__main__": 8,
    "": 8,
}

# Modules that stand between the package and an optional dependency (matplotlib,
# pyspark, numba); importing them inside a function keeps that dependency lazy.
OPTIONAL_MODULES = (
    "trustgraph.plot",
    "trustgraph.backends",
    "trustgraph.core._numba_kernels",
)


@dataclass(frozen=True)
class Finding:
    """One broken rule, printable as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def layer_of(module: str) -> str:
    """The layer a dotted module name belongs to (its first sub-package)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path, root: Path) -> str:
    """Dotted name of the module stored at ``path`` under the package's parent."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(tree: ast.Module, module: str, is_package: bool):
    """Yield ``(target, line, inside_function)`` for each package import."""
    package = module if is_package else module.rpartition(".")[0]
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(child) for child in ast.walk(node) if child is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            target = ""
        else:
            continue
        for name in names if isinstance(node, ast.Import) else [target, *names]:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                yield name, node.lineno, id(node) in inside


def _resolve(name: str, modules: set[str]) -> str | None:
    """The longest known module that ``name`` refers to (``pkg.mod.attr`` -> ``pkg.mod``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def code_lines(node: ast.AST, source_lines: Sequence[str]) -> int:
    """Lines of code in a function: no blank, comment-only or docstring line."""
    skip: set[int] = set()
    for child in ast.walk(node):
        body = getattr(child, "body", None)
        if (
            isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    count = 0
    for number in range(node.lineno, node.end_lineno + 1):
        text = source_lines[number - 1].strip()
        if text and not text.startswith("#") and number not in skip:
            count += 1
    return count


def _size_findings(path: str, tree: ast.Module, source: str) -> Iterator[Finding]:
    lines = source.splitlines()
    if len(lines) > MAX_MODULE_LINES:
        yield Finding(path, 1, f"module has {len(lines)} lines (limit {MAX_MODULE_LINES})")
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            count = code_lines(node, lines)
            if count > MAX_FUNCTION_CODE_LINES:
                yield Finding(
                    path,
                    node.lineno,
                    f"function {node.name} has {count} lines of code "
                    f"(limit {MAX_FUNCTION_CODE_LINES})",
                )


def check(root: Path, size_paths: Sequence[Path] = ()) -> list[Finding]:
    """Every finding for the package found under ``root`` (the package's parent)."""
    files = sorted((root / PACKAGE).rglob("*.py"))
    names = {module_name(path, root): path for path in files}
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    findings: list[Finding] = []
    for module, path in names.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        shown = str(path.relative_to(root))
        guarded = {
            id(child)
            for node in ast.walk(tree)
            if _is_type_checking_block(node)
            for child in ast.walk(node)
        }
        imports = _imported_modules(tree, module, path.name == "__init__.py")
        for name, line, inside_function in imports:
            target = _resolve(name, set(names))
            if target is None or target == module:
                continue
            if any(
                id(n) in guarded
                for n in ast.walk(tree)
                if getattr(n, "lineno", None) == line and isinstance(n, ast.ImportFrom)
            ):
                continue
            graph.add_edge(module, target, line=line, path=shown)
            source_rank = LAYER_RANKS.get(layer_of(module), 8)
            target_rank = LAYER_RANKS.get(layer_of(target), 8)
            if target_rank > source_rank:
                findings.append(
                    Finding(
                        shown, line, f"upward import of {target} from layer {layer_of(module)}"
                    )
                )
            optional = any(target == o or target.startswith(o + ".") for o in OPTIONAL_MODULES)
            if inside_function and not optional and module != PACKAGE:
                findings.append(Finding(shown, line, f"import of {target} inside a function"))
        if not size_paths or any(path.resolve().is_relative_to(p.resolve()) for p in size_paths):
            findings.extend(_size_findings(shown, tree, source))
    findings.extend(_cycle_findings(graph, names, root))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.message))


def _cycle_findings(graph: nx.DiGraph, names: dict[str, Path], root: Path) -> Iterator[Finding]:
    # A package __init__ importing its own submodules is how a package exposes its
    # names, not a loop; cycles through such edges are not findings.
    pruned = graph.copy()
    pruned.remove_edges_from(
        (a, b) for a, b in graph.edges if names[a].name == "__init__.py" and b.startswith(a + ".")
    )
    for component in nx.strongly_connected_components(pruned):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(pruned.subgraph(component))
        first = cycle[0]
        data = pruned.edges[first]
        loop = " -> ".join([edge[0] for edge in cycle] + [cycle[0][0]])
        yield Finding(data["path"], data["line"], f"import cycle: {loop}")


def main(argv: Sequence[str] | None = None) -> int:
    """Print every finding; return 1 if there is any."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(__file__).resolve().parents[2]
    findings = check(root, [Path(a) for a in args])
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
