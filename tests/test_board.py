"""The live group board: the store's rules, anonymity, the per-person limits, the facilitator's key, the
private database file, and the two widgets headless (the HTTP side is in test_board_service.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coachkit.board.store import (
    ANSWER_LIMIT,
    ANSWERS_PER_VISITOR,
    CODE_ALPHABET,
    BoardError,
    BoardPermissionError,
    BoardSetupError,
    BoardStore,
    FacilitatorSession,
    LocalBoard,
    board_answers,
    board_visitors,
    default_database_url,
    normalise_code,
)


@pytest.fixture
def store(tmp_path):
    board = BoardStore(f"sqlite:///{tmp_path / 'board.sqlite'}")
    yield board
    board.dispose()


def test_default_url_follows_the_environment(monkeypatch, tmp_path):
    """Is SQLite in COACHKIT_BOARD_DIR the store's default, and does COACHKIT_BOARD_DB win over it?"""
    monkeypatch.delenv("COACHKIT_BOARD_DB", raising=False)
    monkeypatch.setenv("COACHKIT_BOARD_DIR", str(tmp_path))
    assert default_database_url() == f"sqlite:///{tmp_path / 'board.sqlite'}"
    monkeypatch.setenv("COACHKIT_BOARD_DB", "postgresql+psycopg://u@127.0.0.1:5432/board")
    assert default_database_url() == "postgresql+psycopg://u@127.0.0.1:5432/board"


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
    learner = LocalBoard(store)
    assert learner.prompt(session.code.lower()).prompt == "What's keeping you from coaching others?"
    learner.submit(session.code, "  Time \x07pressure  ")
    learner.submit(session.code, "I like telling 🙂")
    assert session.results().answers == ("Time pressure", "I like telling 🙂")


def test_bad_answers_get_a_clear_message_and_store_nothing(store):
    """Are empty, overlong and non-text answers refused with a message, leaving the board unchanged?"""
    session = FacilitatorSession.open(store, "Q")
    learner = LocalBoard(store)
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
    for choice in ["Time", "Time", "Fear"]:
        LocalBoard(store).submit(session.code, choice)
    with pytest.raises(BoardError):
        LocalBoard(store).submit(session.code, "Something else")
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
    learner = LocalBoard(store)
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
    learner = LocalBoard(store)
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


def test_one_vote_per_poll_per_visitor_is_kept_by_the_store(store):
    """Is a second vote from the same visitor refused by the store itself, whatever the page does?"""
    session = FacilitatorSession.open(store, "Coach or tell?", ["Coach", "Tell"])
    store.submit(session.code, "Coach", "user:ann")
    with pytest.raises(BoardError, match="already voted"):
        store.submit(session.code, "Tell", "user:ann")
    store.submit(session.code, "Tell", "user:bob")
    assert session.results().counts == {"Coach": 1, "Tell": 1}
    with pytest.raises(BoardPermissionError):
        store.submit(session.code, "Tell", "")  # nobody: nothing stored


def test_free_text_answers_per_visitor_are_capped(store):
    """Can one visitor fill a session? (No: after ANSWERS_PER_VISITOR answers the store refuses them.)"""
    session = FacilitatorSession.open(store, "Q")
    for i in range(ANSWERS_PER_VISITOR):
        store.submit(session.code, f"answer {i}", "kernel:flooder-0123456789")
    with pytest.raises(BoardError, match="the most one person can send"):
        store.submit(session.code, "one more", "kernel:flooder-0123456789")
    store.submit(session.code, "mine", "kernel:someone-else-012345")
    assert len(session.results().answers) == ANSWERS_PER_VISITOR + 1
    session.clear()  # clearing also forgets who sent what: the next round starts afresh
    store.submit(session.code, "new round", "kernel:flooder-0123456789")


def test_the_key_is_not_in_the_database_or_the_repr(store):
    """Does the database hold only a digest of the key, and does printing the session hide it?"""
    code, key = store.open_session("Q")
    with store.engine.connect() as conn:
        dump = " ".join(
            str(v) for row in conn.exec_driver_sql("SELECT * FROM coachkit_board2_sessions") for v in row
        )
    assert key not in dump
    assert key not in repr(FacilitatorSession(store, code, key))


