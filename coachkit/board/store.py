"""Where the group board keeps sessions and answers: any SQLAlchemy database, SQLite by default.

No learner identity is stored: an answer row holds the session code, the text and a row number, nothing
else (no user name, no address, no time). A session is opened with a secret key that only the facilitator's
kernel holds; the database keeps its SHA-256 digest, so reading the database does not reveal it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from coachkit.textinput import TextInputError, clean_text

URL_VARIABLE = "COACHKIT_BOARD_URL"
DIR_VARIABLE = "COACHKIT_BOARD_DIR"

# No I, L or O: a code read off a projector is never mistaken for 1 or 0.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5
CODE_PATTERN = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
PROMPT_LIMIT = 300
ANSWER_LIMIT = 500
OPTION_LIMIT = 80
MAX_OPTIONS = 8
MAX_ANSWERS = 2000  # per session: a room of 40 answering many times, not a script filling the disk
SQLITE_BUSY_MS = 30_000

metadata = sa.MetaData()

board_sessions = sa.Table(
    "coachkit_board_sessions",
    metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("key_digest", sa.String(64), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False, default="[]"),  # JSON list; empty = free text
    sa.Column("is_open", sa.Boolean, nullable=False, default=True),
)

board_answers = sa.Table(
    "coachkit_board_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("coachkit_board_sessions.code", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("text", sa.Text, nullable=False),
)


class BoardError(ValueError):
    """A problem meant for the person at the screen, e.g. 'No session has the code ABCDE.'"""


class BoardPermissionError(BoardError):
    """Raised when closing, clearing or reading a session without its facilitator key."""


@dataclass(frozen=True)
class BoardPrompt:
    """What a learner sees after entering a code."""

    code: str
    prompt: str
    options: tuple[str, ...]
    is_open: bool

    @property
    def is_poll(self) -> bool:
        return bool(self.options)


@dataclass(frozen=True)
class BoardResults:
    """What the facilitator sees: every answer as text, and the count per option for a poll."""

    code: str
    prompt: str
    options: tuple[str, ...]
    is_open: bool
    answers: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_poll(self) -> bool:
        return bool(self.options)


def default_board_url() -> str:
    """$COACHKIT_BOARD_URL, else SQLite in $COACHKIT_BOARD_DIR or ~/.local/share/coachkit."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url
    folder = os.environ.get(DIR_VARIABLE, "").strip()
    base = Path(folder) if folder else Path.home() / ".local" / "share" / "coachkit"
    return f"sqlite:///{base / 'board.sqlite'}"


