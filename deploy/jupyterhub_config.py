"""JupyterHub for a workshop group on one machine: each person their own server, the lessons, Voila, nbgrader.

Two modes (COACHKIT_HUB_MODE):
- ``trial`` (what `make hub` runs): every hub user is the OS user that started the hub
  (SimpleLocalProcessSpawner), homes under the state folder, one shared learner password and a long
  facilitator password. For trying the set-up on a laptop or in a test; it gives NO isolation between
  users' files and must not face real learners.
- ``system`` (a real server, run as root): each hub user is a system user of the same name, logged in with
  their system password (PAM) and spawned as that user (LocalProcessSpawner): the OS keeps their files apart.
  The repository and its .venv must be readable by every user (not under /root).

Everything is set by environment variables so the same file serves the trial, a test and a real server:
  COACHKIT_HUB_STATE       folder for the hub's database, cookie secret, exchange, board service (trial homes)
  COACHKIT_HUB_IP/PORT     where people connect (default 127.0.0.1:8000)
  COACHKIT_HUB_API_PORT, COACHKIT_PROXY_API_PORT   internal ports (default 8081, 8001)
  COACHKIT_FACILITATORS    comma-separated hub names of the facilitators (hub admins, run the course)
  COACHKIT_LEARNERS        comma-separated hub names of the learners (others cannot log in)
  COACHKIT_HUB_PASSWORD, COACHKIT_HUB_ADMIN_PASSWORD   trial mode's shared passwords (8+ and 32+ characters)
  COACHKIT_BOARD_DB        a database URL for the group board (default: SQLite in the board service's own
                           folder); given to the board service only, never to a learner's server
  COACHKIT_BOARD_PORT      where the board service listens on 127.0.0.1 (default 8082)
  COACHKIT_CHP             the configurable-http-proxy command (default: the copy `make hub` installs)
  COACHKIT_HUB_CULL_TIMEOUT   seconds a server may sit idle before jupyterhub-idle-culler stops it
                              (default 3600; more than 360, as the hub notes activity every 5 minutes)
  COACHKIT_HUB_CULL_EVERY     how often the culler looks, in seconds (default: a tenth of the timeout)

The lessons reach every hub user's server with nbgitpuller: at start the hub refreshes a learners' git
repository (lessons/ and exercises/ only, never solutions/: deploy/learner_repo.py) under the state folder,
and each server's default URL is nbgitpuller's link to it, so a person's edits are never overwritten.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
VENV_BIN = Path(sys.executable).parent
MODE = os.environ.get("COACHKIT_HUB_MODE", "trial")
if MODE not in ("trial", "system"):
    raise ValueError(f"COACHKIT_HUB_MODE must be trial or system, not {MODE!r}")
STATE = Path(
    os.environ.get(
        "COACHKIT_HUB_STATE",
        Path.home() / ".local/share/coachkit-hub" if MODE == "trial" else "/srv/coachkit-hub",
    )
).resolve()
EXCHANGE = STATE / "exchange"
# The group board service's own folder (mode 0700, its SQLite file 0600): no learner's server is told of it.
BOARD_DIR = STATE / "board-service"
BOARD_SERVICE = "coachkit-board"
BOARD_PORT = int(os.environ.get("COACHKIT_BOARD_PORT", "8082"))
# The learners' repository (lessons/ and exercises/, no solutions/) that every server pulls with nbgitpuller.
LEARNER_REPO = STATE / "learner-repo.git"
CULLER_SERVICE = "coachkit-idle-culler"
CULL_TIMEOUT = int(os.environ.get("COACHKIT_HUB_CULL_TIMEOUT", "3600"))
CULL_EVERY = int(os.environ.get("COACHKIT_HUB_CULL_EVERY", "0")) or max(CULL_TIMEOUT // 10, 1)
COURSE_ID = os.environ.get("COACHKIT_COURSE_ID", "coaching-workshop")


def _names(variable: str, default: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, default).split(",") if name.strip()}


FACILITATORS = _names("COACHKIT_FACILITATORS", "facilitator")
LEARNERS = _names("COACHKIT_LEARNERS", "learner1,learner2")

# The exchange must be writable by all learners' servers (nbgrader's own rule, sticky so nobody can delete
# another's files). The board's folder is the board service's alone.
for folder, mode in ((STATE, 0o755), (EXCHANGE, 0o1777), (BOARD_DIR, 0o700)):
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(mode)

sys.path.insert(0, str(DEPLOY))
import learner_repo  # noqa: E402 - deploy/learner_repo.py, beside this file

# One commit per start that found the lessons or exercises changed; learners' servers merge it on their next
# visit. Readable by every user (system mode spawns each learner as themselves), written by the hub alone.
learner_repo.refresh(REPO, LEARNER_REPO)

# -- network: only this machine unless told otherwise ------------------------------------------------------
c.JupyterHub.ip = os.environ.get("COACHKIT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COACHKIT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COACHKIT_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('COACHKIT_PROXY_API_PORT', '8001'))}"
_local_proxy = REPO / ".venv/chp/node_modules/.bin/configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    os.environ.get("COACHKIT_CHP")
    or (str(_local_proxy) if _local_proxy.exists() else shutil.which("configurable-http-proxy") or "")
]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# -- who may log in, and what they may do (JupyterHub 2+ roles and scopes) ----------------------------
c.Authenticator.allowed_users = LEARNERS | FACILITATORS
# Facilitators are hub admins: they see everyone's server in the admin panel and can start or stop it.
# Learners have the default "user" role: scope "self", their own server and nothing else. The formgrader runs
# inside the facilitator's own server, so no grader service (nbgrader's pre-JupyterHub-2 recipe) is needed.
c.Authenticator.admin_users = FACILITATORS
c.JupyterHub.load_groups = {
    "facilitators": {"users": sorted(FACILITATORS)},
    "learners": {"users": sorted(LEARNERS)},
}
c.JupyterHub.load_roles = [
    {"name": "user", "description": "A learner: their own server only", "scopes": ["self"]},
    # The group board's facilitator view and actions (open, read, close, clear) need the board service's
    # access scope: only the facilitators' group holds it. Learners can still send answers: the service
    # identifies any hub user's token, and lets them read a question and answer it, nothing more.
    {
        "name": "board-facilitator",
        "description": "Run the group board: open sessions, see every answer, close and clear them",
        "scopes": [f"access:services!service={BOARD_SERVICE}"],
        "groups": ["facilitators"],
    },
]

# -- the group board: a hub service that alone owns its database -------------------------------------------
_board_env = {"COACHKIT_BOARD_DIR": str(BOARD_DIR), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
_board_db = os.environ.get("COACHKIT_BOARD_DB", "")
_earlier = os.environ.get("COACHKIT_BOARD_URL", "")
if not _board_db and _earlier and not _earlier.startswith(("http://", "https://")):
    _board_db = _earlier  # the earlier name of the database URL: now it goes to the service alone
if _board_db:
    _board_env["COACHKIT_BOARD_DB"] = _board_db  # the service's environment only
c.JupyterHub.services = [
    {
        "name": BOARD_SERVICE,
        "url": f"http://127.0.0.1:{BOARD_PORT}",
        "command": [sys.executable, "-m", "coachkit.board.service"],
        "environment": _board_env,
        "display": True,  # in the hub's Services menu, for those who may open it
        "oauth_no_confirm": True,
    }
]


def idle_culler(name: str, timeout: int, every: int, only_user: str = "") -> tuple[dict, dict]:
    """jupyterhub-idle-culler as a hub-managed service, and its role: exactly the scopes its README lists
    for stopping servers (no admin:users, as it never deletes users). ``only_user`` limits every scope to one
    user (the hub test's short-timeout culler, which must leave everyone else's servers alone)."""
    scopes = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
    if only_user:
        scopes = [f"{scope}!user={only_user}" for scope in scopes]
    service = {
        "name": name,
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={timeout}",
                    f"--cull-every={every}"],
    }  # fmt: skip
    role = {"name": f"{name}-role", "scopes": scopes, "services": [name]}
    return service, role


_culler, _culler_role = idle_culler(CULLER_SERVICE, CULL_TIMEOUT, CULL_EVERY)
c.JupyterHub.services.append(_culler)
c.JupyterHub.load_roles.append(_culler_role)
# A server's own token ($JUPYTERHUB_API_TOKEN, what its kernels send the board) gets the board's access
# scope only when its owner holds it: a facilitator's kernel can run BoardFacilitator, a learner's cannot.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    f"access:services!service={BOARD_SERVICE}",
]

if MODE == "trial":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ.get("COACHKIT_HUB_PASSWORD", "")
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("COACHKIT_HUB_ADMIN_PASSWORD", "")
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
else:
    c.JupyterHub.authenticator_class = "pam"
    c.JupyterHub.spawner_class = "localprocess"

# A test drives the hub through its REST API with a service token (never set outside tests).
if os.environ.get("COACHKIT_HUB_TEST_TOKEN"):
    TEST_TOKEN = os.environ["COACHKIT_HUB_TEST_TOKEN"]
    c.JupyterHub.services.append({"name": "coachkit-hub-test", "api_token": TEST_TOKEN})
    c.JupyterHub.load_roles.append(
        {
            "name": "hub-test-driver",
            "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users", "read:services",
                       "read:roles:services"],
            "services": ["coachkit-hub-test"],
        }
    )  # fmt: skip
    # A second culler with a short timeout, for one test user only: the test watches it stop that server.
    if os.environ.get("COACHKIT_HUB_TEST_CULL_USER"):
        _test_culler, _test_role = idle_culler(
            "coachkit-idle-culler-test",
            int(os.environ.get("COACHKIT_HUB_TEST_CULL_TIMEOUT", "20")),
            5,
            only_user=os.environ["COACHKIT_HUB_TEST_CULL_USER"],
        )
        c.JupyterHub.services.append(_test_culler)
        c.JupyterHub.load_roles.append(_test_role)

# -- each person's own server ------------------------------------------------------------------------
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
if MODE == "trial" and os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]  # the trial runs every server as the hub's own user, here root
# nbgitpuller's link: pull the learners' repository into ~/workshop (merging, never overwriting a person's
# edits), then open the workshop's landing page. The lessons are at
# /user/NAME/voila/render/lessons/NN-topic.ipynb (~/lessons links to ~/workshop/lessons).
c.Spawner.default_url = learner_repo.pull_link(learner_repo.repo_url(LEARNER_REPO))
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {
    "COACHKIT_SHARED_OS_USER": "1" if MODE == "trial" else "0",
    "COACHKIT_COURSE_ID": COURSE_ID,
    "COACHKIT_JOURNAL_STORE": "file",  # each person's journal in their own home, not in a browser
    "NBGRADER_EXCHANGE": str(EXCHANGE),
    # Our nbgrader settings, and the workshop's Voila template (shipped in the package) for every server.
    "JUPYTER_CONFIG_PATH": str(DEPLOY / "singleuser"),
    "JUPYTER_PATH": str(REPO / "coachkit/webapp/share/jupyter"),
    "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
    # Git refuses a repository another user owns: learners' servers (system mode) may clone the hub's one.
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "safe.directory",
    "GIT_CONFIG_VALUE_0": str(LEARNER_REPO),
}
# The board's address (not a secret): kernels post answers there with their server's own token.
c.Spawner.environment["COACHKIT_BOARD_URL"] = f"http://127.0.0.1:{BOARD_PORT}/services/{BOARD_SERVICE}/"


def _copy_missing(source: Path, target: Path) -> None:
    """A facilitator's course folder: copy files they do not have yet; never overwrite their own edits."""
    for path in source.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(source).parts):
            continue
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def _chown_tree(folder: Path, user: str) -> None:
    shutil.chown(folder, user, None)
    for path in folder.rglob("*"):
        shutil.chown(path, user, None)


