"""Where the group board keeps sessions and answers: any SQLAlchemy database, SQLite by default.

Only the board's own process opens this store: the JupyterHub service on a hub (coachkit.board.service),
the web app on one machine. Learners' kernels never do: they reach the board through its HTTP API
(coachkit.board.client), so no database file, URL or password is ever given to them.

No learner identity is stored with an answer: an answer row holds the session code, the text and a row
number, nothing else (no user name, no address, no time). To keep one vote per poll and a cap on free-text
answers per person, a separate table counts, per session, what each visitor sent; a visitor there is a
SHA-256 digest of the session's own random salt and the visitor's id (a hub user name, or a kernel's random
id in the web app), with no link to any answer row.

A session is opened with a secret key; the database keeps its SHA-256 digest. On one machine the kernel that
opened the session holds the key; on a hub the service itself vouches for a facilitator (``AUTHORISED``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from coachkit.board.model import (  # noqa: F401 - re-exported: the board's names, one import away
    ANSWER_LIMIT,
    ANSWERS_PER_VISITOR,
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANSWERS,
    MAX_OPTIONS,
    OPTION_LIMIT,
    PROMPT_LIMIT,
    VOTES_PER_VISITOR,
    BoardError,
    BoardPermissionError,
    BoardPrompt,
    BoardResults,
    normalise_code,
)
from coachkit.forms.textinput import TextInputError, clean_text

DB_VARIABLE = "COACHKIT_BOARD_DB"  # the database URL: only ever in the board service's (or web app's) env
DIR_VARIABLE = "COACHKIT_BOARD_DIR"  # the folder for the SQLite file, only the board's process reads it

SQLITE_BUSY_MS = 30_000

metadata = sa.MetaData()

# Table names carry "2": the earlier board (a shared file every kernel wrote) had no salt or visitor counts.
board_sessions = sa.Table(
    "coachkit_board2_sessions",
    metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("key_digest", sa.String(64), nullable=False),
    sa.Column("salt", sa.String(32), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False, default="[]"),  # JSON list; empty = free text
    sa.Column("is_open", sa.Boolean, nullable=False, default=True),
)

board_answers = sa.Table(
    "coachkit_board2_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("coachkit_board2_sessions.code", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("text", sa.Text, nullable=False),
)

# How much each visitor sent to a session: no answer id, no time, the visitor only as a salted digest.
board_visitors = sa.Table(
    "coachkit_board2_visitors",
    metadata,
    sa.Column(
        "code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("coachkit_board2_sessions.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("visitor", sa.String(64), primary_key=True),
    sa.Column("sent", sa.Integer, nullable=False, default=0),
)


class BoardSetupError(RuntimeError):
    """The board's own folder or database is unsafe or unusable; the board's process refuses to start."""


class _Authorised:
    """The caller has checked the facilitator's rights itself (the hub service). Cannot come from JSON."""

    def __repr__(self) -> str:
        return "AUTHORISED"


AUTHORISED = _Authorised()


def default_board_dir() -> Path:
    """$COACHKIT_BOARD_DIR, else ~/.local/share/coachkit/board: a folder only the board's process uses."""
    folder = os.environ.get(DIR_VARIABLE, "").strip()
    return Path(folder) if folder else Path.home() / ".local" / "share" / "coachkit" / "board"