def normalise_code(value: object) -> str:
    """A code as typed ('abcde ', 'ab cde') made canonical, or BoardError with a friendly message."""
    if not isinstance(value, str):
        raise BoardError("The session code must be text.")
    code = re.sub(r"[\s-]", "", value).upper()
    if not code:
        raise BoardError("Please type the session code your facilitator shows.")
    if not CODE_PATTERN.match(code):
        raise BoardError(
            f"A session code is {CODE_LENGTH} letters, like KQZRT. Please check the code on the screen."
        )
    return code


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _prepare_shared_file(database: Path) -> None:
    """Create the folder; in a folder everyone may write to (a hub's board folder), make the file writable
    by everyone too: each learner's kernel runs as their own user (SQLite gives -wal/-shm the same mode)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    if database.exists() or not database.parent.stat().st_mode & 0o002:
        return
    try:
        fd = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        return
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(database, 0o666)  # noqa: S103 - the umask narrowed os.open's mode; see the docstring


def _make_engine(url: str) -> sa.Engine:
    """An engine tuned for many kernels writing at once (SQLite: WAL and a long busy timeout)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)
    if parsed.database and parsed.database != ":memory:":
        _prepare_shared_file(Path(parsed.database))
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        # sqlite3's own transaction handling begins lazily, so a read-then-write transaction can fail at once
        # with "database is locked" when another kernel wrote in between; BEGIN IMMEDIATE waits its turn.
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin_immediate(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class BoardStore:
    """The board's database. Learners use ``prompt`` and ``submit``; everything else needs the key."""

    def __init__(self, url: str | None = None, *, engine: sa.Engine | None = None) -> None:
        self.url = url or default_board_url()
        self.engine = engine or _make_engine(self.url)
        self._create_tables()

    def _create_tables(self) -> None:
        # Thirty kernels starting at once may race to create the tables: the loser simply finds them there.
        for attempt in range(5):
            try:
                metadata.create_all(self.engine, checkfirst=True)
                return
            except (OperationalError, ProgrammingError, IntegrityError):
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    @property
    def where(self) -> str:
        """The database, with any password hidden, for a status line."""
        return sa.make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- the facilitator's side -------------------------------------------------------------------

    def open_session(self, prompt: object, options: list[str] | tuple[str, ...] = ()) -> tuple[str, str]:
        """Open a session; return (code, key). Keep the key: closing, clearing and reading need it."""
        try:
            text = clean_text(prompt, limit=PROMPT_LIMIT, label="The prompt")
            cleaned = [clean_text(o, limit=OPTION_LIMIT, label="A poll option") for o in options if o.strip()]
        except TextInputError as exc:
            raise BoardError(str(exc)) from exc
        if len(set(cleaned)) != len(cleaned):
            raise BoardError("Two poll options are the same. Please make each option different.")
        if len(cleaned) == 1:
            raise BoardError("A poll needs at least two options (or none, for free-text answers).")
        if len(cleaned) > MAX_OPTIONS:
            raise BoardError(f"A poll can have at most {MAX_OPTIONS} options.")
        key = secrets.token_urlsafe(24)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        board_sessions.insert().values(
                            code=code,
                            key_digest=_digest(key),
                            prompt=text,
                            options=json.dumps(cleaned),
                            is_open=True,
                        )
                    )
                return code, key
            except IntegrityError:
                continue  # that code is taken: draw another
        raise BoardError("Could not find a free session code; please try again.")

    def _check_key(self, conn, code: str, key: object) -> sa.Row:
        row = conn.execute(sa.select(board_sessions).where(board_sessions.c.code == code)).first()
        if row is None:
            raise BoardError(f"No session has the code {code}.")
        if not isinstance(key, str) or not hmac.compare_digest(row.key_digest, _digest(key)):
            raise BoardPermissionError("Only the facilitator who opened this session can do that.")
        return row

    def results(self, code: object, key: object) -> BoardResults:
        """Every answer (oldest first) and, for a poll, the count per option."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            row = self._check_key(conn, code, key)
            answers = tuple(
                conn.execute(
                    sa.select(board_answers.c.text)
                    .where(board_answers.c.code == code)
                    .order_by(board_answers.c.id)
                ).scalars()
            )
        options = tuple(json.loads(row.options))
        counts = {option: 0 for option in options}
        for answer in answers:
            if answer in counts:
                counts[answer] += 1
        return BoardResults(code, row.prompt, options, bool(row.is_open), answers, counts)

    def set_open(self, code: object, key: object, is_open: bool) -> None:
        """Close a session (no more answers) or open it again."""
        code = normalise_code(code)
        with self.engine.begin() as conn:
            self._check_key(conn, code, key)
            conn.execute(
                board_sessions.update().where(board_sessions.c.code == code).values(is_open=bool(is_open))
            )

    def clear(self, code: object, key: object) -> int:
        """Delete every answer of the session; return how many were deleted."""
        code = normalise_code(code)
        with self.engine.begin() as conn:
            self._check_key(conn, code, key)
            return conn.execute(board_answers.delete().where(board_answers.c.code == code)).rowcount

    # -- the learner's side -------------------------------------------------------------------------

    def prompt(self, code: object) -> BoardPrompt:
        """The prompt (and poll options) of a session, or BoardError when the code is unknown."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(board_sessions.c.prompt, board_sessions.c.options, board_sessions.c.is_open).where(
                    board_sessions.c.code == code
                )
            ).first()
        if row is None:
            raise BoardError(f"No session has the code {code}. Please check the code on the screen.")
        return BoardPrompt(code, row.prompt, tuple(json.loads(row.options)), bool(row.is_open))

    def submit(self, code: object, answer: object) -> None:
        """Add one anonymous answer; BoardError when the session is closed, full or the answer is bad."""
        session = self.prompt(code)
        if not session.is_open:
            raise BoardError("This session is closed; your facilitator is no longer taking answers.")
        if session.is_poll:
            if answer not in session.options:
                raise BoardError("Please choose one of the options.")
            text = answer
        else:
            try:
                text = clean_text(answer, limit=ANSWER_LIMIT, label="Your answer")
            except TextInputError as exc:
                raise BoardError(str(exc)) from exc
        with self.engine.begin() as conn:
            count = conn.execute(
                sa.select(sa.func.count())
                .select_from(board_answers)
                .where(board_answers.c.code == session.code)
            ).scalar_one()
            if count >= MAX_ANSWERS:
                raise BoardError("This session has all the answers it can take.")
            conn.execute(board_answers.insert().values(code=session.code, text=text))


class LearnerBoard:
    """The learner's whole view of the board: read a prompt, add an answer. No close, no clear, no reading."""

    def __init__(self, store: BoardStore) -> None:
        self._store = store

    def prompt(self, code: object) -> BoardPrompt:
        return self._store.prompt(code)

    def submit(self, code: object, answer: object) -> None:
        self._store.submit(code, answer)


class FacilitatorSession:
    """One open session in the facilitator's kernel: its code, and the key that is never shown to learners."""

    def __init__(self, store: BoardStore, code: str, key: str) -> None:
        self.store, self.code = store, code
        self._key = key

    @classmethod
    def open(cls, store: BoardStore, prompt: object, options=()) -> FacilitatorSession:
        code, key = store.open_session(prompt, options)
        return cls(store, code, key)

    def results(self) -> BoardResults:
        return self.store.results(self.code, self._key)

    def close(self) -> None:
        self.store.set_open(self.code, self._key, False)

    def reopen(self) -> None:
        self.store.set_open(self.code, self._key, True)

    def clear(self) -> int:
        return self.store.clear(self.code, self._key)

    def __repr__(self) -> str:  # never print the key into a notebook's output
        return f"FacilitatorSession(code={self.code!r})"
