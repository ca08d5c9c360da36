"""The house's size rule, measured: no function in talentcase/ longer than 60 lines (ruff's C901 and PLR0915 check
complexity and statements; neither counts lines)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 60
# Every function in talentcase/ is within the limit; an exception would be listed here with its reason.
KNOWN_LONG: set[str] = set()


def long_functions(package: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """'path:name' → lines, decorators included, of every function longer than limit."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
                if node.end_lineno - first + 1 > limit:
                    found[f"{path.relative_to(package.parent).as_posix()}:{node.name}"] = node.end_lineno - first + 1
    return found


def test_no_function_is_longer_than_60_lines():
    too_long = {name: lines for name, lines in long_functions(ROOT / "talentcase").items() if name not in KNOWN_LONG}
    assert not too_long, f"split these into smaller functions: {too_long}"


def test_the_measure_counts_a_long_function(tmp_path):
    package = tmp_path / "talentcase"
    package.mkdir()
    body = "".join(f"    x{n} = {n}\n" for n in range(60))
    (package / "module.py").write_text(f"@decorated\ndef long():\n{body}\n\ndef short():\n    return 1\n")
    assert long_functions(package) == {"talentcase/module.py:long": 62}
