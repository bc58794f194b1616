"""Serving helpers for chapter 13: a small validating prediction API and TF Serving requests.

- :func:`create_app` wraps any model with a ``predict``-like callable in a Flask app
  whose ``POST /predict`` endpoint validates its JSON and answers 400 with a message
  on bad input (never a 500 with a stack trace).
- :func:`serve` runs a Flask app on a loopback port in a background thread, for
  notebooks and tests, and stops it on exit.
- :func:`signature_info`, :func:`rest_request` and :func:`grpc_request` describe an
  exported SavedModel's serving signature and build the exact requests TensorFlow
  Serving expects for it.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import numpy as np


class BadRequest(ValueError):
    """The client's request is invalid; the message tells the client what to fix."""


def parse_instances(payload, n_features: int | None = None) -> np.ndarray:
    """Validate a JSON payload ``{"instances": [[...], ...]}`` and return a float32 array.

    Raises :class:`BadRequest` with a message meant for the API's client.
    """
    if not isinstance(payload, dict):
        raise BadRequest('send a JSON object like {"instances": [[...], ...]}')
    if "instances" not in payload:
        raise BadRequest(f'missing key "instances" (got keys {sorted(payload)})')
    rows = payload["instances"]
    if not isinstance(rows, list) or not rows:
        raise BadRequest('"instances" must be a non-empty list of rows')
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise BadRequest(f"instance {i} must be a list of numbers")
        if n_features is not None and len(row) != n_features:
            raise BadRequest(f"instance {i} has {len(row)} values; the model expects {n_features}")
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise BadRequest(f"instance {i} contains {v!r}, which is not a finite number")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise BadRequest(f"all instances must have the same length (got {sorted(widths)})")
    return np.asarray(rows, dtype="float32")


def create_app(predict: Callable[[np.ndarray], np.ndarray], n_features: int | None = None,
               class_names: Sequence[str] | None = None, name: str = "model"):
    """A Flask app serving ``predict`` (e.g. ``model.predict``) at ``POST /predict``.

    The response is ``{"predictions": [[p0, p1, ...], ...], "classes": [...]}``; with
    ``class_names`` the classes are names, otherwise indices. ``GET /health`` answers
    ``{"status": "ok"}``.
    """
    from flask import Flask, jsonify, request

    app = Flask(name)

    @app.get("/health")
    def health():
        return jsonify(status="ok", model=name)

    @app.post("/predict")
    def predict_route():
        payload = request.get_json(silent=True)
        if payload is None:
            return jsonify(error="the request body must be JSON (Content-Type: application/json)"), 400
        try:
            x = parse_instances(payload, n_features)
        except BadRequest as e:
            return jsonify(error=str(e)), 400
        probs = np.asarray(predict(x))
        classes = probs.argmax(axis=1).tolist()
        if class_names is not None:
            classes = [class_names[c] for c in classes]
        return jsonify(predictions=probs.round(6).tolist(), classes=classes)

    return app


class _ServerThread(threading.Thread):
    def __init__(self, app, host: str, port: int):
        super().__init__(daemon=True)
        from werkzeug.serving import make_server

        self.server = make_server(host, port, app, threaded=True)
        self.port = self.server.server_port

    def run(self):
        self.server.serve_forever()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serve(app, host: str = "127.0.0.1", port: int = 0):
    """Run ``app`` on ``host:port`` (a free port when 0) in the background; yield its base URL."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("serve() is for local demos and tests: use a loopback host")
    thread = _ServerThread(app, host, port)
    thread.start()
    try:
        yield f"http://{host}:{thread.port}"
    finally:
        thread.stop()
        thread.join(timeout=10)


def signature_info(export_dir, signature: str = "serving_default") -> dict:
    """Describe a SavedModel signature: ``{"inputs": {name: (shape, dtype)}, "outputs": {...}}``."""
    import tensorflow as tf

    loaded = tf.saved_model.load(str(export_dir))
    if signature not in loaded.signatures:
        raise KeyError(f"{export_dir} has no signature {signature!r}; "
                       f"available: {sorted(loaded.signatures)}")
    fn = loaded.signatures[signature]
    _, kwargs = fn.structured_input_signature
    inputs = {k: (tuple(v.shape.as_list()), v.dtype.name) for k, v in kwargs.items()}
    outputs = {k: (tuple(v.shape.as_list()), v.dtype.name) for k, v in fn.structured_outputs.items()}
    return {"signature": signature, "inputs": inputs, "outputs": outputs}


def rest_request(instances, signature: str = "serving_default", input_name: str | None = None) -> dict:
    """The JSON body for TF Serving's REST ``POST /v1/models/NAME:predict``.

    Row format: ``{"signature_name": ..., "instances": [...]}``; with ``input_name`` each
    instance becomes ``{input_name: row}`` (needed when a signature has several inputs).
    """
    rows = np.asarray(instances).tolist()
    if input_name is not None:
        rows = [{input_name: r} for r in rows]
    return {"signature_name": signature, "instances": rows}


def grpc_request(instances, model_name: str, input_name: str,
                 signature: str = "serving_default") -> dict:
    """The fields of a TF Serving gRPC ``PredictRequest``, with the tensor as a TensorProto.

    Returns ``{"model_spec": {...}, "inputs": {input_name: TensorProto}}``; with the
    ``tensorflow-serving-api`` package, copy these into ``predict_pb2.PredictRequest()``.
    """
    import tensorflow as tf

    proto = tf.make_tensor_proto(np.asarray(instances, dtype="float32"))
    return {"model_spec": {"name": model_name, "signature_name": signature},
            "inputs": {input_name: proto}}
