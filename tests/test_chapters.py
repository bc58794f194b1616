"""Chapter self-tests. Chapters plug in by existing in solutions/.

Static checks (cheap): notebook hygiene, nbgrader metadata, hints, parameters cell,
no outdated APIs, every autograded exercise has a wrong answer.
Dynamic checks (one kernel per chapter + one grading run per chapter):
  (a) the solution notebook passes all its test cells in fast mode;
  (b) the solution, submitted as a student would, gets full autograded marks;
  (c) the untouched student edition gets 0 autograded marks;
  (d) each wrong answer in tests/wrong_answers/<slug>.py fails its exercise's tests.
"""
from __future__ import annotations

import re

import nbformat
import pytest
from chapter_tools import (
    ROOT,
    exercises,
    filled_submission,
    is_solution,
    is_test,
    load_wrong_answers,
    run_chapter,
)

from autograder import chapter_slugs
from dlcourse.testing import nbgrader_meta

SLUGS = chapter_slugs()
EXPECTED = ["00_introduction", "01_getting_started", "02_data", "03_machine_learning",
            "04_deep_learning", "05_internals", "06_cnn", "07_rnn", "08_nlp", "09_gpu",
            "10_performance", "11_pretrained_images", "12_embeddings", "13_serving",
            "14_appendix"]

# Outdated APIs the course replaces (see SYLLABUS.md "Outdated ..." sections).
FORBIDDEN = {
    r"\binput_shape\s*=(?!=)": "use keras.Input(shape=...) as the first layer",
    r"(Dense|Conv[123]D|LSTM|GRU|SimpleRNN)\([^)]*\binput_dim\s*=(?!=)": "use keras.Input(shape=...) as the first layer",
    r"(SGD|Adam|RMSprop|Adagrad|Adadelta|Nadam|Adamax)\([^)]*\blr\s*=(?!=)": "optimizers take learning_rate=",
    r"predict_classes": "use np.argmax(model.predict(x), axis=1) or a 0.5 threshold",
    r"ImageDataGenerator": "use keras.utils.image_dataset_from_directory + preprocessing layers",
    r"fit_generator|evaluate_generator|predict_generator": "fit/evaluate/predict accept generators",
    r"keras\.wrappers": "use scikeras or an explicit KFold loop",
    r"\[['\"](val_)?acc['\"]\]": "history keys are 'accuracy'/'val_accuracy'",
    r"read_csv\(\s*['\"]\.\./data": "load data through dlcourse.data",
    r"keras\.datasets\.\w+\.load_data": "use dlcourse.data (stand-ins in tests)",
    r"get_feature_names\(\)": "use get_feature_names_out()",
    r"normed\s*=": "use density=True",
    r"K\.function|get_session|set_learning_phase|tf\.compat\.v1": "TF1 APIs are gone",
    r"np_utils": "use keras.utils.to_categorical",
    r"keras\.preprocessing\.text\.Tokenizer": "use keras.layers.TextVectorization",
}


def _notebooks(slug):
    src = nbformat.read(ROOT / "solutions" / slug / f"{slug}.ipynb", as_version=4)
    rel_path = ROOT / "course" / slug / f"{slug}.ipynb"
    rel = nbformat.read(rel_path, as_version=4) if rel_path.exists() else None
    return src, rel


def test_chapter_folders_use_known_slugs():
    unknown = sorted(set(SLUGS) - set(EXPECTED))
    assert not unknown, f"unknown chapter folders in solutions/: {unknown}"


def test_course_in_sync_with_solutions():
    from autograder import release

    problems = release.check()
    assert not problems, "course/ is out of sync (run `python -m autograder release`):\n" + "\n".join(problems)


