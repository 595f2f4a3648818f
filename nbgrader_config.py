"""nbgrader's configuration for the workshop's exercises.

solutions/<assignment>/ holds the instructor notebooks (nbgrader's "source"); `make exercises` writes the
student versions into exercises/<assignment>/ (nbgrader's "release"). A facilitator's submissions,
autograded copies, feedback and gradebook.db are created beside them and are ignored by git.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

here = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "coaching-workshop"
c.CourseDirectory.root = str(here)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# nbgrader's default exchange (/srv/nbgrader/exchange) does not exist on a laptop: use a folder that does.
# On a hub, deploy/ sets NBGRADER_EXCHANGE to the shared folder every learner's server mounts.
exchange = Path(os.environ.get("NBGRADER_EXCHANGE", here / "exchange"))
exchange.mkdir(parents=True, exist_ok=True)
c.Exchange.root = str(exchange)

# A submission that loops forever is stopped after this many seconds per cell and graded as it stands.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# Learners edit only answer cells; the student version carries no solutions and no hidden tests.
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Restore deleted test cells, cut huge outputs, keep hidden tests out of feedback; autograde runs every
# submission in the bubblewrap sandbox (coachkit/grading/sandbox.py) and scores the answers in this process,
# with the key (coachkit/grading/config.py). Without bwrap, autograde refuses unless
# COACHKIT_GRADE_UNSANDBOXED=1 is set.
from coachkit.grading.config import configure_grading  # noqa: E402

configure_grading(c)
