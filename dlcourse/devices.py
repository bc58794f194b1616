"""Devices and honest timing for the GPU chapter (09_gpu).

Everything here works on a machine without a GPU: the functions then report one CPU
device, and the chapter explains what a GPU would change.

* :func:`device_table` - the logical devices TensorFlow can use, as a DataFrame;
* :func:`hide_gpus` - make TensorFlow ignore every GPU (for a fair CPU run);
* :func:`split_cpu` - show the CPU to TensorFlow as several logical devices, so device
  placement and multi-device code can be practised on a machine without GPUs;
* :func:`time_call` - time a function the honest way (warm-up first, then the median
  of several runs);
* :func:`matmul_seconds` - how long one ``n x n`` matrix product takes on a device.
"""
from __future__ import annotations

import statistics
import time


def device_table():
    """Return a DataFrame with one row per logical device TensorFlow sees.

    Columns: ``name`` (use it in ``tf.device(name)``), ``type`` (``CPU``/``GPU``) and
    ``details`` (the GPU's model name and compute capability when TensorFlow knows
    them, empty for CPUs).
    """
    import pandas as pd
    import tensorflow as tf

    rows = []
    physical = {d.name.replace("physical_device:", ""): d
                for d in tf.config.list_physical_devices()}
    for dev in tf.config.list_logical_devices():
        details = ""
        short = dev.name.split("device:")[-1]
        phys = physical.get(f"/{short}") or physical.get(short)
        if dev.device_type == "GPU" and phys is not None:
            info = tf.config.experimental.get_device_details(phys)
            cc = info.get("compute_capability")
            details = info.get("device_name", "") + (f" (compute {cc[0]}.{cc[1]})" if cc else "")
        rows.append({"name": dev.name, "type": dev.device_type, "details": details})
    return pd.DataFrame(rows, columns=["name", "type", "details"])


def device_names(kind: str | None = None) -> list[str]:
    """Names of the logical devices, optionally only ``kind`` (``"CPU"`` or ``"GPU"``)."""
    import tensorflow as tf

    if kind is not None and kind.upper() not in {"CPU", "GPU"}:
        raise ValueError(f"kind={kind!r}: use 'CPU', 'GPU' or None for all devices")
    devices = tf.config.list_logical_devices(kind.upper() if kind else None)
    return [d.name for d in devices]


def hide_gpus() -> int:
    """Hide every GPU from TensorFlow and return how many were hidden.

    Must run before TensorFlow touches a GPU (before the first model or tensor); after
    that TensorFlow cannot change its devices and this raises ``RuntimeError`` with
    advice. The shell way, which works before Python starts, is
    ``CUDA_VISIBLE_DEVICES="" python ...``.
    """
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return 0
    try:
        tf.config.set_visible_devices([], "GPU")
    except RuntimeError as err:
        raise RuntimeError(
            "TensorFlow has already initialised its GPUs, so they can no longer be hidden. "
            "Restart the kernel and call hide_gpus() before creating any tensor or model, "
            "or start Python with CUDA_VISIBLE_DEVICES=\"\"."
        ) from err
    return len(gpus)


def split_cpu(n: int = 2) -> list[str]:
    """Expose the (first) CPU as ``n`` logical devices and return their names.

    The logical CPUs share the same physical cores: code placed on ``/CPU:1`` runs no
    faster than on ``/CPU:0``. They exist so that ``tf.device`` placement,
    ``MirroredStrategy`` with several replicas and model parallelism can be run and
    checked anywhere. Like :func:`hide_gpus` it must run before TensorFlow initialises
    its devices; calling it again with the same ``n`` is harmless.
    """
    import tensorflow as tf

    if n < 1:
        raise ValueError(f"n={n} must be at least 1")
    cpu = tf.config.list_physical_devices("CPU")[0]
    current = tf.config.get_logical_device_configuration(cpu)
    if current is not None and len(current) == n:
        return device_names("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)])
    except RuntimeError as err:
        raise RuntimeError(
            "TensorFlow has already initialised its devices, so the CPU can no longer be "
            "split. Restart the kernel and call split_cpu() before creating any tensor or model."
        ) from err
    return device_names("CPU")


def time_call(fn, *, repeats: int = 3, warmup: int = 1) -> float:
    """Return the median wall-clock seconds of ``fn()`` over ``repeats`` runs.

    ``warmup`` untimed calls come first: the first call of TensorFlow code pays for
    tracing, graph building, memory allocation and (on a GPU) kernel loading, which a
    real training run pays only once. ``fn`` should make sure its work has finished
    before it returns (e.g. convert a result with ``.numpy()``), because TensorFlow may
    run GPU work asynchronously.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats={repeats} must be >= 1 and warmup={warmup} >= 0")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def matmul_seconds(n: int, device: str, *, repeats: int = 3, dtype: str = "float32") -> float:
    """Seconds for one ``n x n @ n x n`` product on ``device`` (warm-up excluded).

    The inputs are created on the device first, so the timing measures computation
    and not the copy from main memory. The product costs about ``2 n^3`` floating-point
    operations, so ``2 * n**3 / seconds / 1e9`` is the speed in GFLOP/s.
    """
    import tensorflow as tf

    if n < 1:
        raise ValueError(f"n={n} must be a positive matrix size")
    with tf.device(device):
        a = tf.random.uniform((n, n), dtype=dtype, seed=1)
        b = tf.random.uniform((n, n), dtype=dtype, seed=2)

        def product():
            # Reading one element back forces the (possibly asynchronous) work to finish.
            return tf.matmul(a, b)[0, 0].numpy()

        return time_call(product, repeats=repeats, warmup=1)
