"""nbgrader's settings in every hub user's own server (on JUPYTER_CONFIG_PATH, set by jupyterhub_config.py).

Learners: the shared exchange, the course id, and their hub name as student id, because where every learner
runs as one OS account nbgrader would otherwise file every submission under that account's name.
The facilitator: the same, plus the course folder in their home (for the formgrader and the command line).
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = os.environ.get("COACHKIT_COURSE_ID", "coaching-workshop")

if os.environ.get("NBGRADER_EXCHANGE"):
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]

# Set for learners only: a facilitator's collect would otherwise gather only submissions under their own name.
if os.environ.get("COACHKIT_NBGRADER_STUDENT_ID"):
    c.CourseDirectory.student_id = os.environ["COACHKIT_NBGRADER_STUDENT_ID"]

if os.environ.get("COACHKIT_COURSE_ROOT"):
    c.CourseDirectory.root = os.environ["COACHKIT_COURSE_ROOT"]
    c.CourseDirectory.source_directory = "solutions"
    c.CourseDirectory.release_directory = "exercises"
    c.Execute.timeout = 30
    c.Execute.interrupt_on_timeout = True
    c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    # Where learners share one OS account (trial hub, Kubernetes' jovyan) every file belongs to it: the check
    # that a submission's owner matches its student id would only warn about every learner.
    c.CollectApp.check_owner = os.environ.get("COACHKIT_SHARED_OS_USER", "") != "1"
    # The grading sandbox and scoring outside the kernel (coachkit/grading/config.py), as in the course's own
    # nbgrader_config.py: the formgrader's autograde button reads only this file (the Jupyter config path),
    # not ~/course/nbgrader_config.py, so without this line it would grade unsandboxed, with the key in view.
    from coachkit.grading.config import configure_grading

    configure_grading(c)