def test_answers_carry_no_identity(store):
    """Does an answer row hold only a row number, the session code and the text, and the visitors' count no
    name and no link to an answer?"""
    assert {column.name for column in board_answers.columns} == {"id", "code", "text"}
    assert {column.name for column in board_visitors.columns} == {"code", "visitor", "sent"}
    session = FacilitatorSession.open(store, "Q")
    store.submit(session.code, "my words", "user:annabel")
    with store.engine.connect() as conn:
        dump = " ".join(
            str(v)
            for t in ("answers", "visitors", "sessions")
            for row in conn.exec_driver_sql(f"SELECT * FROM coachkit_board2_{t}")
            for v in row
        )
    assert "annabel" not in dump and "my words" in dump


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


def test_an_unreachable_board_says_so_and_never_says_sent(monkeypatch, store):
    """With no board address, or a board that went away, do the widgets say 'cannot be reached' and keep
    the learner's text, never 'sent'?"""
    from coachkit.board.client import BoardClient
    from coachkit.board.widgets import UNREACHABLE_SEND, BoardAnswer, BoardFacilitator

    monkeypatch.delenv("COACHKIT_BOARD_URL", raising=False)
    assert "cannot be reached" in BoardAnswer(code="ABCDE").status.value
    facilitator = BoardFacilitator()
    facilitator.open_button.click()
    assert "cannot be reached" in facilitator.status.value and facilitator.session is None
    monkeypatch.setenv("COACHKIT_BOARD_URL", "sqlite:////tmp/board.sqlite")  # a database is not an address
    assert "cannot be reached" in BoardAnswer(code="ABCDE").status.value

    code, _key = store.open_session("Q")
    learner = BoardAnswer(code=code, store=store)
    learner.answer_input.value = "my answer"
    learner._board = BoardClient("http://127.0.0.1:9/board/", token="x", timeout=2)  # the board went away
    learner.send_button.click()
    assert learner.status.value == UNREACHABLE_SEND
    assert learner.answer_input.value == "my answer" and learner.sent == 0


def test_table_creation_is_idempotent(tmp_path):
    """Can a second process open the same board (tables already there) and see the first one's session?"""
    url = f"sqlite:///{tmp_path / 'board.sqlite'}"
    first = BoardStore(url)
    code, _key = first.open_session("Q")
    second = BoardStore(url)
    assert second.prompt(code).prompt == "Q"
    assert sa.inspect(second.engine).has_table("coachkit_board2_answers")


def test_the_database_file_is_private_to_the_board(tmp_path):
    """Is the SQLite file (and its -wal/-shm) mode 0600 in a folder of mode 0700 that nobody else can
    write a file into first, even when the folder existed open to all?"""
    folder = tmp_path / "board"
    folder.mkdir()
    folder.chmod(0o1777)  # as the earlier board left it
    store = BoardStore(f"sqlite:///{folder / 'board.sqlite'}")
    store.open_session("Q")
    assert folder.stat().st_mode & 0o7777 == 0o700
    files = sorted(folder.iterdir())
    assert {f.name for f in files} >= {"board.sqlite", "board.sqlite-wal"}
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
    store.dispose()
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o700)
    (loose / "board.sqlite").touch(mode=0o644)
    BoardStore(f"sqlite:///{loose / 'board.sqlite'}").dispose()
    assert (loose / "board.sqlite").stat().st_mode & 0o777 == 0o600


def test_a_folder_or_file_of_another_user_is_refused(tmp_path):
    """When someone else made the board's folder or file first, does the board refuse to use it (a clear
    error at start) rather than share a file they control?"""
    import os
    import shutil

    if os.geteuid() != 0:
        pytest.skip("making a file another user owns needs root")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    shutil.chown(theirs, "nobody")
    with pytest.raises(BoardSetupError, match="another user"):
        BoardStore(f"sqlite:///{theirs / 'board.sqlite'}")
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    (mine / "board.sqlite").touch()
    shutil.chown(mine / "board.sqlite", "nobody")
    with pytest.raises(BoardSetupError, match="not the board's own"):
        BoardStore(f"sqlite:///{mine / 'board.sqlite'}")


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
            "box = BoardAnswer()",
            "box.code_input.value = 'ABCDE'",
            "box.join()",  # through the client: a kernel never loads the database code
            "print('sqlalchemy' in sys.modules)",
        ]
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def test_every_name_the_package_offers_loads():
    """Does each name in coachkit.board.__all__ resolve (the package loads them lazily)?"""
    import coachkit.board

    for name in coachkit.board.__all__:
        assert getattr(coachkit.board, name) is not None, name
