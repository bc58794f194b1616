# nbgrader settings for students: JupyterLab's "Validate" button reads this file from
# the folder the server was started in (`make lab` starts it here, in course/).
# Validate runs the whole notebook in a fresh kernel; on a slow laptop a cell that
# trains a model can take longer than nbgrader's default 30 s, which would be reported
# as a failed test. The grader uses the same limit (autograder/nbgrader_config.py).
c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.Execute.timeout = 120
c.Execute.raise_on_iopub_timeout = False
c.Execute.iopub_timeout = 30
