# nbgrader configuration for the course (used by `nbgrader ...` run from this folder's
# parent and by `python -m autograder`). Source notebooks live in solutions/, the
# student edition in course/: one assignment per chapter slug.
c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Students see "raise NotImplementedError()" in code answers and this in written ones.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Grading: generous cell timeout (fast mode keeps real cells short), never fail a whole
# submission on an IOPub hiccup under load.
c.ExecutePreprocessor.timeout = 120
c.ExecutePreprocessor.raise_on_iopub_timeout = False
c.ExecutePreprocessor.iopub_timeout = 30

# Feedback must never show hidden tests: not their source, not in tracebacks, not in
# outputs (autograder/grading/feedback.py); the same scrubbing `grade` applies.
c.GenerateFeedback.preprocessors = [
    "autograder.grading.feedback.ScrubForFeedback",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
