"""The package's layout: no import circles, each part imports only the parts below it, and the README's
Layout section lists the tree as it is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "coachkit"
TOP = "coachkit"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}


def imports(path: Path, known: set[str]) -> set[str]:
    """Every coachkit module ``path`` imports, at the top or inside a function (a lazy import still ties two
    modules together)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            # `import coachkit.a.b` ties us to coachkit.a.b; its parents' __init__ modules are cheap by design
            if candidate in known and candidate != name and candidate != TOP:
                found.add(candidate)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) for name, path in found.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def part_of(module: str) -> str:
    """'coachkit.journal.model' -> 'journal'; a module at the top of the package is part '' ."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else ""


def readme_layout() -> list[tuple[str, list[str]]]:
    """The README's coachkit/ listing: (part, [modules]) in order, top to bottom."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Layout\n") :]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"```\n(.*?)```", section, re.S)
    listing = next(block for block in blocks if block.startswith("coachkit/"))
    rows: list[tuple[str, list[str]]] = []
    for line in listing.splitlines():
        if line.startswith("coachkit/"):
            folder, _, rest = line.partition(" ")
            rows.append((folder.removeprefix("coachkit/").rstrip("/"), []))
        else:
            rest = line
        words = rest.split(":", 1)[-1] if line.startswith("coachkit/") else rest
        words = re.sub(r"\([^)]*\)", "", words)  # a note in brackets is not a module
        rows[-1][1].extend(word for word in words.split() if re.fullmatch(r"[a-z_]+", word))
    return rows


def test_the_import_circle_finder_finds_one():
    """Does the finder report a circle where there is one (so a clean result means something)?"""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_lazy_and_relative_imports():
    """Are imports inside functions and relative imports read too?"""
    path = PACKAGE / "journal" / "model.py"
    found = imports(path, set(modules()))
    assert "coachkit.journal.document" in found and "coachkit.journal.export" in found


def test_there_is_no_import_circle_inside_coachkit():
    """Does no coachkit module import (at the top or lazily) a module that imports it back?"""
    found = circles(import_graph())
    assert not found, "import circles inside coachkit/: " + "; ".join(" <-> ".join(c) for c in found)


def test_each_part_imports_only_the_parts_listed_below_it():
    """Does each folder of coachkit/ import only folders the README lists below it (and the top modules)?"""
    order = [part for part, _ in readme_layout()]
    rank = {part: position for position, part in enumerate(order)}
    wrong = []
    for module, targets in import_graph().items():
        mine = part_of(module)
        for target in targets:
            theirs = part_of(target)
            if theirs != mine and rank.get(theirs, -1) <= rank.get(mine, len(order)):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "a part imports one listed above it in the README's Layout: " + "; ".join(sorted(wrong))


def test_the_readme_layout_lists_every_part_and_module():
    """Does the README's Layout name every folder of coachkit/ and every module in each, and nothing else?"""
    listed = {part: sorted(names) for part, names in readme_layout()}
    actual: dict[str, list[str]] = {}
    for module in modules():
        part = part_of(module)
        leaf = module.rsplit(".", 1)[-1]
        if module in (TOP, f"{TOP}.{part}"):
            actual.setdefault(part, [])
            continue
        actual.setdefault(part, []).append(leaf)
    actual = {part: sorted(names) for part, names in actual.items()}
    assert listed == actual


def test_every_module_says_in_one_line_why_it_exists():
    """Does every module of coachkit/ start with a docstring whose first line says what it is for?"""
    missing = []
    for name, path in modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc or len(doc.splitlines()[0].split()) < 4:
            missing.append(name)
    assert not missing, f"modules without a one-line docstring: {missing}"
