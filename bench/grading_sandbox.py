"""Autograde seconds per submission with and without the grading sandbox (coachkit/sandbox.py).

    .venv/bin/python bench/grading_sandbox.py [submissions] [rounds]

One temporary a01 course; each round autogrades ``submissions`` copies of the solution sandboxed, then the
same unsandboxed (bwrap hidden from PATH, COACHKIT_GRADE_UNSANDBOXED=1), and prints the seconds per
submission of each (the call's start-up included). Not part of `make bench`: run it on a quiet machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME = "a01-questions"


def main(submissions: int = 4, rounds: int = 2) -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    try:
        shutil.copytree(REPO / "solutions" / NAME, root / "solutions" / NAME)
        shutil.copy(REPO / "nbgrader_config.py", root)
        hidden = root / "bin"  # a PATH with alembic (nbgrader needs it) and no bwrap
        hidden.mkdir()
        os.symlink(Path(sys.executable).parent / "alembic", hidden / "alembic")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        base = {**os.environ, "PATH": path, "NBGRADER_EXCHANGE": str(root / "exchange")}
        modes = {
            "sandboxed": base,
            "unsandboxed": {**base, "PATH": f"{hidden}:/nonexistent", "COACHKIT_GRADE_UNSANDBOXED": "1"},
        }

        def nbgrader(env: dict, *args: str) -> float:
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env, capture_output=True)
            return time.monotonic() - started

        nbgrader(base, "generate_assignment", NAME, "--force")
        for number in range(rounds):
            for mode, env in modes.items():
                shutil.rmtree(root / "submitted", ignore_errors=True)
                shutil.rmtree(root / "autograded", ignore_errors=True)
                for index in range(submissions):
                    folder = root / "submitted" / f"s{index}" / NAME
                    folder.mkdir(parents=True)
                    shutil.copy(root / "solutions" / NAME / f"{NAME}.ipynb", folder)
                seconds = nbgrader(env, "autograde", NAME, "--force")
                graded = len(list((root / "autograded").glob(f"*/{NAME}/{NAME}.ipynb")))
                print(
                    f"round {number} {mode}: {seconds:.1f} s for {submissions} submissions "
                    f"({graded} graded), {seconds / submissions:.2f} s each",
                    flush=True,
                )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
