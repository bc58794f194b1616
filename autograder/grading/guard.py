"""Kernel-side guard: code the grader runs *inside* the student's kernel.

This file is never imported by the kernel (the sandbox cannot see ``autograder/``):
:func:`kernel_code` sends its source as text. Two entry points:

``snapshot()``
    Runs once, right after the kernel starts and before any student code: records
    the pristine ``builtins``, ``sys.stdout``/``stderr``/``excepthook`` and the
    IPython input transformers.
``before_test()``
    Runs (silently, not stored in history) before every test cell. It undoes the
    usual ways student code can make a failing test look like a pass — replaced
    ``showtraceback``/``run_cell`` methods, rebound ``print``, a swapped
    ``sys.stdout``, input/AST transformers, a monkeypatched ``dlcourse.checks``
    (dropped from ``sys.modules`` so the test re-imports it from read-only disk) —
    and raises :class:`GraderIntegrityError` when a library function the tests use
    (``numpy.array_equal``...) was replaced by code that does not come from an
    installed library. The grader turns that error into a failed test.

Code in the same process as student code cannot be made tamper-proof: this guard
removes the easy tricks and the grader adds a second, independent proof that the
test ran to its end (a one-off token printed by the last line of the test cell).
"""
from __future__ import annotations

import builtins
import functools
import sys
import types

# Filled in by kernel_code(): folders whose code counts as "installed library".
TRUSTED_ROOTS: tuple[str, ...] = ()
# Top-level packages whose functions tests rely on.
WATCHED = ("builtins", "numpy", "pandas", "math", "keras", "sklearn", "scipy", "dlcourse",
           "operator", "statistics")
# Methods a notebook might override on the shell or kernel instance to hide errors.
SHELL_HOOKS = ("showtraceback", "_showtraceback", "showsyntaxerror", "showindentationerror",
               "run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
               "transform_ast", "should_run_async", "_run_cell", "get_exception_only",
               "excepthook", "CustomTB", "set_custom_exc")
KERNEL_HOOKS = ("do_execute", "execute_request", "send_response", "_publish_execute_input",
                "_publish_status", "finish_metadata")

_STATE_KEY = "_dlcourse_grader_state"
RESULT_NAME = "_dlcourse_grader_result"  # read back through the reply's user_expressions


class GraderIntegrityError(Exception):
    """Student code replaced something the tests rely on."""


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the kernel always has IPython
        return None
    return get_ipython()


def _is_foreign(value, *, in_class: bool) -> bool:
    """True for callables whose code was not loaded from an installed library."""
    func = getattr(value, "__func__", value)
    if isinstance(func, functools.partial):
        func = func.func
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    name = code.co_filename
    if name.startswith("<frozen"):
        return False
    if name.startswith("<"):
        # libraries build some functions from strings (dataclasses, namedtuple,
        # scipy.optimize, Cython helpers): those name their module; notebook code
        # compiled by exec() belongs to __main__
        if in_class and name in ("<string>", "<stringsource>"):
            return False
        return getattr(func, "__module__", None) in (None, "__main__", "builtins")
    if not name.startswith("/"):
        return False  # Cython modules record relative .pyx paths
    return not any(name.startswith(root) for root in TRUSTED_ROOTS)


def foreign_functions(modules=None) -> list[str]:
    """Names like ``numpy.array_equal`` whose value is notebook-defined code."""
    modules = sys.modules if modules is None else modules
    found = []
    for mod_name, mod in list(modules.items()):
        top = mod_name.split(".")[0]
        if top not in WATCHED or mod_name.count(".") > 1 or not isinstance(mod, types.ModuleType):
            continue
        for attr, value in list(vars(mod).items()):
            if _is_foreign(value, in_class=False):
                found.append(f"{mod_name}.{attr}")
            elif isinstance(value, type) and (getattr(value, "__module__", "") or "").split(".")[0] == top:
                for cattr, cvalue in list(vars(value).items()):
                    if _is_foreign(cvalue, in_class=True):
                        found.append(f"{mod_name}.{attr}.{cattr}")
    return sorted(set(found))


