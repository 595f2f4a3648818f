"""The live group board: the store's rules, anonymity, the facilitator's key, and the two widgets headless."""

from __future__ import annotations

import multiprocessing
import time

import pytest
import sqlalchemy as sa

from coachkit.board.store import (
    ANSWER_LIMIT,
    CODE_ALPHABET,
    BoardError,
    BoardPermissionError,
    BoardStore,
    FacilitatorSession,
    LearnerBoard,
    board_answers,
    default_board_url,
    normalise_code,
)


@pytest.fixture
def store(tmp_path):
    board = BoardStore(f"sqlite:///{tmp_path / 'board.sqlite'}")
    yield board
    board.dispose()


def test_default_url_follows_the_environment(monkeypatch, tmp_path):
    """Is SQLite in COACHKIT_BOARD_DIR the default, and does COACHKIT_BOARD_URL win over it?"""
    monkeypatch.delenv("COACHKIT_BOARD_URL", raising=False)
    monkeypatch.setenv("COACHKIT_BOARD_DIR", str(tmp_path))
    assert default_board_url() == f"sqlite:///{tmp_path / 'board.sqlite'}"
    monkeypatch.setenv("COACHKIT_BOARD_URL", "postgresql+psycopg://u@127.0.0.1:5432/board")
    assert default_board_url() == "postgresql+psycopg://u@127.0.0.1:5432/board"