async def _prepare_gradebook(spawner, course: Path, env: dict) -> None:
    """The facilitator's gradebook knows every assignment and every learner (by name) before anyone grades:
    autograde works the first time, with no Generate step (python -m coachkit.grading.gradebook prepare)."""
    import asyncio

    process = await asyncio.create_subprocess_exec(
        str(VENV_BIN / "python"), "-m", "coachkit.grading.gradebook", "prepare",
        cwd=str(course), env={**os.environ, **env, "COACHKIT_LEARNERS": ",".join(sorted(LEARNERS))},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    text = output.decode("utf-8", "replace").strip()
    if process.returncode:
        spawner.log.warning("coachkit: the gradebook of %s is not ready: %s", course, text[-1000:])
    else:
        spawner.log.info("coachkit: %s", text.replace("\n", "; "))


async def prepare_home(spawner) -> None:
    """Before a server starts: ~/lessons and ~/exercises as links into ~/workshop (nbgitpuller's clone, made
    by the default URL's pull); for a facilitator, the course folder too (solutions/ and the gradebook)."""
    name = spawner.user.name
    if MODE == "trial":
        home = Path(spawner.home_dir)
    else:
        import pwd

        home = Path(pwd.getpwnam(name).pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    links = learner_repo.link_folders(home)
    env = dict(spawner.environment)
    if name in FACILITATORS:
        course = home / "course"
        course.mkdir(exist_ok=True)
        for folder in ("solutions", "exercises"):
            _copy_missing(REPO / folder, course / folder)
        if not (course / "nbgrader_config.py").exists():
            shutil.copy2(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
        env["COACHKIT_COURSE_ROOT"] = str(course)
        await _prepare_gradebook(spawner, course, env)
    else:
        env["COACHKIT_NBGRADER_STUDENT_ID"] = name
    spawner.environment = env
    if MODE == "system":
        for link in links:
            os.lchown(link, *_ids(name))
        if (home / "course").exists():
            _chown_tree(home / "course", name)


def _ids(name: str) -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


c.Spawner.pre_spawn_hook = prepare_home
