"""A group session on a real local JupyterHub (deploy/jupyterhub_config.py in trial mode) on 127.0.0.1.

One facilitator and two learners: each learner's server spawns and serves a lesson in Voila; a learner is
refused the other's server and journal; the facilitator releases an assignment through the formgrader,
both learners fetch and submit through their own servers, the facilitator collects and autogrades, and each
learner's score is right. The group board is the hub's service (coachkit-board): both learners' answers,
sent from their own kernels with their own tokens, reach the facilitator with no trace of who sent them; a
learner cannot read, change or delete anything on the board, nor open the facilitator's page, by the API,
by forged requests or from their own kernel; thirty hub users answering at once all land, one vote each.
Lessons reach every server through nbgitpuller from the hub's learners' repository (lessons/ and exercises/,
no solutions/): a learner's own edit survives a later pull that brings new lessons, and no learner's home
holds solutions or hidden tests. jupyterhub-idle-culler runs as a service with only its four scopes, and a
second culler with a short timeout (limited to one test user) stops that user's idle server.
The hub and all it started are stopped at the end, always.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ARTIFACTS, REPO, free_port, kill_leftovers, stop_process

pytestmark = pytest.mark.slow

CHP_VERSION = "4.6.3"
# Opt-in: the same tests on a real-server hub (system mode, PAM users, each spawned as themselves). Needs root
# and three existing system users, e.g. COACHKIT_HUB_TEST_SYSTEM_USERS=ckfac,cklearn1,cklearn2.
SYSTEM_USERS = [n.strip() for n in os.environ.get("COACHKIT_HUB_TEST_SYSTEM_USERS", "").split(",")]
SYSTEM_USERS = [n for n in SYSTEM_USERS if n]
MODE = "system" if SYSTEM_USERS else "trial"
FACILITATOR, L1, L2 = SYSTEM_USERS if len(SYSTEM_USERS) == 3 else ("facilitator", "learner1", "learner2")
LEARNERS = (L1, L2)
# Hub users who only answer the board (tokens, no servers): with L1 and L2, thirty people answering at once.
CROWD = tuple(f"crowd{i:02d}" for i in range(1, 29))
# A learner whose server only the test's short-timeout culler watches (20 s idle, looking every 5 s).
IDLE = "idleone"
IDLE_TIMEOUT = 20
BOARD = "services/coachkit-board/"
ASSIGNMENT = "hubcheck"
COURSE = "coaching-workshop"
BIN = Path(sys.executable).parent


def _requests():
    import requests

    return requests


def _proxy_command() -> str:
    """The configurable-http-proxy that `make hub` uses, installed from npm on first use."""
    local = REPO / ".venv/chp/node_modules/.bin/configurable-http-proxy"
    if local.exists():
        return str(local)
    if shutil.which("configurable-http-proxy"):
        return shutil.which("configurable-http-proxy")
    if not shutil.which("npm"):
        pytest.skip("the hub needs configurable-http-proxy and npm is missing: apt-get install nodejs npm")
    subprocess.run(
        ["npm", "install", "--prefix", str(REPO / ".venv/chp"), "--no-audit", "--no-fund", "--silent",
         f"configurable-http-proxy@{CHP_VERSION}"],
        check=True,
        timeout=300,
    )  # fmt: skip
    return str(local)


class Hub:
    """The running hub: its URL, state folder, and a REST client with the test's service token."""

    def __init__(self, url: str, state: Path, token: str) -> None:
        self.url, self.state, self.token = url, state, token
        self.http = _requests().Session()

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = {"Authorization": f"token {token or self.token}"}
        return self.http.request(method, f"{self.url}hub/api{path}", headers=headers, timeout=120, **kwargs)

    def user(self, name: str, path: str, token: str, method: str = "GET", **kwargs):
        """A request to /user/<name>/<path> as the holder of ``token``."""
        headers = {"Authorization": f"token {token}"}
        return self.http.request(
            method, f"{self.url}user/{name}/{path}", headers=headers, timeout=300, allow_redirects=False,
            **kwargs,
        )  # fmt: skip

    def home(self, name: str) -> Path:
        if MODE == "system":
            import pwd

            return Path(pwd.getpwnam(name).pw_dir)
        return self.state / "homes" / name


