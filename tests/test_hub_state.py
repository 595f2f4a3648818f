"""`make hub` keeps its state out of the folder the web app serves, and the web app pools only its lessons.

After a hub rehearsal the web app kept 24 lesson pools instead of 8: the hub's state (learners' homes, each
with its copy of lessons/) was inside the repository, and Voila preheats every notebook under its root that
the denylist lets through. Now the hub's state is outside the repository, and the web app preheats only
<root>/lessons/*.ipynb even when a rehearsal's homes were left inside it.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO, web_app

FIXTURES = Path(__file__).parent / "notebooks"
LESSONS = ["91-board-facilitator.ipynb", "92-board-answer.ipynb"]


def test_make_hub_keeps_its_state_outside_the_repository(tmp_path):
    """Where does `make hub` put homes and its database when nothing is set? Under $HOME, not the repo."""
    env = {k: v for k, v in os.environ.items() if k != "COACHKIT_HUB_STATE"}
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        ["bash", str(REPO / "deploy" / "run-local-hub.sh"), "--print-state"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    state = Path(result.stdout.strip())
    assert state == tmp_path / ".local" / "share" / "coachkit-hub"
    assert REPO not in state.parents
    assert not state.exists()  # printing the place creates nothing


@pytest.mark.slow
def test_web_app_keeps_one_pool_per_lesson_after_a_hub_rehearsal(tmp_path):
    """With a rehearsal's homes left in the served folder (the old .venv/hub-state, or any homes/ folder),
    does the web app still keep exactly one waiting kernel per lesson?"""
    root = tmp_path / "site"
    (root / "lessons").mkdir(parents=True)
    (root / "assets").mkdir()
    shutil.copy(REPO / "voila.json", root / "voila.json")
    for name in LESSONS:
        shutil.copy(FIXTURES / name, root / "lessons" / name)
    # what a rehearsal used to leave: each learner's home with a copy of the lessons
    for home in (".venv/hub-state/homes/learner1", ".venv/hub-state/homes/facilitator", "homes/learner2"):
        copy = root / home / "lessons"
        copy.mkdir(parents=True)
        for name in LESSONS:
            shutil.copy(FIXTURES / name, copy / name)
    with web_app(root=root, log_name="voila-hub-state") as server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(server.kernel_pids()) < len(LESSONS):
            time.sleep(1)
        time.sleep(4)  # nothing more should start
        assert len(server.kernel_pids()) == len(LESSONS)
        log = server.log_path.read_text(encoding="utf-8", errors="replace")
    pools = sorted(
        {
            line.split("Kernel pool of ")[1].split(" is filled")[0]
            for line in log.splitlines()
            if "Kernel pool of " in line
        }
    )
    assert pools == [f"lessons/{name}" for name in LESSONS]