@pytest.mark.parametrize("slug", SLUGS)
def test_chapter_static(slug):
    src, rel = _notebooks(slug)
    problems = []
    nbformat.validate(src)
    for label, nb in (("solutions", src), ("course", rel)):
        if nb is None:
            problems.append(f"course/{slug}/{slug}.ipynb is missing")
            continue
        for i, c in enumerate(nb.cells):
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count")):
                problems.append(f"{label}: cell {i} has committed outputs")
    if rel is not None:
        for i, c in enumerate(rel.cells):
            if "BEGIN SOLUTION" in c.source or "BEGIN HIDDEN TESTS" in c.source:
                problems.append(f"course: cell {i} leaks a solution or hidden test")
    # parameters cell near the top
    head = [c.source for c in src.cells[:8] if c.cell_type == "code"]
    if not any("Parameters" in s and "setup(" in s for s in head):
        problems.append("no parameters cell (a code cell with '# Parameters' and setup(...)) "
                        "in the first 8 cells")
    # nbgrader metadata, points, hidden tests, hints
    graded = 0
    last_boundary = 0
    for i, c in enumerate(src.cells):
        meta = nbgrader_meta(c)
        if meta:
            if meta.get("schema_version") != 3:
                problems.append(f"cell {i}: nbgrader schema_version must be 3")
            if meta.get("grade") and not meta.get("points"):
                problems.append(f"cell {i} ({meta.get('grade_id')}): graded cell without points")
            graded += bool(meta.get("grade"))
        if is_test(c) and "BEGIN HIDDEN TESTS" not in c.source:
            problems.append(f"cell {i} ({meta.get('grade_id')}): autograded test without hidden tests")
        if is_solution(c):
            before = src.cells[last_boundary:i]
            if not any(m.cell_type == "markdown" and "<details" in m.source for m in before):
                problems.append(f"cell {i} ({meta.get('grade_id')}): no <details> hint before this exercise")
        if is_test(c) or (meta.get("grade") and meta.get("solution")):
            last_boundary = i + 1
        if c.cell_type == "code":
            for pattern, fix in FORBIDDEN.items():
                if re.search(pattern, c.source):
                    problems.append(f"cell {i}: outdated API /{pattern}/: {fix}")
    if graded == 0:
        problems.append("no graded cells")
    # wrong answers cover every autograded exercise and nothing else
    wrong = load_wrong_answers(slug)
    ex = exercises(src)
    missing = sorted(set(ex) - set(wrong))
    unknown = sorted(set(wrong) - set(ex))
    if missing:
        problems.append(f"tests/wrong_answers/{slug}.py has no wrong answer for {missing}")
    if unknown:
        problems.append(f"tests/wrong_answers/{slug}.py names unknown exercises {unknown}")
    assert not problems, f"{slug}:\n  " + "\n  ".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_solution_passes_and_wrong_answers_fail(slug):
    run = run_chapter(slug, load_wrong_answers(slug))
    assert not run.cell_errors, "solution notebook fails:\n" + "\n\n".join(run.cell_errors)
    assert not run.wrong_crashed, "wrong answers should run but fail the tests:\n" + "\n".join(run.wrong_crashed)
    assert not run.wrong_not_caught, f"tests do not catch these wrong answers: {run.wrong_not_caught}"
    assert not run.restore_failed, "restoring the solution failed:\n" + "\n".join(run.restore_failed)


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_grading_solution_full_marks_stub_zero(slug, tmp_path):
    grading = pytest.importorskip("autograder.grading", reason="grading pipeline not built yet")
    subs = tmp_path / "submissions"
    (subs / "solution").mkdir(parents=True)
    (subs / "stub").mkdir(parents=True)
    nbformat.write(filled_submission(slug), subs / "solution" / f"{slug}.ipynb")
    stub = nbformat.read(ROOT / "course" / slug / f"{slug}.ipynb", as_version=4)
    nbformat.write(stub, subs / "stub" / f"{slug}.ipynb")
    results = {r.student: r for r in grading.grade(slug, subs, tmp_path / "ws", workers=2,
                                                   progress=False)}
    sol, st = results["solution"], results["stub"]
    assert sol.autograded_max > 0
    lost = {k: v for k, v in sol.scores.items() if v[0] < v[1]}
    assert sol.autograded == pytest.approx(sol.autograded_max), \
        f"solution lost points on {lost}; problems: {sol.problems}"
    earned = {k: v for k, v in st.scores.items() if v[0] > 0}
    assert st.autograded == 0, f"untouched stub earned points on {earned}"