@pytest.fixture(scope="module")
def hub():
    """A trial-mode hub on free ports, a facilitator and two learners; always shut down with its servers."""
    try:
        import jupyterhub  # noqa: F401
        import requests  # noqa: F401
    except ImportError:
        pytest.skip("JupyterHub is not installed: pip install jupyterhub==5.5.4 (to be added to the pins)")
    if MODE == "system" and os.geteuid() != 0:
        pytest.skip("system mode spawns each user as themselves, which needs the hub to run as root")
    proxy = _proxy_command()
    # Not under pytest's private temporary folder: in system mode every user's server must reach the exchange
    # and the board inside this one.
    state = Path(tempfile.mkdtemp(prefix="coachkit-hub-"))
    state.chmod(0o755)
    port = free_port()
    token = secrets.token_hex(32)
    env = {
        **os.environ,
        "COACHKIT_HUB_MODE": MODE,
        "COACHKIT_HUB_STATE": str(state),
        "COACHKIT_HUB_PORT": str(port),
        "COACHKIT_HUB_API_PORT": str(free_port()),
        "COACHKIT_PROXY_API_PORT": str(free_port()),
        "COACHKIT_FACILITATORS": FACILITATOR,
        "COACHKIT_LEARNERS": ",".join((*LEARNERS, *CROWD, IDLE)),
        "COACHKIT_HUB_TEST_CULL_USER": IDLE,
        "COACHKIT_HUB_TEST_CULL_TIMEOUT": str(IDLE_TIMEOUT),
        "COACHKIT_BOARD_PORT": str(free_port()),
        "COACHKIT_HUB_PASSWORD": secrets.token_urlsafe(12),
        "COACHKIT_HUB_ADMIN_PASSWORD": secrets.token_urlsafe(32),
        "COACHKIT_HUB_TEST_TOKEN": token,
        "COACHKIT_CHP": proxy,
    }
    inherited = ("COACHKIT_BOARD_URL", "COACHKIT_BOARD_DIR", "COACHKIT_BOARD_DB", "COACHKIT_BOARD_TOKEN",
                 "COACHKIT_JOURNAL_DIR", "JUPYTER_CONFIG_DIR")  # fmt: skip
    for variable in inherited:
        env.pop(variable, None)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"hub-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(REPO / "deploy/jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Hub(f"http://127.0.0.1:{port}/", state, token)
    started.passwords = {
        "learner": env["COACHKIT_HUB_PASSWORD"],
        "facilitator": env["COACHKIT_HUB_ADMIN_PASSWORD"],
    }
    descendants: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the hub exited with {process.returncode}; see {log_path}")
            with contextlib.suppress(Exception):
                if started.api("GET", "/").status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the hub did not answer within 120 s; see {log_path}")
            time.sleep(0.5)
        started.descendants = descendants
        started.pid = process.pid
        yield started
    finally:
        import psutil

        with contextlib.suppress(psutil.NoSuchProcess):
            descendants.update(p.pid for p in psutil.Process(process.pid).children(recursive=True))
        stop_process(process, timeout=60)  # the hub stops every server it spawned as it exits
        kill_leftovers(sorted(descendants))
        shutil.rmtree(state, ignore_errors=True)


def _wait_until_ready(hub: Hub, name: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        model = hub.api("GET", f"/users/{name}").json()
        server = model.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        time.sleep(1)
    raise TimeoutError(f"{name}'s server was not ready within {timeout} s")


@pytest.fixture(scope="module")
def tokens(hub):
    """Each person's own API token, and their server started (all three spawned at once)."""
    made = {}
    for name in (FACILITATOR, *LEARNERS):
        response = hub.api("POST", f"/users/{name}/tokens", json={"note": "hub test", "expires_in": 3600})
        assert response.status_code == 201, response.text
        made[name] = response.json()["token"]
        assert hub.api("POST", f"/users/{name}/server").status_code in (201, 202)
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda name: _wait_until_ready(hub, name), made))
    for name, token in made.items():  # each person's first visit: the default URL's pull
        _pull(hub, name, token)
    import psutil

    # The hub's own processes only (its users' servers and their kernels): this test session's browser
    # and other servers must survive the hub's clean-up.
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in psutil.Process(hub.pid).children(recursive=True):
            hub.descendants.add(child.pid)
    return made


def test_each_learner_gets_a_server_that_serves_a_lesson_in_voila(hub, tokens):
    """Does each learner's own server render lesson 00 in Voila at /user/NAME/voila/render/lessons/?"""
    for name in LEARNERS:
        response = hub.user(name, "voila/render/lessons/00-start-here.ipynb", tokens[name])
        assert response.status_code == 200, response.text[:500]
        assert "Start here" in response.text
        assert "Traceback" not in response.text
        assert (hub.home(name) / "lessons/00-start-here.ipynb").exists()
        assert not (hub.home(name) / "solutions").exists()


