"""Grade a class's submissions of one assignment: ``grade(slug, submissions, workspace)``.

The pipeline is a sequence of small steps, each in its own module:

=========  ====================================  =========================================
step       module                                what it does
=========  ====================================  =========================================
prepare    :mod:`~autograder.grading.assignment`  register the assignment with nbgrader
collect    :mod:`~autograder.grading.collect`     one notebook per student (folder or zip)
isolate    :mod:`~autograder.grading.isolate`     private folder + sandboxed kernel command
execute    :mod:`~autograder.grading.execute`     run it (limits, recovery, guard)
score      :mod:`~autograder.grading.score`       points per test cell, problems found
merge      :mod:`~autograder.grading.merge`       single writer of the central gradebook
feedback   :mod:`~autograder.grading.feedback`    HTML per student, hidden tests scrubbed
report     :mod:`~autograder.grading.report`      grades.csv, report.html, histogram
=========  ====================================  =========================================

isolate → execute → score → feedback run in a worker process
(:func:`autograder.grading.worker.grade_submission`), on a local process pool or a
Dask cluster; the other steps run here.
"""
from __future__ import annotations

from autograder.grading.pipeline import SubmissionResult, grade

__all__ = ["SubmissionResult", "grade"]