def default_database_url() -> str:
    """$COACHKIT_BOARD_DB, else SQLite in the board's private folder."""
    url = os.environ.get(DB_VARIABLE, "").strip()
    if url:
        return url
    return f"sqlite:///{default_board_dir() / 'board.sqlite'}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prepare_private_folder(folder: Path) -> None:
    """Make ``folder`` (mode 0700) or check an existing one: it must be ours and closed to everyone else.

    A folder someone else made, or one others may write to, is refused: another user could otherwise
    create or swap the database file before the board opens it.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise BoardSetupError(f"The board's folder {folder} is not a plain folder.")
    if info.st_uid != os.geteuid():
        raise BoardSetupError(f"The board's folder {folder} belongs to another user; it needs its own.")
    if info.st_mode & 0o077:
        folder.chmod(0o700)


def prepare_private_file(database: Path) -> None:
    """Create the SQLite file with mode 0600 in its private folder (SQLite gives -wal/-shm the same mode)."""
    prepare_private_folder(database.parent)
    try:
        fd = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        info = database.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
            raise BoardSetupError(f"The board's database {database} is not the board's own file.") from None
        if info.st_mode & 0o077:
            database.chmod(0o600)
        return
    os.close(fd)


def _make_engine(url: str) -> sa.Engine:
    """An engine for the board's one process (SQLite: WAL, a long busy timeout, a private file)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
    if parsed.database and parsed.database != ":memory:":
        prepare_private_file(Path(parsed.database))
    # check_same_thread off: the board's process reads and writes from a few threads of its own.
    engine = sa.create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
    )

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        # sqlite3's own transaction handling begins lazily, so a read-then-write transaction can fail at once
        # with "database is locked" when another thread wrote in between; BEGIN IMMEDIATE waits its turn.
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin_immediate(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class BoardStore:
    """The board's database, for the board's own process only. Everything but prompt/submit needs the key."""

    def __init__(self, url: str | None = None, *, engine: sa.Engine | None = None) -> None:
        self.url = url or default_database_url()
        self.engine = engine or _make_engine(self.url)
        self._create_tables()

    def _create_tables(self) -> None:
        # Two processes starting at once may race to create the tables: the loser simply finds them there.
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
        if not isinstance(options, (list, tuple)) or not all(isinstance(o, str) for o in options):
            raise BoardError("Poll options must be a list of text.")
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
                            salt=secrets.token_hex(16),
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
        if key is AUTHORISED:
            return row
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

    def sessions(self, key: object) -> list[BoardPrompt]:
        """Every session, for the hub's facilitators to get back to one after a reload."""
        if key is not AUTHORISED:
            raise BoardPermissionError("Only a facilitator can list the sessions.")
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(board_sessions.c.code, board_sessions.c.prompt, board_sessions.c.options,
                          board_sessions.c.is_open).order_by(board_sessions.c.code)
            ).all()  # fmt: skip
        return [BoardPrompt(r.code, r.prompt, tuple(json.loads(r.options)), bool(r.is_open)) for r in rows]

    def set_open(self, code: object, key: object, is_open: bool) -> None:
        """Close a session (no more answers) or open it again."""
        code = normalise_code(code)
        with self.engine.begin() as conn:
            self._check_key(conn, code, key)
            conn.execute(
                board_sessions.update().where(board_sessions.c.code == code).values(is_open=bool(is_open))
            )

    def clear(self, code: object, key: object) -> int:
        """Delete every answer of the session (and who sent how many); return how many were deleted."""
        code = normalise_code(code)
        with self.engine.begin() as conn:
            self._check_key(conn, code, key)
            conn.execute(board_visitors.delete().where(board_visitors.c.code == code))
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

    def submit(self, code: object, answer: object, visitor: str) -> None:
        """Add one answer from ``visitor`` (their id is kept only as a salted digest, apart from the answer).

        BoardError when the session is closed or full, the answer is bad, the visitor has already voted in
        this poll or sent all the free-text answers one person may send.
        """
        if not isinstance(visitor, str) or not visitor:
            raise BoardPermissionError("The board could not tell who is sending; nothing was sent.")
        session = self.prompt(code)
        if not session.is_open:
            raise BoardError("This session is closed; your facilitator is no longer taking answers.")
        if session.is_poll:
            if answer not in session.options:
                raise BoardError("Please choose one of the options.")
            text, allowed = answer, VOTES_PER_VISITOR
        else:
            try:
                text = clean_text(answer, limit=ANSWER_LIMIT, label="Your answer")
            except TextInputError as exc:
                raise BoardError(str(exc)) from exc
            allowed = ANSWERS_PER_VISITOR
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    self._add(conn, session, text, visitor, allowed)
                return
            except IntegrityError:
                # Two answers from one visitor raced to make their count row: count again.
                if attempt == 2:
                    raise BoardError("The board is busy; please send your answer again.") from None

    def _add(self, conn, session: BoardPrompt, text: str, visitor: str, allowed: int) -> None:
        salt = conn.execute(sa.select(board_sessions.c.salt).where(board_sessions.c.code == session.code))
        who = _digest(salt.scalar_one() + ":" + visitor)
        mine = (board_visitors.c.code == session.code) & (board_visitors.c.visitor == who)
        # The count goes up only while under the limit, in the same transaction as the answer.
        bumped = conn.execute(
            board_visitors.update()
            .where(mine & (board_visitors.c.sent < allowed))
            .values(sent=board_visitors.c.sent + 1)
        ).rowcount
        if not bumped:
            if conn.execute(sa.select(board_visitors.c.sent).where(mine)).first() is not None:
                if session.is_poll:
                    raise BoardError("You have already voted in this poll: one vote each.")
                raise BoardError(
                    f"You have sent {allowed} answers to this session, the most one person can send."
                )
            conn.execute(board_visitors.insert().values(code=session.code, visitor=who, sent=1))
        count = conn.execute(
            sa.select(sa.func.count()).select_from(board_answers).where(board_answers.c.code == session.code)
        ).scalar_one()
        if count >= MAX_ANSWERS:
            raise BoardError("This session has all the answers it can take.")
        conn.execute(board_answers.insert().values(code=session.code, text=text))


class LocalBoard:
    """The learner's view of a store in the same process (tests, the board's own pages): prompt and submit."""

    def __init__(self, store: BoardStore, visitor: str | None = None) -> None:
        self._store = store
        self._visitor = visitor or secrets.token_urlsafe(16)

    def prompt(self, code: object) -> BoardPrompt:
        return self._store.prompt(code)

    def submit(self, code: object, answer: object) -> None:
        self._store.submit(code, answer, self._visitor)


LearnerBoard = LocalBoard  # the earlier name


class FacilitatorSession:
    """One open session held in this process: its code, and the key that is never shown to learners."""

    def __init__(self, store: BoardStore, code: str, key: object) -> None:
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
