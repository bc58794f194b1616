"""The pins agree everywhere: pyproject.toml ranges, requirements.lock, the conda files.

Fails when someone edits requirements.lock or pyproject.toml and forgets `make lock`
(or `python tools/lock.py --conda-only`), or hand-edits a conda file.
"""
from __future__ import annotations

import copy
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
ENV_FILES = {"environment.yml": False, "environment-gpu.yml": True}


def lock_pins() -> dict[str, str]:
    pins = {}
    for raw in (ROOT / "requirements.lock").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not an exact pin: {raw!r}"
        name = canonicalize_name(req.name)
        assert name not in pins, f"{req.name} is pinned twice in requirements.lock"
        pins[name] = specs[0].version
    return pins


def lock_python() -> str:
    match = re.search(r"\(Python (\d+\.\d+)", (ROOT / "requirements.lock").read_text())
    assert match, "requirements.lock's header should say which Python it was resolved with"
    return match.group(1)


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


def load_env(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


def env_problems(env: dict, pins: dict[str, str], python: str, *, gpu: bool) -> list[str]:
    """Every way a parsed conda file disagrees with the lock (empty list: in sync)."""
    problems = []
    deps = env.get("dependencies") or []
    conda = [d for d in deps if isinstance(d, str)]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    if f"python={python}" not in conda:
        problems.append(f"conda dependencies should contain python={python}, got {conda}")
    if "pip" not in conda:
        problems.append("conda dependencies should contain pip")
    extra = [d for d in conda if d.split("=")[0] not in {"python", "pip"}]
    if extra:
        problems.append(f"conda packages besides python and pip: {extra}")
    if len(pip_sections) != 1:
        return problems + [f"expected one pip: section, found {len(pip_sections)}"]
    seen: dict[str, str] = {}
    editable = 0
    and_cuda = []
    for entry in pip_sections[0]:
        if entry.strip() == "-e .":
            editable += 1
            continue
        req = Requirement(entry)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            problems.append(f"{entry!r} is not an exact '==' pin")
            continue
        name, version = canonicalize_name(req.name), specs[0].version
        if req.extras:
            if gpu and name == "tensorflow" and req.extras == {"and-cuda"}:
                and_cuda.append(version)
            else:
                problems.append(f"unexpected extra in {entry!r}")
            continue
        if name in seen:
            problems.append(f"{req.name} pinned twice")
        seen[name] = version
    if editable != 1:
        problems.append(f"expected '-e .' once in the pip section, found it {editable} times")
    for name, version in pins.items():
        if name not in seen:
            problems.append(f"{name}=={version} from requirements.lock is missing")
        elif seen[name] != version:
            problems.append(f"{name} is {seen[name]} but requirements.lock pins {version}")
    for name in sorted(set(seen) - set(pins)):
        problems.append(f"{name}=={seen[name]} is pinned but not in requirements.lock")
    if gpu:
        if and_cuda != [pins.get("tensorflow")]:
            problems.append(f"expected tensorflow[and-cuda]=={pins.get('tensorflow')} once, "
                            f"found {and_cuda}")
    elif and_cuda:
        problems.append("the CPU file must not install tensorflow[and-cuda]")
    return problems


@pytest.mark.parametrize("name", sorted(ENV_FILES))
def test_conda_file_matches_the_lock(name):
    problems = env_problems(load_env(name), lock_pins(), lock_python(), gpu=ENV_FILES[name])
    assert problems == [], (f"{name} drifted from requirements.lock; run "
                            f"`python tools/lock.py --conda-only`:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("tamper, expected", [
    (lambda pip: pip.remove("numpy==" + lock_pins()["numpy"]), "numpy==2"),
    (lambda pip: pip.__setitem__(pip.index("keras==" + lock_pins()["keras"]), "keras==3.14.0"),
     "keras is 3.14.0"),
    (lambda pip: pip.insert(0, "requests-oauthlib==2.0.0"), "not in requirements.lock"),
    (lambda pip: pip.insert(0, "tensorflow[and-cuda]==2.20.0"), "and-cuda"),
    (lambda pip: pip.remove("-e ."), "'-e .'"),
])
def test_drift_is_detected(tamper, expected):
    """The comparison above catches each kind of drift (so the test can fail)."""
    env = copy.deepcopy(load_env("environment-gpu.yml"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    tamper(pip)
    problems = env_problems(env, lock_pins(), lock_python(), gpu=True)
    assert any(expected in p for p in problems), problems


def test_conda_files_are_what_the_generator_writes():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "lock.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _project_requirements() -> list[tuple[str, Requirement]]:
    project = pyproject()
    reqs = [("dependencies", Requirement(r)) for r in project["dependencies"]]
    for extra, items in project.get("optional-dependencies", {}).items():
        reqs += [(f"[{extra}]", Requirement(r)) for r in items]
    return reqs


def test_every_pyproject_dependency_is_locked_inside_its_range():
    pins = lock_pins()
    problems = []
    for where, req in _project_requirements():
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req} ({where}) is not in requirements.lock")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{req.name}=={pins[name]} in requirements.lock is outside "
                            f"pyproject's '{req}' ({where})")
    assert problems == [], "run `make lock`:\n  " + "\n  ".join(problems)


def test_lock_holds_only_course_packages():
    pins = lock_pins()
    for tool in ("pip", "setuptools", "wheel", "dlcourse"):
        assert tool not in pins, f"{tool} does not belong in requirements.lock"
    assert pyproject()["requires-python"] == ">=3.11"
    assert Requirement("python" + pyproject()["requires-python"]).specifier.contains(
        lock_python() + ".0")
