"""The house checker finds what it claims to find, on small packages built here."""

from __future__ import annotations

from pathlib import Path

from trustgraph.tools.check_layers import (
    MAX_FUNCTION_CODE_LINES,
    MAX_MODULE_LINES,
    check,
    code_lines,
)


def make_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "trustgraph" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in (root / "trustgraph").rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


def messages(root: Path) -> list[str]:
    return [f"{f.path}:{f.message}" for f in check(root)]


def test_a_clean_package_has_no_finding(tmp_path):
    make_package(
        tmp_path,
        {
            "core/graph.py": "X = 1\n",
            "algorithms/walk.py": "from trustgraph.core.graph import X\n",
            "cli/app.py": "from trustgraph.algorithms import walk\n",
        },
    )
    assert messages(tmp_path) == []


def test_cycle_upward_and_inner_imports_are_found(tmp_path):
    make_package(
        tmp_path,
        {
            "cli/app.py": "from trustgraph.cli import commands\n",
            "cli/commands.py": "from trustgraph.cli.app import run\n",
            "core/graph.py": "from trustgraph.analysis.ego import Y\n",
            "analysis/ego.py": "Y = 1\n\ndef late():\n    from trustgraph.core import graph\n",
            "report/render.py": "def draw():\n    from trustgraph.plot import figure\n",
            "plot/figure.py": "Z = 1\n",
        },
    )
    found = messages(tmp_path)
    assert any("import cycle" in m and "trustgraph.cli.app" in m for m in found)
    assert any(m.startswith("trustgraph/core/graph.py:upward import") for m in found)
    assert any("ego.py:import of trustgraph.core.graph inside a function" in m for m in found)
    # plot/ stands before matplotlib: a lazy import of it is allowed.
    assert not any("render.py" in m for m in found)


def test_type_checking_imports_do_not_count(tmp_path):
    make_package(
        tmp_path,
        {
            "core/graph.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from trustgraph.analysis.ego import Y\n"
            ),
            "analysis/ego.py": "Y = 1\n",
        },
    )
    assert messages(tmp_path) == []


def test_sizes_count_code_not_docstrings_or_comments(tmp_path):
    # The def line counts: the signature plus MAX - 1 body lines is exactly at the limit.
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_CODE_LINES - 1))
    long_doc = '    """' + "\n".join(["doc"] * 50) + '"""\n'
    make_package(
        tmp_path,
        {
            "core/fits.py": "def f():\n" + long_doc + "    # why\n\n" + body + "\n",
            "core/too_long.py": "def g():\n" + body + "\n    return x0\n",
            "core/big.py": "\n".join(f"A{i} = {i}" for i in range(MAX_MODULE_LINES + 1)),
        },
    )
    found = messages(tmp_path)
    assert not any("fits.py" in m for m in found)
    assert any("too_long.py:function g has" in m for m in found)
    assert any("big.py:module has" in m for m in found)


def test_code_lines_of_a_function():
    import ast

    source = 'def f():\n    """Doc.\n\n    More.\n    """\n    # comment\n\n    return 1\n'
    node = ast.parse(source).body[0]
    assert code_lines(node, source.splitlines()) == 2
