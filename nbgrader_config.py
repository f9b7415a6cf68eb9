"""nbgrader configuration for the course; the course directory is this folder."""

import os
import sys

c = get_config()  # noqa: F821 - injected by traitlets

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "calcml"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# The stub a student sees in every solution cell of a released notebook.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Validate checks every cell, not only graded ones: the visible checks sit in
# locked cells of their own and the hidden tests are empty in a release, so a
# notebook of unanswered stubs would otherwise "pass all the tests".
c.Validator.validate_all = True

# A student's notebook may train a small network; give each cell time, but not forever.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120

# Kernels start as "python" from PATH: make that the interpreter running
# nbgrader (the project's virtual environment) even when it is not activated.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
