"""The grading sandbox: every submission's kernel runs inside bubblewrap, seeing only what it needs.

``nbgrader autograde`` starts each notebook's kernel through ``SandboxKernelManager`` (coachkit.grading.config
wires it in). The kernel is ipykernel as usual, wrapped in ``bwrap`` (Debian's ``bubblewrap``):

- in view, read-only: /usr, the Python installation and environment, the ``coachkit`` package and the
  question checker's word lists; the notebook's own folder (its data files). Nothing else: no gradebook, no
  solutions/, no other submission, no home directory, no source tree, no /etc.
- ``coachkit.grading.answer_keys`` inside is a stand-in with no key (``stand_in_source``), and the folder of
  assignment files it reads (``coachkit/grading/assignment_keys/``) is empty: the test cells hand their
  answers to the grader as data (coachkit.grading.graded_report) and the grader scores them in its own
  process.
- writable: only a private /tmp of ``TMP_BYTES`` (a tmpfs), also HOME.
- new PID, network, IPC, UTS and cgroup namespaces: no network at all; the kernel talks to the grader over
  Unix sockets (ZeroMQ's ``ipc`` transport) in a private folder. When the kernel exits, the PID namespace
  ends and every process it started is killed; ``--die-with-parent`` does the same if the grader dies.
- limits (``prlimit``): address space, processes, file size, CPU time; run as root, the kernel also drops to
  the unprivileged user ``SANDBOX_UID`` first, because the kernel does not enforce a process limit on root.

Where ``bwrap`` is missing, or cannot make its namespaces (run as anyone but root it needs unprivileged user
namespaces: ``sandbox_problem`` tries once), starting a kernel fails with ``SandboxMissing`` and a hint
(install ``bubblewrap``; allow user namespaces) unless the facilitator sets ``COACHKIT_GRADE_UNSANDBOXED=1``.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

UNSANDBOXED_ENV = "COACHKIT_GRADE_UNSANDBOXED"
SANDBOX_UID = int(os.environ.get("COACHKIT_SANDBOX_UID", "64123"))  # a uid no account uses, for root runs
SANDBOX_TMP = "/tmp"  # noqa: S108 - inside the sandbox: a private tmpfs of its own
TMP_BYTES = 64 * 1024 * 1024  # the private /tmp
MEMORY_BYTES = 2 * 1024**3  # address space of each process (a Python kernel needs about 0.6 GB)
PROCESSES = 64  # processes and threads of the sandbox user, on top of what it already runs
FILE_BYTES = 32 * 1024 * 1024  # the largest file a submission may write
CPU_SECONDS = 600  # CPU time of each process (the cell timeout stops a loop long before)

INSTALL_HINT = (
    "Grading runs each submission in a sandbox made with bubblewrap, which is not installed here. "
    "Install it (Debian or Ubuntu: `sudo apt-get install bubblewrap`) and grade again. "
    f"To grade without the sandbox on a machine where only you run code, set {UNSANDBOXED_ENV}=1: every "
    "submission then runs as you, can read your files and the key, and can change the gradebook."
)

USERNS_HINT = (
    "Grading runs each submission in a sandbox made with bubblewrap, which is installed here but could not "
    "create its namespaces ({detail}). Run as anyone but root, bubblewrap needs unprivileged user "
    "namespaces: allow them (any Linux: `sysctl user.max_user_namespaces=15000`; older Debian: "
    "`sysctl kernel.unprivileged_userns_clone=1`; Ubuntu 24.04: an AppArmor profile for bwrap, or "
    "`sysctl kernel.apparmor_restrict_unprivileged_userns=0`), or grade as root. In a container, the "
    "container must also be allowed to create namespaces and to mount a fresh /proc (Docker: "
    "`--security-opt seccomp=unconfined --security-opt systempaths=unconfined`; see docs/grading.md). "
    "Check with `bwrap --ro-bind / / --unshare-all --proc /proc --dev /dev true`, then grade again. "
    f"To grade without the sandbox on a machine where only you run code, set {UNSANDBOXED_ENV}=1: every "
    "submission then runs as you, can read your files and the key, and can change the gradebook."
)

# What the exercises import from coachkit.grading.answer_keys besides TaskCheck (a test keeps the list
# complete).
PUBLIC_HELPERS = (
    "read_transcript",
    "read_org_chart",
    "top_of",
    "questions_in",
    "question_kind",
    "transcript_text",
    "org_chart_text",
)
PUBLIC_CONSTANTS = ("ADVICE_PHRASES",)


class SandboxMissing(RuntimeError):
    pass


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


_PROBED: dict[tuple[str, int], str | None] = {}


def _unshare_args(root: bool) -> list[str]:
    # Run as root, bwrap keeps the real user namespace so that the kernel can then drop to SANDBOX_UID
    # (setpriv); run as anyone else, bwrap makes a user namespace of its own.
    if root:
        return ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all"]


def sandbox_problem() -> str | None:
    """Why the sandbox cannot run here, as a hint for the facilitator, or None when it can: ``bwrap`` is
    missing, or it cannot make the namespaces the sandbox uses (tried once per process with a command that
    does nothing; run as anyone but root this needs unprivileged user namespaces)."""
    bwrap = bwrap_path()
    if bwrap is None:
        return INSTALL_HINT
    key = (bwrap, os.geteuid())
    if key not in _PROBED:
        probe = [bwrap, *_unshare_args(os.geteuid() == 0), "--die-with-parent", "--ro-bind", "/", "/"]
        probe += ["--proc", "/proc", "--dev", "/dev", "true"]
        try:
            done = subprocess.run(probe, capture_output=True, text=True, timeout=60, check=False)
            lines = done.stderr.strip().splitlines()
            detail = lines[-1] if lines else f"exit status {done.returncode}"
            _PROBED[key] = None if done.returncode == 0 else USERNS_HINT.format(detail=detail)
        except (OSError, subprocess.TimeoutExpired) as error:
            _PROBED[key] = USERNS_HINT.format(detail=str(error))
    return _PROBED[key]


def unsandboxed_allowed() -> bool:
    return os.environ.get(UNSANDBOXED_ENV, "").strip().lower() in ("1", "yes", "true")


def stand_in_source() -> str:
    """The key-free ``coachkit.grading.answer_keys`` the sandbox sees: the helpers the exercises use, and a
    ``TaskCheck`` that only reports answers (and what stretch functions return on the grader's inputs)."""
    from coachkit.grading import answer_keys
    from coachkit.grading.graded_report import encode

    items = {
        f"{assignment.name}/{task.id}": encode(answer_keys.grading_items(task))
        for assignment in answer_keys.ASSIGNMENTS.values()
        for task in assignment.tasks
    }
    parts = [
        '"""coachkit.grading.answer_keys inside the grading sandbox: no key here '
        "(written by coachkit.grading.sandbox)."
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import csv",
        "import json",
        "import re",
        "from pathlib import Path",
        "",
        "from coachkit.grading.graded_report import answer_report, decode",
        "",
        "Transcript = list",
        "OrgChart = dict",
    ]
    parts += [f"{name} = {getattr(answer_keys, name)!r}" for name in PUBLIC_CONSTANTS]
    parts += ["", ""] + [inspect.getsource(getattr(answer_keys, name)) for name in PUBLIC_HELPERS]
    parts += [
        f"_ITEMS = {json.dumps(json.dumps(items))}",
        "",
        "",
        "class TaskCheck:",
        '    """Hands the answers to the grader as data; the grader, outside, decides the points."""',
        "",
        "    def __init__(self, assignment: str, task_id: str):",
        "        items = decode(json.loads(_ITEMS).get(f'{assignment}/{task_id}', []))",
        "        self._items = [tuple(i) for i in items]",
        "",
        "    def against_key(self) -> TaskCheck:",
        "        return self",
        "",
        "    def __call__(self, namespace: dict | None = None, **answers: object) -> None:",
        "        print(answer_report(self._items, namespace if namespace is not None else answers))",
        "",
    ]
    return "\n".join(parts)


def _ancestors(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if p != Path("/")]


def sandbox_command(kernel_cmd: list[str], cwd: str, private: Path, stand_in: Path) -> list[str]:
    """The command that runs ``kernel_cmd`` in the sandbox, ``cwd`` in view read-only."""
    import coachkit
    from coachkit.grading import answer_keys
    from coachkit.paths import assets_dir

    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxMissing(INSTALL_HINT)
    package = Path(coachkit.__file__).resolve().parent
    key_module = Path(answer_keys.__file__).resolve()
    words = assets_dir() / "questions"
    read_only = [
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix).resolve(),
        Path(sys.prefix),  # the venv's own path too, where it is a symlink
        package,
        words,
        # coachkit.paths knows a checkout by its pyproject.toml beside assets/: without it in view the
        # checker would look for its word lists inside the package, as installed from a wheel
        package.parent / "pyproject.toml",
        Path(cwd).resolve(),
    ]
    root = os.geteuid() == 0
    args = [bwrap, *_unshare_args(root), "--die-with-parent", "--new-session"]
    args += ["--clearenv"]
    args += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev"]
    args += ["--size", str(TMP_BYTES), "--perms", "1777", "--tmpfs", SANDBOX_TMP]
    for link in ("bin", "lib", "lib64", "sbin"):
        if Path(f"/{link}").is_symlink():
            args += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
    made: set[Path] = {Path("/usr")}
    for path in read_only + [private]:
        for parent in _ancestors(path):
            if parent not in made and parent != Path(SANDBOX_TMP) and not str(parent).startswith("/usr"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
    for path in read_only:
        if path.exists() and not str(path).startswith("/usr/"):
            args += ["--ro-bind", str(path), str(path)]
    args += ["--ro-bind", str(stand_in), str(key_module)]  # the key stays outside
    keys = answer_keys.key_folder()  # and so do the assignment files it reads: an empty folder in their place
    args += ["--size", "4096", "--perms", "0555", "--tmpfs", str(keys), "--remount-ro", str(keys)]
    for compiled in sorted((key_module.parent / "__pycache__").glob(f"{key_module.stem}.*.pyc")):
        args += ["--ro-bind", "/dev/null", str(compiled)]  # compiled copies of the key stay outside too
    args += ["--bind", str(private), str(private)]
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": SANDBOX_TMP,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLCONFIGDIR": SANDBOX_TMP,
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += ["--chdir", str(Path(cwd).resolve())]
    limits = [
        shutil.which("prlimit") or "prlimit",
        f"--as={MEMORY_BYTES}",
        f"--nproc={_process_limit()}",
        f"--fsize={FILE_BYTES}",
        f"--cpu={CPU_SECONDS}",
        "--core=0",
        "--",
    ]
    if root:
        # Inside, root keeps only the right to change user, and drops to SANDBOX_UID at once (no capability
        # is left after the change), then sets the limits and starts the kernel.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        drop = ["/usr/bin/setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups"]
        drop += ["--inh-caps=-all", "--bounding-set=-all", "--"]
        return args + ["--", *drop, "/usr/bin/prlimit", *limits[1:], *kernel_cmd]
    return limits + args + ["--", *kernel_cmd]


def _process_limit() -> int:
    """RLIMIT_NPROC counts every process of the user: allow what it runs now, plus PROCESSES."""
    if os.geteuid() == 0:
        return PROCESSES
    uid = os.getuid()
    running = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    running += len(list((entry / "task").iterdir()))
            except OSError:
                continue
    return running + PROCESSES


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in the grading sandbox and talk over private Unix sockets."""

    _private: Path | None = None

    async def _async_pre_start_kernel(self, **kw):
        problem = sandbox_problem()
        if problem is not None:
            if not unsandboxed_allowed():
                raise SandboxMissing(problem)
            self.log.warning("grading without the sandbox (%s is set)", UNSANDBOXED_ENV)
            return await super()._async_pre_start_kernel(**kw)
        self._remove_private_folder()  # a restart keeps the old folder until the new kernel starts
        self._private = Path(tempfile.mkdtemp(prefix="coachkit-kernel-"))
        # A signal would reach bwrap, not the kernel: interrupt (the cell timeout) by a control message.
        self.kernel_spec.interrupt_mode = "message"
        self.transport = "ipc"
        self.ip = str(self._private / "kernel")
        self.connection_file = str(self._private / "kernel.json")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        stand_in = self._private / "answer_keys.py"
        stand_in.write_text(_stand_in_cached(), encoding="utf-8")
        if os.geteuid() == 0:
            for path in (self._private, Path(self.connection_file)):
                os.chown(path, SANDBOX_UID, SANDBOX_UID)
        stand_in.chmod(0o444)
        cwd = kw.get("cwd") or os.getcwd()
        kw.pop("env", None)  # the sandbox starts from an empty environment (no hub token, no secrets)
        return sandbox_command(kernel_cmd, cwd, self._private, stand_in), kw

    def lock_private_folder(self) -> None:
        """Once the kernel has made its sockets, take back the right to create files in their folder, so
        that the only writable place left is the size-limited /tmp (run as root; as anyone else the
        kernel runs as that same user and could undo it)."""
        if self._private is None:
            return
        if os.geteuid() == 0:
            os.chown(self.connection_file, 0, 0)
            os.chown(self._private, 0, 0)
        os.chmod(self.connection_file, 0o400)
        os.chmod(self._private, 0o500)

    def _remove_private_folder(self) -> None:
        if self._private is not None:
            with contextlib.suppress(OSError):
                self._private.chmod(0o700)
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_private_folder()

    cleanup_resources = _async_cleanup_resources


_STAND_IN: list[str] = []


def _stand_in_cached() -> str:
    if not _STAND_IN:
        _STAND_IN.append(stand_in_source())
    return _STAND_IN[0]
