"""The hub configurations agree: deploy/jupyterhub_config.py in both modes and the Z2JH values file."""

from __future__ import annotations

import importlib.util
import os
import runpy
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


def _load_learner_repo():
    """deploy/learner_repo.py (beside the hub's configuration, not a package of its own)."""
    spec = importlib.util.spec_from_file_location("coachkit_learner_repo", DEPLOY / "learner_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


learner_repo = _load_learner_repo()


def load_hub_config(monkeypatch, tmp_path, mode: str) -> Config:
    """Run jupyterhub_config.py the way JupyterHub does (a fresh Config behind get_config)."""
    monkeypatch.setenv("COACHKIT_HUB_MODE", mode)
    monkeypatch.setenv("COACHKIT_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COACHKIT_FACILITATORS", "fac")
    monkeypatch.setenv("COACHKIT_LEARNERS", "ann, bob")
    monkeypatch.delenv("COACHKIT_HUB_TEST_TOKEN", raising=False)
    monkeypatch.delenv("COACHKIT_BOARD_URL", raising=False)
    monkeypatch.delenv("COACHKIT_BOARD_DB", raising=False)
    config = Config()
    runpy.run_path(str(DEPLOY / "jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config


@pytest.mark.parametrize("mode", ["trial", "system"])
def test_hub_config_sets_the_workshop_choices(monkeypatch, tmp_path, mode):
    """In each mode: local address, facilitators as admins, learners' role 'self', shared exchange, board?"""
    c = load_hub_config(monkeypatch, tmp_path, mode)
    assert c.JupyterHub.ip == "127.0.0.1"
    assert c.Authenticator.admin_users == {"fac"}
    assert c.Authenticator.allowed_users == {"fac", "ann", "bob"}
    assert c.JupyterHub.load_roles[0] == {
        "name": "user",
        "description": "A learner: their own server only",
        "scopes": ["self"],
    }
    assert c.JupyterHub.spawner_class == ("simple" if mode == "trial" else "localprocess")
    assert c.JupyterHub.authenticator_class == ("shared-password" if mode == "trial" else "pam")
    # no test service outside tests
    assert [s["name"] for s in c.JupyterHub.services] == ["coachkit-board", "coachkit-idle-culler"]
    env = c.Spawner.environment
    exchange = tmp_path / "state" / "exchange"
    assert env["NBGRADER_EXCHANGE"] == str(exchange)
    assert exchange.stat().st_mode & 0o7777 == 0o1777
    assert (tmp_path / "state" / "board-service").stat().st_mode & 0o7777 == 0o700
    assert env["COACHKIT_BOARD_URL"] == "http://127.0.0.1:8082/services/coachkit-board/"
    assert Path(env["JUPYTER_CONFIG_PATH"], "nbgrader_config.py").exists()
    assert env["COACHKIT_SHARED_OS_USER"] == ("1" if mode == "trial" else "0")
    link = urlsplit(c.Spawner.default_url)
    assert link.path == "/git-pull"
    assert parse_qs(link.query) == {
        "repo": [(tmp_path / "state" / "learner-repo.git").as_uri()],
        "branch": ["main"],
        "targetpath": ["workshop"],
        "urlpath": ["coachkit/"],
    }


def test_the_learners_repository_holds_lessons_and_exercises_and_no_solutions(monkeypatch, tmp_path):
    """Does the hub's start build a bare repository of lessons/ and exercises/ as they are in the working
    tree, with no solutions/, no solution code and no hidden tests, and commit again only when they change?"""
    load_hub_config(monkeypatch, tmp_path, "trial")
    bare = tmp_path / "state" / "learner-repo.git"
    git = ["git", f"--git-dir={bare}"]
    files = subprocess.run([*git, "ls-tree", "-r", "--name-only", "main"], capture_output=True, text=True,
                           check=True).stdout.split()  # fmt: skip
    assert {name.split("/")[0] for name in files} == {"lessons", "exercises"}
    assert "lessons/00-start-here.ipynb" in files and "exercises/a01-questions/a01-questions.ipynb" in files
    readme = subprocess.run([*git, "show", "main:exercises/README.md"], capture_output=True, text=True).stdout
    assert "no `solutions/` folder" in readme and "practice with feedback, not an exam" in readme
    assert not (REPO / "exercises" / "README.md").exists()  # exercises/ itself is only what nbgrader writes
    for name in files:
        text = subprocess.run(
            [*git, "show", f"main:{name}"], capture_output=True, text=True, check=True
        ).stdout
        origin = learner_repo.repository_files(REPO)[name]
        assert name.endswith(".csv") or origin.read_text(encoding="utf-8") == text
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, name
    first = learner_repo.refresh(REPO, bare)
    assert learner_repo.refresh(REPO, bare) == first  # nothing changed: no new commit
    copy = tmp_path / "copy"
    for folder in ("lessons", "exercises"):
        shutil.copytree(REPO / folder, copy / folder)
    (copy / "lessons" / "99-new.ipynb").write_text("{}", encoding="utf-8")
    (copy / "solutions" / "a01").mkdir(parents=True)
    (copy / "solutions" / "a01" / "a01.ipynb").write_text("{}", encoding="utf-8")
    second = learner_repo.refresh(copy, bare)
    log = subprocess.run(
        [*git, "rev-list", "main"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert log == [second, first]
    files = subprocess.run([*git, "ls-tree", "-r", "--name-only", "main"], capture_output=True, text=True,
                           check=True).stdout.split()  # fmt: skip
    assert "lessons/99-new.ipynb" in files and not any(name.startswith("solutions") for name in files)


def test_a_home_gets_links_into_the_clone_and_keeps_its_own_folders(tmp_path):
    """Are ~/lessons and ~/exercises made as links into ~/workshop, and is a folder already there kept?"""
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "mine.txt").write_text("mine", encoding="utf-8")
    made = learner_repo.link_folders(tmp_path)
    assert made == [tmp_path / "lessons"]
    assert os.readlink(tmp_path / "lessons") == "workshop/lessons"
    assert not (tmp_path / "exercises").is_symlink() and (tmp_path / "exercises" / "mine.txt").exists()
    assert learner_repo.link_folders(tmp_path) == []


@pytest.mark.parametrize("mode", ["trial", "system"])
def test_the_idle_culler_is_a_service_with_only_the_scopes_it_needs(monkeypatch, tmp_path, mode):
    """Is jupyterhub-idle-culler a hub-managed service with an hour's timeout by default (configurable), and
    does its role hold exactly the four scopes its README lists for stopping servers (no admin, no users)?"""
    monkeypatch.delenv("COACHKIT_HUB_CULL_TIMEOUT", raising=False)
    monkeypatch.delenv("COACHKIT_HUB_CULL_EVERY", raising=False)
    c = load_hub_config(monkeypatch, tmp_path, mode)
    services = {s["name"]: s for s in c.JupyterHub.services}
    culler = services["coachkit-idle-culler"]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert "--timeout=3600" in culler["command"] and "--cull-every=360" in culler["command"]
    assert not culler.get("admin") and "api_token" not in culler
    roles = [r for r in c.JupyterHub.load_roles if "coachkit-idle-culler" in r.get("services", [])]
    assert len(roles) == 1
    assert sorted(roles[0]["scopes"]) == [
        "delete:servers",
        "list:users",
        "read:servers",
        "read:users:activity",
    ]
    assert set(roles[0]) == {"name", "scopes", "services"}  # no users or groups hold the culler's role
    monkeypatch.setenv("COACHKIT_HUB_CULL_TIMEOUT", "7200")
    monkeypatch.setenv("COACHKIT_HUB_CULL_EVERY", "60")
    c = load_hub_config(monkeypatch, tmp_path, mode)
    command = {s["name"]: s for s in c.JupyterHub.services}["coachkit-idle-culler"]["command"]
    assert "--timeout=7200" in command and "--cull-every=60" in command


def test_z2jh_values_pull_the_learner_branch_and_cull_idle_servers():
    """In the Zero to JupyterHub values: is the default URL nbgitpuller's link to a published learner
    branch (into ~/workshop, then the landing page), is the learners' image told to carry no solutions/, and
    does the chart's culler stop servers idle for an hour?"""
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    link = urlsplit(values["singleuser"]["defaultUrl"])
    query = parse_qs(link.query)
    assert (
        link.path == "/git-pull" and query["targetpath"] == ["workshop"] and query["urlpath"] == ["coachkit/"]
    )
    assert query["repo"][0].startswith("https://") and query["branch"] == ["learner"]
    assert values["cull"] == {"enabled": True, "timeout": 3600, "every": 300}
    text = (DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8")
    assert "nbgitpuller==1.3.0" in text and "rm -rf /srv/coachkit/solutions" in text
    assert "cp -rn /srv/coachkit/lessons" not in text


def test_a_bad_mode_is_refused(monkeypatch, tmp_path):
    """Is a misspelt COACHKIT_HUB_MODE an error rather than a silently different hub?"""
    with pytest.raises(ValueError, match="trial or system"):
        load_hub_config(monkeypatch, tmp_path, "production")


def test_z2jh_values_make_the_same_choices(monkeypatch, tmp_path):
    """Does the Zero to JupyterHub values file use the same landing page, role, variables, config folder?"""
    c = load_hub_config(monkeypatch, tmp_path, "system")
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert urlsplit(single["defaultUrl"]).path == urlsplit(c.Spawner.default_url).path == "/git-pull"
    assert values["hub"]["loadRoles"]["user"]["scopes"] == ["self"]
    assert values["hub"]["config"]["Authenticator"]["admin_users"]
    shared = {"COACHKIT_JOURNAL_STORE", "COACHKIT_COURSE_ID", "NBGRADER_EXCHANGE", "COACHKIT_SHARED_OS_USER"}
    assert shared <= set(single["extraEnv"]) and shared <= set(c.Spawner.environment)
    assert single["extraEnv"]["JUPYTER_CONFIG_PATH"].endswith("deploy/singleuser")
    assert single["extraEnv"]["COACHKIT_BOARD_URL"].startswith("http")  # the service's address only
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert single["extraEnv"]["NBGRADER_EXCHANGE"] in mounts
    assert "COACHKIT_NBGRADER_STUDENT_ID" in values["hub"]["extraConfig"]["coachkit-per-user"]


def test_learner_nbgrader_config_uses_the_hub_name(monkeypatch):
    """Does the servers' nbgrader config take the student id from the hub, and leave a facilitator's unset?"""
    path = DEPLOY / "singleuser" / "nbgrader_config.py"
    monkeypatch.setenv("NBGRADER_EXCHANGE", "/srv/x")
    monkeypatch.setenv("COACHKIT_NBGRADER_STUDENT_ID", "ann")
    monkeypatch.delenv("COACHKIT_COURSE_ROOT", raising=False)
    learner = Config()
    runpy.run_path(str(path), init_globals={"get_config": lambda: learner})
    assert learner.CourseDirectory.student_id == "ann"
    assert learner.Exchange.root == "/srv/x"
    monkeypatch.delenv("COACHKIT_NBGRADER_STUDENT_ID")
    monkeypatch.setenv("COACHKIT_COURSE_ROOT", "/home/fac/course")
    facilitator = Config()
    runpy.run_path(str(path), init_globals={"get_config": lambda: facilitator})
    assert "student_id" not in facilitator.CourseDirectory
    assert facilitator.CourseDirectory.root == "/home/fac/course"


SECRET_WORDS = ("postgresql", "sqlite", "password", "secret", "board-service")


@pytest.mark.parametrize("mode", ["trial", "system"])
def test_the_board_is_a_service_and_no_secret_reaches_a_learners_server(monkeypatch, tmp_path, mode):
    """Is the board a hub service that alone gets the database URL, with its access scope granted only to
    the facilitators' group, and does nothing secret (URL, password, the board's folder) reach singleuser?"""
    monkeypatch.setenv("COACHKIT_BOARD_DB", "postgresql+psycopg://board:s3cret-pw@db.internal/board")
    monkeypatch.setenv("COACHKIT_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COACHKIT_HUB_MODE", mode)
    monkeypatch.setenv("COACHKIT_FACILITATORS", "fac")
    monkeypatch.setenv("COACHKIT_LEARNERS", "ann, bob")
    monkeypatch.delenv("COACHKIT_HUB_TEST_TOKEN", raising=False)
    c = Config()
    runpy.run_path(str(DEPLOY / "jupyterhub_config.py"), init_globals={"get_config": lambda: c})
    board = c.JupyterHub.services[0]
    assert board["name"] == "coachkit-board" and board["url"] == "http://127.0.0.1:8082"
    assert board["command"][1:] == ["-m", "coachkit.board.service"]
    assert board["environment"]["COACHKIT_BOARD_DB"].endswith("s3cret-pw@db.internal/board")
    assert "api_token" not in board  # the hub makes and hands over the service's own token
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles["board-facilitator"]["scopes"] == ["access:services!service=coachkit-board"]
    assert roles["board-facilitator"]["groups"] == ["facilitators"]
    assert "users" not in roles["board-facilitator"] and roles["user"]["scopes"] == ["self"]
    assert c.JupyterHub.load_groups["facilitators"]["users"] == ["fac"]
    # A server's token asks for the board's scope; the hub grants only what its owner holds.
    assert "access:services!service=coachkit-board" in c.Spawner.server_token_scopes
    env = " ".join(f"{k}={v}" for k, v in c.Spawner.environment.items()).lower()
    for word in (*SECRET_WORDS, "s3cret-pw", "coachkit_board_db", "coachkit_board_dir"):
        assert word not in env, word
    assert not any(
        name.startswith("COACHKIT_BOARD_") and name != "COACHKIT_BOARD_URL" for name in c.Spawner.environment
    )


def test_z2jh_runs_the_board_as_a_service_with_its_secret_in_the_hub_only():
    """In the Zero to JupyterHub values: is the board a hub service whose database secret is mounted into
    the hub pod only, is its access scope the facilitators' group's, and does singleuser get only the
    board's address (no secretKeyRef, no database URL, no password)?"""
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    text = yaml.safe_dump(single).lower()
    assert "secretkeyref" not in text and "valuefrom" not in text
    for word in SECRET_WORDS:
        assert word not in text, word
    assert single["extraEnv"]["COACHKIT_BOARD_URL"].startswith("http")
    hub = values["hub"]
    assert "coachkit-board" in hub["services"]
    assert hub["extraEnv"]["COACHKIT_BOARD_DB"]["valueFrom"]["secretKeyRef"]["name"] == "coachkit-board"
    role = hub["loadRoles"]["board-facilitator"]
    assert role["scopes"] == ["access:services!service=coachkit-board"] and role["groups"] == ["facilitators"]
    assert hub["services"]["coachkit-board"]["command"][-1] == "coachkit.board.service"
    assert (
        'env["COACHKIT_BOARD_DB"] = os.environ["COACHKIT_BOARD_DB"]' in hub["extraConfig"]["coachkit-board"]
    )
    assert hub["loadGroups"]["facilitators"]["users"] == hub["config"]["Authenticator"]["admin_users"]


def test_a_database_url_under_the_earlier_name_goes_to_the_service_only(monkeypatch, tmp_path):
    """A hub started with COACHKIT_BOARD_URL=postgresql+psycopg://... (the earlier set-up): does the URL reach
    the board service and no learner's server, which still gets the board's http address?"""
    monkeypatch.setenv("COACHKIT_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.delenv("COACHKIT_BOARD_DB", raising=False)
    monkeypatch.delenv("COACHKIT_HUB_TEST_TOKEN", raising=False)
    monkeypatch.setenv("COACHKIT_BOARD_URL", "postgresql+psycopg://board:old-pw@db/board")
    c = Config()
    runpy.run_path(str(DEPLOY / "jupyterhub_config.py"), init_globals={"get_config": lambda: c})
    assert c.JupyterHub.services[0]["environment"]["COACHKIT_BOARD_DB"].endswith("old-pw@db/board")
    assert c.Spawner.environment["COACHKIT_BOARD_URL"].startswith("http://127.0.0.1:")
    assert "old-pw" not in " ".join(c.Spawner.environment.values())


def test_the_facilitators_image_installs_bubblewrap():
    """Does the facilitators' image (the one that grades) install bubblewrap and prlimit, keep solutions/,
    install the package, run as jovyan, leave local data out, and is it the image the hub gives
    facilitators?"""
    dockerfile = (DEPLOY / "facilitator.Dockerfile").read_text(encoding="utf-8")
    steps = [line for line in dockerfile.replace("\\\n", " ").splitlines() if not line.startswith("#")]
    assert steps[0].startswith("FROM quay.io/jupyter/")
    installs = [s for s in steps if s.startswith("RUN") and "apt-get install" in s]
    assert installs and "bubblewrap" in installs[0].split() and "util-linux" in installs[0].split()
    assert any(s.startswith("COPY") and s.endswith(". /srv/coachkit") for s in steps)
    assert not any("rm -rf" in s and "solutions" in s for s in steps)  # the facilitators' image keeps them
    assert any(s.startswith("RUN pip install") and "-e /srv/coachkit" in s for s in steps)
    assert [s for s in steps if s.startswith("USER")][-1] == "USER ${NB_UID}"  # not root
    ignored = (DEPLOY / "facilitator.Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    for local in (".venv", ".git", "submitted", "autograded", "gradebook.db", ".coachkit"):
        assert local in ignored
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    hook = values["hub"]["extraConfig"]["coachkit-per-user"]
    image = hook.split('FACILITATOR_IMAGE = "')[1].split('"')[0]
    assert f"-t {image} ." in dockerfile
    assert "deploy/facilitator.Dockerfile" in (DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8")


def test_the_hub_grades_in_the_sandbox(monkeypatch):
    """A facilitator's server reads only deploy/singleuser/nbgrader_config.py for the formgrader's autograde:
    does it run each notebook in the sandbox kernel manager and score outside the kernel?"""
    from coachkit.grading.config import SandboxedExecute, ScoreAnswers
    from coachkit.grading.sandbox import SandboxKernelManager

    monkeypatch.delenv("COACHKIT_NBGRADER_STUDENT_ID", raising=False)
    monkeypatch.setenv("COACHKIT_COURSE_ROOT", "/home/fac/course")
    facilitator = Config()
    path = DEPLOY / "singleuser" / "nbgrader_config.py"
    runpy.run_path(str(path), init_globals={"get_config": lambda: facilitator})
    steps = facilitator.Autograde.autograde_preprocessors
    assert steps[:2] == [SandboxedExecute, ScoreAnswers]
    assert SandboxedExecute(config=facilitator).kernel_manager_class is SandboxKernelManager