def _learner_repo():
    """deploy/learner_repo.py, the module the hub's configuration builds the learners' repository with."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("coachkit_learner_repo", REPO / "deploy/learner_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pull(hub: Hub, name: str, token: str) -> str:
    """What a person's browser does on their server's first page: follow the default URL to nbgitpuller's
    page, then run the pull its page runs (git-pull/api, an event stream that ends when the pull is done)."""
    landing = hub.user(name, "", token)
    assert landing.status_code == 302, (landing.status_code, landing.text[:300])
    location = landing.headers["Location"]
    assert f"/user/{name}/git-pull?" in location, location
    query = location.split("?", 1)[1]
    page = hub.user(name, f"git-pull?{query}", token)
    assert page.status_code == 200 and "nbgitpuller" in page.text.lower(), page.text[:300]
    events = hub.user(name, f"git-pull/api?{query}", token)
    assert events.status_code == 200, events.text[-800:]
    assert '"phase": "finished"' in events.text and '"phase": "error"' not in events.text, events.text[-1500:]
    return events.text


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_learners_server_gets_the_lessons_through_nbgitpuller(hub, tokens):
    """Does the default URL send each person to nbgitpuller, which clones the hub's learners' repository
    into ~/workshop (lessons/ and exercises/ exactly as in the working tree), with ~/lessons linking into it
    and the landing page listing the lessons?"""
    bare = hub.state / "learner-repo.git"
    tracked = list(_learner_repo().repository_files(REPO))
    for name in (*LEARNERS, FACILITATOR):
        clone = hub.home(name) / "workshop"
        assert _git(clone, "remote", "get-url", "origin").strip() == bare.resolve().as_uri()
        assert sorted(_git(clone, "ls-files").split()) == sorted(tracked)
        assert (hub.home(name) / "lessons").resolve() == (clone / "lessons").resolve()
        assert (hub.home(name) / "lessons/00-start-here.ipynb").read_bytes() == (
            REPO / "lessons/00-start-here.ipynb"
        ).read_bytes()
        readme = (hub.home(name) / "exercises/README.md").read_text(encoding="utf-8")
        assert "practice with feedback, not an exam" in readme
        landing = hub.user(name, "coachkit/", tokens[name])
        assert landing.status_code == 200 and "voila/render/lessons/00-start-here.ipynb" in landing.text


def test_a_learners_edit_to_a_lesson_survives_a_second_pull(hub, tokens, tmp_path):
    """learner1 changes lesson 01; the facilitator's side then changes the same cell of lesson 01 and lesson
    02 too (a new commit in the hub's learners' repository). After learner1's next pull, is their own text
    kept, is lesson 02's new text there, and is every notebook still a notebook?"""
    import nbformat

    name, token = L1, tokens[L1]
    lesson = "lessons/01-coaching-or-telling.ipynb"
    mine = f"My own note {secrets.token_hex(4)}"
    model = hub.user(name, f"api/contents/{lesson}", token).json()
    edited = copy.deepcopy(model["content"])
    edited["cells"][0]["source"] = mine
    _put_notebook(hub, name, token, lesson, edited)
    upstream = tmp_path / "upstream"
    for folder in ("lessons", "exercises"):
        shutil.copytree(REPO / folder, upstream / folder)
    theirs, news = f"Changed upstream {secrets.token_hex(4)}", f"New in lesson 02 {secrets.token_hex(4)}"
    for path, cell, text in ((lesson, 0, theirs), ("lessons/02-coaching-conversation.ipynb", -1, news)):
        nb = nbformat.read(upstream / path, as_version=4)
        nb.cells[cell].source = text
        nbformat.write(nb, upstream / path)
    bare = hub.state / "learner-repo.git"
    before = _git(bare, "rev-parse", "main").strip()
    after = _learner_repo().refresh(upstream, bare, "A facilitator's change to lessons 01 and 02")
    assert after != before
    _pull(hub, name, token)
    home = hub.home(name)
    assert _git(home / "workshop", "merge-base", "--is-ancestor", after, "HEAD") == ""
    kept = nbformat.read(home / lesson, as_version=4)
    assert kept.cells[0].source == mine and theirs not in json.dumps(kept)
    arrived = nbformat.read(home / "lessons/02-coaching-conversation.ipynb", as_version=4)
    assert arrived.cells[-1].source == news
    for path in (home / "lessons").glob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))
    # The server still serves the learner's own version of the lesson.
    served = hub.user(name, f"api/contents/{lesson}", token).json()["content"]
    assert served["cells"][0]["source"] == mine
    # Later tests see the real lessons upstream again.
    _learner_repo().refresh(REPO, bare, "Back to the working tree")


SOLUTION_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def test_a_learners_home_holds_no_solutions_and_no_hidden_tests(hub, tokens):
    """After the pulls: is there no solutions/
    folder, no course folder and no file with solution code or hidden tests anywhere in a learner's home
    (the clone's history included), and does the learner's server know no course folder?"""
    for name in LEARNERS:
        home = hub.home(name)
        for folder, dirs, files in os.walk(home):
            dirs[:] = [d for d in dirs if d != ".git"]
            relative = Path(folder).relative_to(home)
            assert "solutions" not in relative.parts and "course" not in relative.parts, relative
            assert "solutions" not in dirs and "course" not in dirs, relative
            for file in files:
                path = Path(folder) / file
                if path.is_symlink() or path.stat().st_size > 5_000_000:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                assert not any(marker in text for marker in SOLUTION_MARKERS), path
        clone = home / "workshop"
        for marker in SOLUTION_MARKERS:
            found = subprocess.run(["git", "-C", str(clone), "log", "--all", "-p", "-S", marker, "--oneline"],
                                   capture_output=True, text=True, timeout=60)  # fmt: skip
            assert found.returncode == 0 and found.stdout == "", found.stdout[:500]
        assert {p.split("/")[0] for p in _git(clone, "ls-files").split()} == {"lessons", "exercises"}
    source = "import os\nprint('COURSE=' + os.environ.get('COACHKIT_COURSE_ROOT', 'none'))"
    page = _run_in_kernel(hub, tokens, L2, source, "course-check.ipynb")
    assert "COURSE=none" in page, page[-800:]


def test_a_learner_is_refused_the_other_learners_server(hub, tokens):
    """Does learner1's token get 403 on learner2's server (Voila, contents, files, kernels)?"""
    paths = ["voila/render/lessons/00-start-here.ipynb", "api/contents", "api/kernels", "lab", "coachkit/"]
    for path in paths:
        response = hub.user(L2, path, tokens[L1])
        assert response.status_code == 403, (path, response.status_code)


def test_a_learner_cannot_read_the_other_learners_journal(hub, tokens):
    """With learner2's journal on disk, can learner1 get it through learner2's server or their own? (No.)"""
    secret, journal = _write_journal(hub, tokens, L2)
    other = os.path.relpath(journal, hub.home(L1))  # ../<learner2's home>/.local/share/coachkit/journal.json
    attempts = [
        (L2, "files/.local/share/coachkit/journal.json"),
        (L2, "api/contents/.local/share/coachkit/journal.json"),
        (L1, "files/" + quote(other, safe="")),
        (L1, "api/contents/" + quote(other, safe="")),
        (L1, "files/" + other),
    ]
    for owner, path in attempts:
        response = hub.user(owner, path, tokens[L1])
        assert response.status_code in (400, 403, 404), (owner, path, response.status_code)
        assert secret not in response.text


