"""dlcourse.serving: input validation, the Flask app, the loopback server, request builders."""
import json
import urllib.error
import urllib.request

import numpy as np
import pytest

from dlcourse import serving


def fake_predict(x):
    # a "model" whose probabilities depend on the first feature: easy to check
    p1 = 1 / (1 + np.exp(-x[:, 0]))
    return np.stack([1 - p1, p1], axis=1)


@pytest.mark.parametrize("payload, message", [
    ([1, 2], "JSON object"),
    ({"rows": []}, 'missing key "instances"'),
    ({"instances": []}, "non-empty list"),
    ({"instances": [1, 2]}, "instance 0 must be a list"),
    ({"instances": [[1, 2, 3]]}, "has 3 values; the model expects 2"),
    ({"instances": [[1, "a"]]}, "'a', which is not a finite number"),
    ({"instances": [[1, True]]}, "True"),
])
def test_parse_instances_rejects_bad_payloads(payload, message):
    with pytest.raises(serving.BadRequest, match=message):
        serving.parse_instances(payload, n_features=2)


def test_parse_instances_needs_equal_lengths_without_a_width():
    with pytest.raises(serving.BadRequest, match="same length"):
        serving.parse_instances({"instances": [[1, 2], [1]]})
    assert serving.parse_instances({"instances": [[1, 2]]}).dtype == np.float32


def test_app_predicts_and_answers_400_on_bad_input():
    app = serving.create_app(fake_predict, n_features=2, class_names=["no", "yes"])
    client = app.test_client()
    ok = client.post("/predict", json={"instances": [[5, 0], [-5, 0]]})
    assert ok.status_code == 200
    assert ok.get_json()["classes"] == ["yes", "no"]
    bad = client.post("/predict", data="not json", content_type="text/plain")
    assert bad.status_code == 400 and "must be JSON" in bad.get_json()["error"]
    wrong = client.post("/predict", json={"instances": [[1]]})
    assert wrong.status_code == 400 and "expects 2" in wrong.get_json()["error"]
    assert client.get("/health").get_json()["status"] == "ok"


def test_serve_runs_on_loopback_and_stops():
    app = serving.create_app(fake_predict, n_features=2)
    with serving.serve(app) as url:
        req = urllib.request.Request(f"{url}/predict", data=json.dumps({"instances": [[3, 1]]}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.load(r)["classes"] == [1]
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(urllib.request.Request(f"{url}/predict", data=b"{}",
                                   headers={"Content-Type": "application/json"}), timeout=10)
        assert e.value.code == 400
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=2)
    with pytest.raises(ValueError, match="loopback"):
        with serving.serve(app, host="0.0.0.0"):
            pass


def test_rest_request_formats():
    body = serving.rest_request(np.array([[1.0, 2.0]]))
    assert body == {"signature_name": "serving_default", "instances": [[1.0, 2.0]]}
    named = serving.rest_request([[1, 2]], input_name="inputs")
    assert named["instances"] == [{"inputs": [1, 2]}]


@pytest.mark.slow
def test_signature_info_and_grpc_request_from_a_real_export(tmp_path):
    import keras
    import tensorflow as tf

    inputs = keras.Input(shape=(3,), name="features")
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    model.export(str(tmp_path / "m" / "1"), verbose=False)
    info = serving.signature_info(tmp_path / "m" / "1")
    (name, (shape, dtype)), = info["inputs"].items()
    assert shape == (None, 3) and dtype == "float32"
    assert list(info["outputs"].values())[0][0] == (None, 2)
    with pytest.raises(KeyError, match="available"):
        serving.signature_info(tmp_path / "m" / "1", "predict")
    req = serving.grpc_request([[1, 2, 3]], "wifi", name)
    assert tf.make_ndarray(req["inputs"][name]).shape == (1, 3)
    assert req["model_spec"] == {"name": "wifi", "signature_name": "serving_default"}
