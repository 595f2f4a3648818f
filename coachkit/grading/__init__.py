"""nbgrader grading: the answer keys as data, the checking engine, the sandbox and the gradebook."""