def _write_journal(hub: Hub, tokens: dict, name: str) -> tuple[str, Path]:
    """A reflection saved by ``name``'s own kernel, as a lesson's box does; returns its text and the file."""
    secret = f"private reflection {secrets.token_hex(8)}"
    code = (
        "from coachkit.journal import open_journal\n"
        f"open_journal().add(kind='reflection', lesson='00-start-here', data={{'what': {secret!r}}})\n"
        "print('saved')"
    )
    _put_notebook(hub, name, tokens[name], "journal-check.ipynb", _code_notebook(code))
    page = hub.user(name, "voila/render/journal-check.ipynb", tokens[name])
    assert page.status_code == 200 and "saved" in page.text, page.text[-800:]
    journal = hub.home(name) / ".local/share/coachkit/journal.json"
    assert secret in journal.read_text(encoding="utf-8")
    return secret, journal


def test_with_system_users_a_learners_kernel_cannot_open_anothers_journal(hub, tokens):
    """On a real-server hub, is learner1's own kernel refused learner2's journal file by the OS?"""
    if MODE != "system":
        pytest.skip(
            "trial mode runs every hub user as one OS user, so their kernels are not kept apart (said in the "
            "guide); set COACHKIT_HUB_TEST_SYSTEM_USERS to test system mode"
        )
    secret, journal = _write_journal(hub, tokens, L2)
    code = (
        "try:\n"
        f"    text = open({str(journal)!r}).read()\n"
        "    print('READ' + str(len(text)))\n"
        "except PermissionError:\n"
        "    print('refused by the OS')"
    )
    _put_notebook(hub, L1, tokens[L1], "peek.ipynb", _code_notebook(code))
    page = hub.user(L1, "voila/render/peek.ipynb", tokens[L1])
    assert page.status_code == 200 and "refused by the OS" in page.text, page.text[-800:]
    assert secret not in page.text


def _assignment_notebook() -> dict:
    """A one-question nbgrader source notebook: answer = 'B' scores 2 points, anything else 0."""
    import nbformat

    def grade_meta(cell_id: str, grade: bool, solution: bool, points: int = 0) -> dict:
        meta = {"grade": grade, "grade_id": cell_id, "locked": not solution, "schema_version": 3,
                "solution": solution, "task": False}  # fmt: skip
        if grade:
            meta["points"] = points
        return {"nbgrader": meta}

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Hub check\n\nWhich is an open question? A or B.", metadata={}),
        nbformat.v4.new_code_cell(
            'answer = None\n### BEGIN SOLUTION\nanswer = "B"\n### END SOLUTION',
            metadata=grade_meta("answer", False, True),
        ),
        nbformat.v4.new_code_cell('assert answer == "B"', metadata=grade_meta("check", True, False, 2)),
    ]
    return json.loads(nbformat.writes(nb))


def _put_notebook(hub: Hub, name: str, token: str, path: str, nb: dict) -> None:
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    parts = folder.split("/") if folder else []
    for i in range(1, len(parts) + 1):
        hub.user(name, f"api/contents/{'/'.join(parts[:i])}", token, "PUT", json={"type": "directory"})
    response = hub.user(
        name, f"api/contents/{path}", token, "PUT", json={"type": "notebook", "format": "json", "content": nb}
    )
    assert response.status_code in (200, 201), response.text


def _formgrader(hub: Hub, tokens: dict, path: str, method: str = "POST"):
    response = hub.user(FACILITATOR, f"formgrader/api/{path}", tokens[FACILITATOR], method)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response.json()


