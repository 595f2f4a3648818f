"""The course steps a maintainer runs: regenerate exercises/ from solutions/ and validate the solutions.

``python -m coachkit.course.exercises generate`` is what `make exercises` runs; the drift test runs the same
nbgrader command in a temporary copy and compares.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coachkit.paths import repo_root, solutions_dir


def assignments(source: Path | None = None) -> list[str]:
    """The assignment names, in order: every folder in solutions/ holding a notebook of its own name."""
    source = source or solutions_dir()
    return sorted(p.name for p in source.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def nbgrader(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real nbgrader command line in ``cwd`` (the course root)."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` and kernels by name: the virtual environment's bin folder must come first on
    # PATH even when make (not an activated shell) started us.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}
    return subprocess.run(cmd, cwd=cwd or repo_root(), check=check, capture_output=True, text=True, env=env)


def generate(course_root: Path | None = None) -> list[str]:
    """Write exercises/<a>/ for every assignment with `nbgrader generate_assignment --force`."""
    course_root = course_root or repo_root()
    names = assignments(course_root / "solutions")
    for name in names:
        nbgrader("generate_assignment", name, "--force", cwd=course_root)
    return names


def validate(course_root: Path | None = None) -> list[str]:
    """Run `nbgrader validate` on every solution notebook; return the ones that failed."""
    course_root = course_root or repo_root()
    failed = []
    for name in assignments(course_root / "solutions"):
        result = nbgrader("validate", f"solutions/{name}/{name}.ipynb", cwd=course_root, check=False)
        if result.returncode != 0 or "VALIDATION FAILED" in result.stdout:
            failed.append(name)
            print(result.stdout + result.stderr)
    return failed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["generate"]:
        for name in generate():
            print(f"exercises/{name}/ regenerated from solutions/{name}/")
        return 0
    if argv == ["validate"]:
        failed = validate()
        print("every solution validates" if not failed else f"validation failed: {', '.join(failed)}")
        return 1 if failed else 0
    print("usage: python -m coachkit.course.exercises generate|validate", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
