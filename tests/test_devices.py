"""Tests for dlcourse.devices (device listing and honest timing for 09_gpu)."""
import time

import pytest

from dlcourse.devices import (
    device_names,
    device_table,
    hide_gpus,
    matmul_seconds,
    time_call,
)


def test_device_table_lists_the_cpu():
    table = device_table()
    assert list(table.columns) == ["name", "type", "details"]
    assert (table["type"] == "CPU").sum() >= 1
    assert all(name.startswith("/device:") for name in table["name"])


def test_device_names_filters_by_kind():
    cpus = device_names("CPU")
    assert cpus and all("CPU" in n for n in cpus)
    assert set(device_names()) >= set(cpus)
    assert all("GPU" in n for n in device_names("gpu"))
    with pytest.raises(ValueError):
        device_names("TPU-ish")


def test_hide_gpus_returns_a_count():
    assert hide_gpus() >= 0


def test_time_call_skips_warmup_and_takes_the_median():
    calls = []

    def work():
        calls.append(1)
        time.sleep(0.3 if len(calls) == 1 else 0.02)

    seconds = time_call(work, repeats=3, warmup=1)
    assert len(calls) == 4
    assert 0.015 < seconds < 0.2


def test_time_call_rejects_bad_counts():
    with pytest.raises(ValueError):
        time_call(lambda: None, repeats=0)


def test_matmul_seconds_on_cpu():
    s = matmul_seconds(64, "/CPU:0", repeats=2)
    assert 0 < s < 5
    with pytest.raises(ValueError):
        matmul_seconds(0, "/CPU:0")


def test_split_cpu_in_a_fresh_process():
    # Device configuration is per process and fixed once TensorFlow initialises, so the
    # check runs in a child interpreter.
    import subprocess
    import sys

    code = ("from dlcourse.devices import split_cpu, matmul_seconds\n"
            "names = split_cpu(2)\n"
            "assert [n[-5:] for n in names] == ['CPU:0', 'CPU:1'], names\n"
            "assert split_cpu(2) == names\n"
            "assert matmul_seconds(16, '/CPU:1', repeats=1) > 0\n"
            "try:\n"
            "    split_cpu(3)\n"
            "except RuntimeError as e:\n"
            "    assert 'Restart the kernel' in str(e)\n"
            "else:\n"
            "    raise SystemExit('split_cpu(3) after initialisation should fail')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