def test_sqlite_uses_wal_and_a_busy_timeout(store):
    """Can thirty kernels write at once: is the database in WAL mode with a long busy timeout?"""
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_code_is_short_and_unambiguous(store):
    """Is the code five letters with no I, L or O, and do learners' typing slips still find it?"""
    codes = {store.open_session("Question?")[0] for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 5 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("ILO01")
    code = next(iter(codes))
    assert normalise_code(f"  {code.lower()[:2]} {code.lower()[2:]} ") == code
    for bad in ["", "ABC", "ABCDE1", "../..", 12345]:
        with pytest.raises(BoardError):
            normalise_code(bad)


def test_free_text_answers_arrive_in_order_and_are_cleaned(store):
    """Does a learner's answer reach the facilitator, tidied by clean_text, oldest first?"""
    session = FacilitatorSession.open(store, "What's keeping you from coaching others?")
    learner = LearnerBoard(store)
    assert learner.prompt(session.code.lower()).prompt == "What's keeping you from coaching others?"
    learner.submit(session.code, "  Time \x07pressure  ")
    learner.submit(session.code, "I like telling 🙂")
    assert session.results().answers == ("Time pressure", "I like telling 🙂")


def test_bad_answers_get_a_clear_message_and_store_nothing(store):
    """Are empty, overlong and non-text answers refused with a message, leaving the board unchanged?"""
    session = FacilitatorSession.open(store, "Q")
    learner = LearnerBoard(store)
    for bad in ["", "   ", "x" * (ANSWER_LIMIT + 1), None, 42]:
        with pytest.raises(BoardError) as caught:
            learner.submit(session.code, bad)
        assert str(caught.value)
    with pytest.raises(BoardError, match="No session has the code"):
        learner.submit("ZZZZZ", "hello")
    assert session.results().answers == ()


def test_poll_counts_each_option(store):
    """Does a poll count votes per option and refuse a choice that is not an option?"""
    session = FacilitatorSession.open(store, "Which barrier is biggest?", ["Time", "Habit", "Fear"])
    learner = LearnerBoard(store)
    for choice in ["Time", "Time", "Fear"]:
        learner.submit(session.code, choice)
    with pytest.raises(BoardError):
        learner.submit(session.code, "Something else")
    results = session.results()
    assert results.is_poll
    assert results.counts == {"Time": 2, "Habit": 0, "Fear": 1}


def test_poll_options_are_checked(store):
    """Are a one-option poll and duplicate options refused when the session is opened?"""
    with pytest.raises(BoardError):
        store.open_session("Q", ["Only one"])
    with pytest.raises(BoardError):
        store.open_session("Q", ["Same", "Same"])
    with pytest.raises(BoardError):
        store.open_session("", [])


def test_a_closed_session_takes_no_answers(store):
    """After the facilitator closes a session, is a learner's answer refused, and accepted again on reopen?"""
    session = FacilitatorSession.open(store, "Q")
    learner = LearnerBoard(store)
    session.close()
    assert learner.prompt(session.code).is_open is False
    with pytest.raises(BoardError, match="closed"):
        learner.submit(session.code, "late")
    session.reopen()
    learner.submit(session.code, "on time")
    assert session.results().answers == ("on time",)


def test_a_learner_cannot_clear_close_or_read_a_session(store):
    """Has the learner's API no clear/close/results, and does the store refuse them without the key?"""
    session = FacilitatorSession.open(store, "Q")
    learner = LearnerBoard(store)
    learner.submit(session.code, "mine")
    for name in ["clear", "close", "set_open", "results", "reopen"]:
        assert not hasattr(learner, name)
    for wrong_key in [None, "", "guess", session.code]:
        with pytest.raises(BoardPermissionError):
            store.clear(session.code, wrong_key)
        with pytest.raises(BoardPermissionError):
            store.set_open(session.code, wrong_key, False)
        with pytest.raises(BoardPermissionError):
            store.results(session.code, wrong_key)
    assert session.results().answers == ("mine",)
    assert session.results().is_open
    assert session.clear() == 1
    assert session.results().answers == ()


def test_the_key_is_not_in_the_database_or_the_repr(store):
    """Does the database hold only a digest of the key, and does printing the session hide it?"""
    code, key = store.open_session("Q")
    with store.engine.connect() as conn:
        dump = " ".join(
            str(v) for row in conn.exec_driver_sql("SELECT * FROM coachkit_board_sessions") for v in row
        )
    assert key not in dump
    assert key not in repr(FacilitatorSession(store, code, key))


def test_answers_carry_no_identity():
    """Does an answer row hold only a row number, the session code and the text: no name, address or time?"""
    assert {column.name for column in board_answers.columns} == {"id", "code", "text"}


def test_html_in_an_answer_is_escaped_for_the_facilitator(store):
    """Is an answer full of HTML shown as text in the facilitator's view, never as markup?"""
    from coachkit.board.widgets import BoardAnswer, BoardFacilitator

    facilitator = BoardFacilitator(store=store)
    facilitator.prompt_input.value = "Say <b>anything</b>"
    facilitator.open_button.click()
    code = facilitator.session.code
    learner = BoardAnswer(code=code, store=store)
    learner.answer_input.value = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    learner.send_button.click()
    facilitator.refresh()
    shown = facilitator.results_html.value
    assert "<script>" not in shown and "<img" not in shown and "<b>anything" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;b&gt;anything&lt;/b&gt;" in shown


def test_widgets_round_trip_headless(store):
    """Does a learner's answer typed in BoardAnswer show in BoardFacilitator, with on_submit called?"""
    from coachkit.board.widgets import BoardAnswer, BoardFacilitator

    facilitator = BoardFacilitator(store=store)
    facilitator.kind_input.value = "Poll"
    facilitator.prompt_input.value = "Coach or tell?"
    facilitator.options_input.value = "Coach\nTell\n\n"
    facilitator.open_button.click()
    assert facilitator.session is not None
    assert facilitator.session.code in facilitator.code_html.value

    learner = BoardAnswer(store=store)
    seen = []
    learner.on_submit(seen.append)
    with pytest.raises(TypeError):
        learner.on_submit("not a function")
    learner.send_button.click()
    assert "Join" in learner.status.value
    learner.code_input.value = "zzzzz"
    learner.join_button.click()
    assert "No session" in learner.status.value
    learner.code_input.value = facilitator.session.code.lower()
    learner.join_button.click()
    assert "Coach or tell?" in learner.prompt_html.value
    learner.send_button.click()
    assert "choose" in learner.status.value
    learner.choice_input.value = "Coach"
    learner.send_button.click()
    assert seen == ["Coach"]
    assert learner.send_button.disabled

    facilitator._on_tick(facilitator.ticker, {"op": "tick"})
    assert facilitator.results.counts == {"Coach": 1, "Tell": 0}
    assert "Votes per option" in facilitator.results_html.value

    facilitator.close_button.click()
    assert facilitator.results.is_open is False
    learner.join_button.click()
    assert "closed" in learner.status.value
    facilitator.clear_button.click()
    assert facilitator.results.answers == ("Coach",)  # nothing deleted until confirmed
    facilitator.confirm_clear_button.click()
    assert facilitator.results.answers == ()
    facilitator.new_button.click()
    assert facilitator.session is None and facilitator.setup_box.layout.display is None


def test_free_text_learner_keeps_text_when_refused(store):
    """When an answer is too long, does the learner's text stay in the box with a message?"""
    from coachkit.board.widgets import BoardAnswer

    code, _key = store.open_session("Q")
    learner = BoardAnswer(code=code, store=store)
    learner.answer_input.value = "x" * (ANSWER_LIMIT + 5)
    learner.send_button.click()
    assert "too long" in learner.status.value
    assert len(learner.answer_input.value) == ANSWER_LIMIT + 5
    learner.answer_input.value = "fits"
    learner.send_button.click()
    assert learner.answer_input.value == "" and "Thank you" in learner.status.value


def test_unreachable_database_gives_a_friendly_message(tmp_path):
    """When the board database cannot be opened, do the widgets say so instead of raising?"""
    from coachkit.board.widgets import BoardAnswer, BoardFacilitator

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    import os

    os.environ["COACHKIT_BOARD_URL"] = f"sqlite:///{blocker / 'sub' / 'board.sqlite'}"
    try:
        assert "could not be opened" in BoardAnswer(code="ABCDE").status.value
        assert "could not be opened" in BoardFacilitator().status.value
    finally:
        del os.environ["COACHKIT_BOARD_URL"]


def _submit_from_a_kernel(url: str, code: str, worker: int, start_at: float, per_worker: int) -> int:
    """One learner's kernel: its own engine, waiting for the common start so all thirty write at once."""
    board = LearnerBoard(BoardStore(url))
    while time.time() < start_at:
        time.sleep(0.005)
    for i in range(per_worker):
        board.submit(code, f"answer {worker}-{i}")
    return worker


@pytest.mark.slow
def test_thirty_kernels_submitting_at_once_all_land(tmp_path):
    """Do 30 processes, each with its own connection, submitting at the same moment, lose no answer?"""
    url = f"sqlite:///{tmp_path / 'shared' / 'board.sqlite'}"
    session = FacilitatorSession.open(BoardStore(url), "Go!")
    workers, per_worker = 30, 5
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        start_at = time.time() + 15  # every process has imported and connected by then on 2 cores
        jobs = [
            pool.apply_async(_submit_from_a_kernel, (url, session.code, w, start_at, per_worker))
            for w in range(workers)
        ]
        done = sorted(job.get(timeout=240) for job in jobs)
    assert done == list(range(workers))
    answers = session.results().answers
    expected = {f"answer {w}-{i}" for w in range(workers) for i in range(per_worker)}
    assert len(answers) == workers * per_worker
    assert set(answers) == expected


def test_table_creation_is_idempotent(tmp_path):
    """Can a second kernel open the same board (tables already there) and see the first one's session?"""
    url = f"sqlite:///{tmp_path / 'board.sqlite'}"
    first = BoardStore(url)
    code, _key = first.open_session("Q")
    second = BoardStore(url)
    assert second.prompt(code).prompt == "Q"
    assert sa.inspect(second.engine).has_table("coachkit_board_answers")


def test_board_file_in_a_shared_folder_is_writable_by_everyone(tmp_path):
    """In a folder everyone may write to (a hub's board folder), is the new database file writable by all?"""
    shared = tmp_path / "board"
    shared.mkdir()
    shared.chmod(0o1777)
    BoardStore(f"sqlite:///{shared / 'board.sqlite'}").open_session("Q")
    assert (shared / "board.sqlite").stat().st_mode & 0o666 == 0o666
    private = tmp_path / "private"
    BoardStore(f"sqlite:///{private / 'board.sqlite'}")
    assert not (private / "board.sqlite").stat().st_mode & 0o002


def test_the_answer_box_costs_nothing_until_used(tmp_path, monkeypatch):
    """Does showing BoardAnswer leave the database (and SQLAlchemy) alone until the learner joins?"""
    import subprocess
    import sys

    from coachkit.board import store as board_store
    from coachkit.board import widgets as board_widgets

    assert board_widgets.MAX_OPTIONS == board_store.MAX_OPTIONS
    monkeypatch.setenv("COACHKIT_BOARD_DIR", str(tmp_path / "board"))
    monkeypatch.delenv("COACHKIT_BOARD_URL", raising=False)
    board_widgets.BoardAnswer()
    assert not (tmp_path / "board").exists()
    probe = "\n".join(
        [
            "import sys",
            "from coachkit.board import BoardAnswer",
            "BoardAnswer()",
            "print('sqlalchemy' in sys.modules)",
        ]
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"