def snapshot() -> None:
    """Record the pristine state (first thing the kernel runs)."""
    shell = _shell()
    state = {
        "builtins": dict(vars(builtins)),
        "stdout": sys.stdout, "stderr": sys.stderr,
        "excepthook": sys.excepthook, "displayhook": sys.displayhook,
    }
    if shell is not None:
        tm = shell.input_transformer_manager
        state["cleanup"] = list(tm.cleanup_transforms)
        state["line"] = list(tm.line_transforms)
        state["token"] = list(getattr(tm, "token_transformers", []))
    sys.modules[_STATE_KEY] = types.SimpleNamespace(**state)


def _same(a, b) -> bool:
    """Identity, or the same bound method (a fresh bound-method object per access)."""
    if a is b:
        return True
    func_a, func_b = getattr(a, "__func__", None), getattr(b, "__func__", None)
    return (func_a is not None and func_a is func_b
            and getattr(a, "__self__", None) is getattr(b, "__self__", None))


def _restore(state) -> list[str]:
    """Undo hooks student code may have installed; return what was changed."""
    changed = []
    if state is not None:
        for name, value in state.builtins.items():
            current = vars(builtins).get(name, None)
            if not _same(current, value):
                setattr(builtins, name, value)
                if _is_foreign(current, in_class=False) or current is None:
                    changed.append(f"builtins.{name}")
        # (sys.excepthook is swapped by IPython itself around every cell)
        for name in ("stdout", "stderr", "displayhook"):
            if not _same(getattr(sys, name), getattr(state, name)):
                setattr(sys, name, getattr(state, name))
                changed.append(f"sys.{name}")
    shell = _shell()
    if shell is not None:
        for owner, hooks, label in ((shell, SHELL_HOOKS, "shell"),
                                    (getattr(shell, "kernel", None), KERNEL_HOOKS, "kernel")):
            if owner is None:
                continue
            for name in hooks:
                value = vars(owner).get(name)
                if value is not None and hasattr(type(owner), name) and (
                        _is_foreign(value, in_class=False) or getattr(
                            value, "__self__", owner) is not owner):
                    delattr(owner, name)  # back to the class's own method
                    changed.append(f"{label}.{name}")
        if shell.ast_transformers:
            shell.ast_transformers[:] = []
            changed.append("shell.ast_transformers")
        if shell.input_transformers_post:
            shell.input_transformers_post[:] = []
            changed.append("shell.input_transformers_post")
        tm = shell.input_transformer_manager
        if state is not None and hasattr(state, "cleanup"):
            for attr, saved in (("cleanup_transforms", state.cleanup),
                                ("line_transforms", state.line)):
                if list(getattr(tm, attr)) != saved:
                    setattr(tm, attr, list(saved))
                    changed.append(f"input_transformer_manager.{attr}")
    ours = {m: mod for m, mod in sys.modules.items() if m == "dlcourse" or m.startswith("dlcourse.")}
    changed += foreign_functions(ours)  # e.g. dlcourse.checks.check = lambda *a: None
    for name in ours:
        del sys.modules[name]  # the test re-imports the helpers from read-only files
    return changed


def before_test() -> list[str]:
    """Reset hooks, then refuse to run the test if library code was replaced.

    Returns what had to be reset (the grader reports it as a problem).
    """
    changed = _restore(sys.modules.get(_STATE_KEY))
    replaced = foreign_functions()
    if replaced:
        shown = ", ".join(replaced[:5]) + (" ..." if len(replaced) > 5 else "")
        raise GraderIntegrityError(
            f"the notebook replaced library functions the tests use ({shown}); "
            f"this test cannot be trusted and scores 0")
    return [c for c in changed if c != "sys.displayhook"]


def kernel_code(action: str, trusted_roots: list[str]) -> str:
    """Source text that defines this module in a private namespace and runs ``action``."""
    from pathlib import Path

    if action not in ("snapshot", "before_test"):
        raise ValueError(f"unknown guard action {action!r}")
    source = Path(__file__).read_text(encoding="utf-8")
    return (
        "def _dlcourse_grader_guard():\n"
        "    _ns = {'__name__': '_dlcourse_grader_guard'}\n"
        f"    exec(compile({source!r}, '<dlcourse-grader>', 'exec'), _ns)\n"
        f"    _ns['TRUSTED_ROOTS'] = {tuple(trusted_roots)!r}\n"
        f"    return _ns[{action!r}]()\n"
        "try:\n"
        f"    {RESULT_NAME} = _dlcourse_grader_guard()\n"
        "finally:\n"
        "    del _dlcourse_grader_guard\n"
    )
