"""The hub configurations agree: deploy/jupyterhub_config.py in both modes and the Z2JH values file."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


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
    assert [s["name"] for s in c.JupyterHub.services] == ["coachkit-board"]  # no test service outside tests
    env = c.Spawner.environment
    exchange = tmp_path / "state" / "exchange"
    assert env["NBGRADER_EXCHANGE"] == str(exchange)
    assert exchange.stat().st_mode & 0o7777 == 0o1777
    assert (tmp_path / "state" / "board-service").stat().st_mode & 0o7777 == 0o700
    assert env["COACHKIT_BOARD_URL"] == "http://127.0.0.1:8082/services/coachkit-board/"
    assert Path(env["JUPYTER_CONFIG_PATH"], "nbgrader_config.py").exists()
    assert env["COACHKIT_SHARED_OS_USER"] == ("1" if mode == "trial" else "0")
    assert c.Spawner.default_url == "/coachkit/"


def test_a_bad_mode_is_refused(monkeypatch, tmp_path):
    """Is a misspelt COACHKIT_HUB_MODE an error rather than a silently different hub?"""
    with pytest.raises(ValueError, match="trial or system"):
        load_hub_config(monkeypatch, tmp_path, "production")


def test_z2jh_values_make_the_same_choices(monkeypatch, tmp_path):
    """Does the Zero to JupyterHub values file use the same landing page, role, variables, config folder?"""
    c = load_hub_config(monkeypatch, tmp_path, "system")
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert single["defaultUrl"] == c.Spawner.default_url
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
    (board,) = c.JupyterHub.services
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