def test_release_fetch_submit_collect_autograde(hub, tokens):
    """Do both learners fetch and submit through their servers, and score 2 and 0 points after autograde?"""
    source = _assignment_notebook()
    source_path = f"course/solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    _put_notebook(hub, FACILITATOR, tokens[FACILITATOR], source_path, source)
    generated = _formgrader(hub, tokens, f"assignment/{ASSIGNMENT}/assign")
    assert generated["success"], generated
    released = _formgrader(hub, tokens, f"assignment/{ASSIGNMENT}/release")
    assert released["success"], released
    assert (hub.state / "exchange" / COURSE / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()

    answers = {L1: "B", L2: "A"}
    for name, letter in answers.items():
        token = tokens[name]
        listed = hub.user(name, f"assignments?course_id={COURSE}", token).json()
        assert listed["success"] and any(a["assignment_id"] == ASSIGNMENT for a in listed["value"]), listed
        body = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
        fetched = hub.user(name, "assignments/fetch", token, "POST", data=body)
        assert fetched.status_code == 200 and fetched.json()["success"], fetched.text[:500]
        nb_path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        model = hub.user(name, f"api/contents/{nb_path}", token).json()
        student = copy.deepcopy(model["content"])
        assert "BEGIN SOLUTION" not in json.dumps(student)
        student["cells"][1]["source"] = f'answer = "{letter}"'
        _put_notebook(hub, name, token, nb_path, student)
        submitted = hub.user(name, "assignments/submit", token, "POST", data=body)
        assert submitted.status_code == 200 and submitted.json()["success"], submitted.text[:500]

    inbound = sorted(p.name.split("+")[0] for p in (hub.state / "exchange" / COURSE / "inbound").iterdir())
    assert inbound == sorted(LEARNERS), "submissions must be filed under each learner's hub name"

    collected = _formgrader(hub, tokens, f"assignment/{ASSIGNMENT}/collect")
    assert collected["success"], collected
    for name in LEARNERS:
        graded = _formgrader(hub, tokens, f"submission/{ASSIGNMENT}/{name}/autograde")
        assert graded["success"], graded
    submissions = _formgrader(hub, tokens, f"submissions/{ASSIGNMENT}", "GET")
    scores = {s["student"]: (s["score"], s["max_score"]) for s in submissions}
    assert scores == {L1: (2.0, 2.0), L2: (0.0, 2.0)}


def test_grading_a_workshop_exercise_works_the_first_time(hub, tokens):
    """With no Generate pressed: does the facilitator's formgrader already know the six workshop exercises and
    name each learner (not 'None, None'), and does a01 released as shipped, fetched and submitted by learner1,
    collect and autograde at once?"""
    from coachkit.grading.gradebook import assignment_names

    known = {a["name"] for a in _formgrader(hub, tokens, "assignments", "GET")}
    assert set(assignment_names(REPO)) <= known, known
    students = {s["id"]: s for s in _formgrader(hub, tokens, "students", "GET")}
    for name in LEARNERS:
        assert students[name]["last_name"] is not None and students[name]["first_name"] is not None, students
        assert name in (students[name]["last_name"], students[name]["first_name"]) or MODE == "system"
    exercise = "a01-questions"
    released = _formgrader(hub, tokens, f"assignment/{exercise}/release")
    assert released["success"], released
    body = {"course_id": COURSE, "assignment_id": exercise}
    fetched = hub.user(L1, "assignments/fetch", tokens[L1], "POST", data=body)
    assert fetched.status_code == 200 and fetched.json()["success"], fetched.text[:500]
    submitted = hub.user(L1, "assignments/submit", tokens[L1], "POST", data=body)
    assert submitted.status_code == 200 and submitted.json()["success"], submitted.text[:500]
    collected = _formgrader(hub, tokens, f"assignment/{exercise}/collect")
    assert collected["success"], collected
    graded = _formgrader(hub, tokens, f"submission/{exercise}/{L1}/autograde")
    assert graded["success"], graded
    scores = {s["student"]: s for s in _formgrader(hub, tokens, f"submissions/{exercise}", "GET")}
    assert scores[L1]["autograded"] and scores[L1]["max_score"] > 0


def _code_notebook(source: str) -> dict:
    """A notebook of one code cell, for Voila to run in a learner's own kernel."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Check"), nbformat.v4.new_code_cell(source)]
    return json.loads(nbformat.writes(nb))


def _board(hub: Hub, method: str, path: str, token: str | None, body=None, headers=None):
    """A request to the board service through the hub's proxy, as the holder of ``token``."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"token {token}"
    return hub.http.request(
        method, f"{hub.url}{BOARD}{path}", json=body, headers=sent, timeout=120, allow_redirects=False
    )


def _run_in_kernel(hub: Hub, tokens: dict, name: str, source: str, page: str = "board-check.ipynb") -> str:
    """Run ``source`` in ``name``'s own kernel (a Voila page of their server) and return the page's text."""
    _put_notebook(hub, name, tokens[name], page, _code_notebook(source))
    response = hub.user(name, f"voila/render/{page}", tokens[name])
    assert response.status_code == 200, response.text[-800:]
    return response.text


@pytest.fixture(scope="module")
def crowd_tokens(hub, tokens):
    """A token for each of the 28 answering-only hub users (no server: they post as a kernel would)."""
    made = {}
    for name in CROWD:
        response = hub.api("POST", f"/users/{name}/tokens", json={"note": "board crowd", "expires_in": 3600})
        assert response.status_code == 201, response.text
        made[name] = response.json()["token"]
    return made


def test_board_answers_from_both_learners_kernels_reach_the_facilitator_anonymously(hub, tokens):
    """Opened from the facilitator's own kernel, answered from each learner's own kernel (the answer box's
    client, their server's token), do both answers reach the facilitator, escaped when shown, nameless in
    the service's database?"""
    opened = _run_in_kernel(
        hub, tokens, FACILITATOR,
        "from coachkit.board import BoardFacilitator\n"
        "view = BoardFacilitator()\n"
        "view.prompt_input.value = \"What's keeping you from coaching others?\"\n"
        "view.open_session()\n"
        "print('CODE=' + (view.session.code if view.session else 'none ' + view.status.value))",
    )  # fmt: skip
    assert "CODE=" in opened and "CODE=none" not in opened, opened[-800:]
    code = opened.split("CODE=", 1)[1][:5]
    answers = {L1: "No <b>time</b>, I think", L2: "Habit: I just tell"}
    for name, answer in answers.items():
        page = _run_in_kernel(
            hub, tokens, name,
            "from coachkit.board import BoardAnswer\n"
            f"box = BoardAnswer(code={code!r})\n"
            f"box.answer_input.value = {answer!r}\n"
            "box.send()\n"
            "print('STATUS=' + box.status.value)",
        )  # fmt: skip
        assert "STATUS=Thank you: your answer is on the board" in page, page[-800:]
    response = _board(hub, "GET", f"api/sessions/{code}/results", tokens[FACILITATOR])
    assert response.status_code == 200, response.text
    assert sorted(response.json()["answers"]) == sorted(answers.values())
    from coachkit.board.model import BoardResults
    from coachkit.board.widgets import results_html

    shown = results_html(BoardResults.from_json(response.json()))
    assert "No &lt;b&gt;time&lt;/b&gt;, I think" in shown and "<b>time</b>" not in shown
    import sqlite3

    database = hub.state / "board-service" / "board.sqlite"
    assert database.stat().st_mode & 0o777 == 0o600
    assert database.parent.stat().st_mode & 0o777 == 0o700
    with contextlib.closing(sqlite3.connect(database)) as conn:
        rows = [" ".join(map(str, row)) for table in ("answers", "visitors")
                for row in conn.execute(f"SELECT * FROM coachkit_board2_{table}")]  # fmt: skip
    assert rows
    for name in LEARNERS:
        assert name not in shown and not any(name in row for row in rows)


def test_a_learner_cannot_read_change_or_delete_anything_on_the_board(hub, tokens):
    """With their own token, with forged headers, a forged cookie or a token they try to mint with the
    board's scope, is learner1 refused every other session's answers, every change, and the page?"""
    facilitator, learner = tokens[FACILITATOR], tokens[L1]
    opened = _board(hub, "POST", "api/sessions", facilitator, {"prompt": "Private question"})
    assert opened.status_code == 201, opened.text
    code, key = opened.json()["code"], opened.json()["key"]
    secret = f"learner2 private {secrets.token_hex(4)}"
    assert (
        _board(hub, "POST", f"api/sessions/{code}/answers", tokens[L2], {"answer": secret}).status_code == 201
    )
    forged = [
        {},
        {"X-Coachkit-Session-Key": key},  # even the session's real key
        {"X-Coachkit-Visitor": FACILITATOR, "X-Forwarded-User": FACILITATOR, "X-Remote-User": FACILITATOR},
        {"Cookie": f"jupyterhub-services=forged; jupyterhub-session-id={secrets.token_hex(16)}"},
    ]
    attempts = [
        ("GET", "api/sessions", None),
        ("GET", f"api/sessions/{code}/results", None),
        ("POST", "api/sessions", {"prompt": "Please type your network password here"}),
        ("PATCH", f"api/sessions/{code}", {"is_open": False}),
        ("DELETE", f"api/sessions/{code}/answers", None),
        ("GET", "", None),  # the facilitator's page
    ]
    for method, path, body in attempts:
        for headers in forged:
            response = _board(hub, method, path, learner, body, headers)
            assert response.status_code == 403, (method, path, headers, response.status_code)
            assert secret not in response.text
    # No token at all: the API says 401, the page sends the browser to the hub's login.
    assert _board(hub, "GET", f"api/sessions/{code}/results", None).status_code == 401
    page = _board(hub, "GET", "", None)
    assert page.status_code == 302 and "/hub/" in page.headers["Location"]
    # A token with the board's scope cannot be minted by someone who does not hold it.
    wanted = {"scopes": ["access:services!service=coachkit-board"], "expires_in": 600}
    minted = hub.api("POST", f"/users/{L1}/tokens", token=learner, json=wanted)
    assert minted.status_code in (400, 403) and "not held" in minted.text, minted.text
    results = _board(hub, "GET", f"api/sessions/{code}/results", facilitator).json()
    assert results["answers"] == [secret] and results["is_open"] and results["prompt"] == "Private question"


def test_a_learners_own_kernel_finds_no_database_and_cannot_manage_the_board(hub, tokens):
    """From learner1's own kernel: is there no database URL, password or board folder in its environment,
    no board file where the old board kept one, is its server's token refused every facilitator action, and
    does the OS refuse the service's database file to a learner's OS user (system mode: from the kernel;
    trial mode, whose kernels are the hub's own user: as another OS user, run as root)?"""
    facilitator = tokens[FACILITATOR]
    opened = _board(hub, "POST", "api/sessions", facilitator, {"prompt": "Q", "options": ["Coach", "Tell"]})
    code = opened.json()["code"]
    database = hub.state / "board-service" / "board.sqlite"
    old = hub.state / "board" / "board.sqlite"
    source = f"""
import os, sqlite3
from coachkit.board.client import BoardClient
env = " ".join(f"{{k}}={{v}}" for k, v in os.environ.items())
print("DBENV=" + str([k for k in os.environ if k in ("COACHKIT_BOARD_DB", "COACHKIT_BOARD_DIR")]))
words = ("postgresql", "sqlite", "board-service", "password")
print("SECRETS=" + str([w for w in words if w in env.lower()]))
print("OLDFILE=" + str(os.path.exists({str(old)!r})))
client = BoardClient()
outcomes = []
attempts = (lambda: client.results({code!r}), lambda: client.clear({code!r}), lambda: client.sessions(),
            lambda: client.set_open({code!r}, None, False), lambda: client.open_session("Type your password"))
for attempt in attempts:
    try:
        attempt()
        outcomes.append("ALLOWED")
    except Exception as exc:
        outcomes.append(type(exc).__name__)
print("OUTCOMES=" + ",".join(outcomes))
try:
    open({str(database)!r}, "r+b").close()
    print("FILE=open for writing")
except PermissionError:
    print("FILE=refused by the OS")
"""
    page = _run_in_kernel(hub, tokens, L1, source, "peek-board.ipynb")
    assert "DBENV=[]" in page and "SECRETS=[]" in page and "OLDFILE=False" in page, page[-1500:]
    assert "OUTCOMES=" + ",".join(["BoardPermissionError"] * 5) in page, page[-1500:]
    if MODE == "system":
        assert "FILE=refused by the OS" in page, page[-1500:]
    else:
        # Trial mode runs every hub user as the hub's own OS user (said in the guide and the README): the
        # kernel is not told where the file is, but nothing but the OS of a system-mode hub can refuse it.
        assert "FILE=open for writing" in page or "FILE=refused by the OS" in page, page[-1500:]
        _as_another_os_user_the_board_is_refused(database)
    assert _board(hub, "GET", f"api/sessions/{code}/results", facilitator).json()["is_open"]


def _as_another_os_user_the_board_is_refused(database: Path) -> None:
    """What a system-mode learner's kernel is (an OS user other than the hub's), tried on this hub's real
    board files: read the database, open it for writing, delete it, and create a file in its folder before
    the service does. Each must fail with PermissionError."""
    python = "/usr/bin/python3"
    if os.geteuid() != 0 or not shutil.which("runuser") or not Path(python).exists():
        return  # needs root to become another user; the system-mode run covers it through a real kernel
    probe = f"""
import os, sqlite3
attempts = {{
    "read": lambda: open({str(database)!r}, "rb").read(16),
    "write": lambda: open({str(database)!r}, "r+b").close(),
    "sqlite": lambda: sqlite3.connect("file:{database}?mode=rw", uri=True).execute("PRAGMA user_version"),
    "delete": lambda: os.remove({str(database)!r}),
    "pre-create": lambda: open({str(database.parent / "board.sqlite-journal")!r}, "x").close(),
    "list": lambda: os.listdir({str(database.parent)!r}),
}}
for name, attempt in attempts.items():
    try:
        attempt()
        print(name, "ALLOWED")
    except (PermissionError, sqlite3.OperationalError) as exc:
        print(name, "refused", type(exc).__name__)
"""
    done = subprocess.run(["runuser", "-u", "nobody", "--", python, "-c", probe], capture_output=True,
                          text=True, timeout=60, cwd="/")  # fmt: skip
    lines = done.stdout.split("\n")
    assert "ALLOWED" not in done.stdout and len([line for line in lines if "refused" in line]) == 6, done
    assert database.exists()


def test_thirty_learners_answering_at_once_all_land(hub, tokens, crowd_tokens):
    """Thirty hub users (learner1, learner2 and 28 answering-only users, each with their own token) vote
    and answer at the same moment through the hub's proxy: do all 60 land, and is each second vote refused?"""
    people = {L1: tokens[L1], L2: tokens[L2], **crowd_tokens}
    assert len(people) == 30
    facilitator = tokens[FACILITATOR]
    poll = _board(
        hub, "POST", "api/sessions", facilitator, {"prompt": "Coach or tell?", "options": ["Coach", "Tell"]}
    )
    text = _board(hub, "POST", "api/sessions", facilitator, {"prompt": "One word for coaching?"})
    poll_code, text_code = poll.json()["code"], text.json()["code"]
    names = sorted(people)
    barrier = __import__("threading").Barrier(30)

    def answer(name: str) -> tuple[int, int]:
        session = _requests().Session()
        headers = {"Authorization": f"token {people[name]}"}
        barrier.wait(timeout=60)
        vote = session.post(
            f"{hub.url}{BOARD}api/sessions/{poll_code}/answers",
            headers=headers,
            json={"answer": "Coach" if names.index(name) % 3 else "Tell"},
            timeout=120,
        )
        words = session.post(f"{hub.url}{BOARD}api/sessions/{text_code}/answers", headers=headers,
                             json={"answer": f"words of {name}"}, timeout=120)  # fmt: skip
        return vote.status_code, words.status_code

    with ThreadPoolExecutor(30) as pool:
        codes = list(pool.map(answer, names))
    assert codes == [(201, 201)] * 30
    votes = _board(hub, "GET", f"api/sessions/{poll_code}/results", facilitator).json()
    assert sum(votes["counts"].values()) == 30 and votes["counts"]["Tell"] == 10
    words = _board(hub, "GET", f"api/sessions/{text_code}/results", facilitator).json()["answers"]
    assert sorted(words) == sorted(f"words of {name}" for name in names)
    again = _board(hub, "POST", f"api/sessions/{poll_code}/answers", people[L1], {"answer": "Tell"})
    assert again.status_code == 400 and "already voted" in again.json()["error"]


def _log_in(page, hub: Hub, name: str, password: str) -> None:
    page.goto(f"{hub.url}hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    page.wait_for_url(lambda url: "/hub/login" not in url, timeout=60_000, wait_until="commit")


@pytest.mark.browser
def test_the_facilitators_board_page_in_a_browser(hub, tokens, crowd_tokens, new_page):
    """Logged in through the hub, does the facilitator's board page (1920 x 1080) open a poll and show the
    room's votes live as a chart, and a free-text answer full of HTML as text; and is a learner who logs in
    in a browser refused the page?"""
    if MODE != "trial":
        pytest.skip("the trial hub's passwords are what the browser logs in with")
    from conftest import screenshot

    page = new_page(viewport={"width": 1920, "height": 1080})
    _log_in(page, hub, FACILITATOR, hub.passwords["facilitator"])
    page.goto(f"{hub.url}{BOARD}")
    page.get_by_role("heading", name="Group board").wait_for(timeout=60_000)
    page.get_by_label("Answer type").select_option("poll")
    page.get_by_label("Question").fill("When someone brings you a problem, what do you usually do?")
    page.get_by_label("Poll options (one a line, 2 to 8)").fill(
        "Tell them what to do\nAsk questions\nIt depends"
    )
    page.get_by_role("button", name="Open session").click()
    page.locator("#code").filter(has_text=re.compile(r"^[A-Z]{5}$")).wait_for(timeout=30_000)
    code = page.locator("#code").inner_text()
    voters = list(crowd_tokens.values())[:5]
    choices = ["Ask questions", "Ask questions", "Tell them what to do", "It depends", "Ask questions"]
    for token, choice in zip(voters, choices, strict=True):
        assert (
            _board(hub, "POST", f"api/sessions/{code}/answers", token, {"answer": choice}).status_code == 201
        )
    page.locator("#total", has_text="5 answers").wait_for(timeout=30_000)  # no reload: the page updates live
    rows = page.locator("#chart tbody tr")
    assert (
        rows.count() == 3 and "Ask questions" in rows.nth(1).inner_text() and "3" in rows.nth(1).inner_text()
    )
    screenshot(page, "hub-board-facilitator-poll")
    from conftest import serious_accessibility_problems

    assert serious_accessibility_problems(page) == []

    page.get_by_role("button", name="New session").click()
    page.get_by_label("Answer type").select_option("text")
    page.get_by_label("Question").fill("What's keeping you from coaching others?")
    page.get_by_role("button", name="Open session").click()
    page.locator("#code").filter(has_text=re.compile(r"^[A-Z]{5}$")).wait_for(timeout=30_000)
    text_code = page.locator("#code").inner_text()
    assert text_code != code
    html_answer = "<img src=x onerror=alert(1)><b>No time</b>, honestly"
    for token, words in zip(
        voters[:3], [html_answer, "Habit: I just tell", "Fear of getting it wrong"], strict=True
    ):
        assert (
            _board(hub, "POST", f"api/sessions/{text_code}/answers", token, {"answer": words}).status_code
            == 201
        )
    page.locator("#answers li").nth(2).wait_for(timeout=30_000)
    assert page.locator("#answers li").first.inner_text() == html_answer
    assert page.locator("#answers img, #answers b").count() == 0
    screenshot(page, "hub-board-facilitator-answers")
    page.reload()  # a reload comes back to the same session
    page.locator("#answers li").nth(2).wait_for(timeout=30_000)
    assert page.locator("#code").inner_text() == text_code

    learner = new_page(viewport={"width": 1280, "height": 900})
    _log_in(learner, hub, L1, hub.passwords["learner"])
    refused = learner.goto(f"{hub.url}{BOARD}")
    assert refused.status == 403, refused.status
    assert learner.get_by_role("heading", name="Group board").count() == 0
    assert "Habit: I just tell" not in learner.content()
    learner.watch.console_errors = [m for m in learner.watch.console_errors if "403" not in m]


def test_the_idle_culler_runs_as_a_service_with_only_the_scopes_it_needs(hub, tokens):
    """Is jupyterhub-idle-culler running as the hub's managed service (an hour's timeout), is its only role
    the one with the four scopes its README lists, and does the hub's database hold exactly those?"""
    import psutil

    model = hub.api("GET", "/services/coachkit-idle-culler").json()
    assert model["roles"] == ["coachkit-idle-culler-role"] and not model["admin"], model
    assert model["pid"] and psutil.pid_exists(model["pid"]), model
    command = psutil.Process(model["pid"]).cmdline()
    assert "jupyterhub_idle_culler" in command and "--timeout=3600" in command, command
    import sqlite3

    with contextlib.closing(sqlite3.connect(hub.state / "jupyterhub.sqlite")) as conn:
        rows = dict(conn.execute("SELECT name, scopes FROM roles WHERE name LIKE 'coachkit-idle-culler%'"))
    needed = ["delete:servers", "list:users", "read:servers", "read:users:activity"]
    assert sorted(json.loads(rows["coachkit-idle-culler-role"])) == needed
    assert sorted(json.loads(rows["coachkit-idle-culler-test-role"])) == [f"{s}!user={IDLE}" for s in needed]
    test_culler = hub.api("GET", "/services/coachkit-idle-culler-test").json()
    assert test_culler["pid"] and psutil.pid_exists(test_culler["pid"]), test_culler


def test_the_idle_culler_stops_a_server_idle_past_its_timeout(hub, tokens):
    """With the test's culler (the same service definition, a 20 s timeout, scopes limited to one user): is
    that user's idle server stopped within a minute or two, while the others' servers keep running?"""
    if MODE != "trial":
        pytest.skip("the short-timeout culler watches a trial-mode hub user who is not a system user")
    assert hub.api("POST", f"/users/{IDLE}/server").status_code in (201, 202)
    _wait_until_ready(hub, IDLE)
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        hub.descendants.update(p.pid for p in psutil.Process(hub.pid).children(recursive=True))
    started = time.monotonic()
    deadline = started + 180
    while time.monotonic() < deadline:
        if not hub.api("GET", f"/users/{IDLE}").json().get("servers"):
            break
        time.sleep(1)
    else:
        raise TimeoutError(f"{IDLE}'s idle server was not culled within 180 s")
    assert time.monotonic() - started >= IDLE_TIMEOUT - 5  # not stopped before its timeout
    for name in (FACILITATOR, *LEARNERS):  # the test's culler sees no one else
        assert hub.api("GET", f"/users/{name}").json()["servers"][""]["ready"], name
