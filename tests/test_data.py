"""dlcourse.data: registry, verification, mirror, loaders, bad cases and stand-ins.

Everything runs offline: registry files come from the shared mirror (``DLCOURSE_MIRROR``
or ``../shared/data``) into a per-test cache folder, and network failures are simulated
with an unreachable address or a failing downloader.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from dlcourse import data

REPO = Path(__file__).resolve().parent.parent


def _find_mirror() -> Path | None:
    env = os.environ.get("DLCOURSE_MIRROR")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared" / "data",
                                                      Path("/work/shared/data")]:
        if (candidate / "titanic-train.csv").is_file():
            return candidate.resolve()
    return None


MIRROR = _find_mirror()
needs_mirror = pytest.mark.skipif(MIRROR is None, reason="no offline data mirror found")
UNREACHABLE = "http://127.0.0.1:9/"  # discard port: the connection is refused at once


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder; no mirror and no stand-in mode unless a test sets them."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DLCOURSE_DATA", str(folder))
    monkeypatch.delenv("DLCOURSE_MIRROR", raising=False)
    monkeypatch.setenv("DLCOURSE_STANDIN", "0")
    return folder


@pytest.fixture
def mirrored(cache, monkeypatch) -> Path:
    if MIRROR is None:
        pytest.skip("no offline data mirror found")
    monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    return cache


def _offline(monkeypatch, name: str) -> None:
    """Point one registry entry at an address that refuses connections."""
    entry = data.REGISTRY[name]
    fake = data.Entry(entry.name, UNREACHABLE + entry.name, entry.sha256, entry.licence,
                      entry.description)
    monkeypatch.setitem(data.REGISTRY, name, fake)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


# --------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------


@needs_mirror
def test_registry_matches_the_mirror_readme():
    """Same names, URLs and sha256 as the mirror's README table, and every file listed."""
    table = {}
    for line in (MIRROR / "README.md").read_text().splitlines():
        m = re.match(r"\| `([^`]+)` \| \d+ \| `([0-9a-f]{64})` \| (\S+) \| (\S+) \|", line)
        if m:
            table[m.group(1)] = (m.group(2), m.group(3), m.group(4))
    assert len(table) == 20
    assert set(data.REGISTRY) == set(table)
    for name, (sha, url, licence) in table.items():
        entry = data.REGISTRY[name]
        assert (entry.sha256, entry.url, entry.licence) == (sha, url, licence), name
        assert entry.description


def test_cache_dir_defaults_to_repo_data(monkeypatch, tmp_path):
    monkeypatch.delenv("DLCOURSE_DATA", raising=False)
    assert data.cache_dir() == REPO / "data"
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path / "elsewhere"))
    assert data.cache_dir() == tmp_path / "elsewhere"


def test_data_folder_is_git_ignored():
    ignore = (REPO / ".gitignore").read_text().splitlines()
    assert "data/*" in ignore and "!data/README.md" in ignore


# --------------------------------------------------------------------------------------
# Fetch, mirror, status
# --------------------------------------------------------------------------------------


def test_fetch_from_mirror_copies_and_verifies(mirrored):
    path = data.fetch("titanic-train.csv")
    assert path == mirrored / "titanic-train.csv"
    assert data._sha256(path) == data.REGISTRY["titanic-train.csv"].sha256
    # a second fetch is a cache hit: it works with the mirror gone
    os.environ.pop("DLCOURSE_MIRROR")
    assert data.fetch("titanic-train.csv") == path


def test_fetch_nested_name(mirrored):
    path = data.fetch("images/squirrel/squirrel.jpeg")
    assert path == mirrored / "images" / "squirrel" / "squirrel.jpeg"
    assert _files(mirrored) == ["images/squirrel/squirrel.jpeg"]
    assert data.squirrel_image_path() == path
    assert [p.name for p in data.squirrel_folder().iterdir()] == ["squirrel"]


def test_status_reports_missing_verified_and_corrupted(mirrored):
    rows = data.status()
    assert [r["name"] for r in rows] == list(data.REGISTRY)
    assert all(set(r) == {"name", "cached", "verified", "path"} for r in rows)
    assert not any(r["cached"] or r["verified"] for r in rows)
    data.fetch("iris.csv")
    data.fetch("wines.csv").write_text("tampered\n")
    by_name = {r["name"]: r for r in data.status()}
    assert by_name["iris.csv"]["cached"] and by_name["iris.csv"]["verified"]
    assert by_name["iris.csv"]["path"] == mirrored / "iris.csv"
    assert by_name["wines.csv"]["cached"] and not by_name["wines.csv"]["verified"]
    assert not by_name["titanic-train.csv"]["cached"]


def test_cli_status_and_fetch_all(mirrored, capsys):
    assert data.main(["status"]) == 1
    assert "missing" in capsys.readouterr().out
    assert data.main(["fetch-all"]) == 0
    assert all(r["verified"] for r in data.status())
    assert data.main(["status"]) == 0
    out = capsys.readouterr().out
    assert "all 20 files verified" in out and "missing" not in out


# --------------------------------------------------------------------------------------
# Bad cases
# --------------------------------------------------------------------------------------


def test_unknown_name_lists_valid_names(cache):
    with pytest.raises(data.UnknownDatasetError) as err:
        data.fetch("titanic.csv")
    message = str(err.value)
    assert "'titanic.csv'" in message
    for name in data.REGISTRY:
        assert name in message
    assert isinstance(err.value, KeyError)


def test_checksum_mismatch_from_mirror(cache, tmp_path, monkeypatch):
    bad_mirror = tmp_path / "bad_mirror"
    bad_mirror.mkdir()
    (bad_mirror / "iris.csv").write_text("sepal_length\n1.0\n")
    monkeypatch.setenv("DLCOURSE_MIRROR", str(bad_mirror))
    with pytest.raises(data.ChecksumError) as err:
        data.fetch("iris.csv")
    message = str(err.value)
    assert "iris.csv" in message and "make data" in message
    assert f"delete {bad_mirror / 'iris.csv'}" in message
    assert _files(cache) == []  # neither the bad file nor a temporary is left behind


def test_checksum_mismatch_from_download(cache, monkeypatch):
    import pooch

    def wrong_content(url, output_file, pooch_obj):
        Path(output_file).write_text("sepal_length,species\n1.0,setosa\n")

    monkeypatch.setattr(pooch, "HTTPDownloader", lambda **kwargs: wrong_content)
    with pytest.raises(data.ChecksumError) as err:
        data.fetch("iris.csv")
    message = str(err.value)
    assert "iris.csv" in message and "re-run `make data`" in message
    assert data.REGISTRY["iris.csv"].sha256 in message
    assert _files(cache) == []


def test_corrupted_cache_file_is_replaced(mirrored):
    target = mirrored / "iris.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("not iris\n")
    path = data.fetch("iris.csv")
    assert data._sha256(path) == data.REGISTRY["iris.csv"].sha256


def test_corrupted_cache_file_offline_is_removed(cache, monkeypatch):
    _offline(monkeypatch, "iris.csv")
    cache.mkdir(parents=True)
    (cache / "iris.csv").write_text("not iris\n")
    with pytest.raises(data.DataUnavailableError):
        data.fetch("iris.csv")
    assert _files(cache) == []
    assert not data.status()[list(data.REGISTRY).index("iris.csv")]["cached"]


def test_no_network_and_no_mirror(cache, monkeypatch):
    _offline(monkeypatch, "titanic-train.csv")
    with pytest.raises(data.DataUnavailableError) as err:
        data.load_titanic()
    message = str(err.value)
    assert "titanic-train.csv" in message
    for advice in ("connect to the internet once", "make data", "DLCOURSE_MIRROR",
                   "DLCOURSE_STANDIN"):
        assert advice in message
    assert isinstance(err.value, ConnectionError)
    assert _files(cache) == []


def test_mirror_without_the_file(cache, tmp_path, monkeypatch):
    empty = tmp_path / "empty_mirror"
    empty.mkdir()
    monkeypatch.setenv("DLCOURSE_MIRROR", str(empty))
    with pytest.raises(data.DataUnavailableError, match="has no 'iris.csv'"):
        data.fetch("iris.csv")


def test_mirror_that_is_not_a_folder(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataError, match="is not a folder"):
        data.fetch("iris.csv")


@pytest.mark.parametrize("interruption", [ConnectionResetError, KeyboardInterrupt])
def test_interrupted_download_leaves_no_partial_file(cache, monkeypatch, interruption):
    import requests

    def half_then_fail(url, output_file, pooch_obj):
        Path(output_file).write_bytes(b"PassengerId,Survived\n1,0\n")  # a partial file
        if interruption is KeyboardInterrupt:
            raise KeyboardInterrupt
        raise requests.exceptions.ConnectionError("connection reset by peer")

    monkeypatch.setattr(data, "_downloader", lambda entry, progressbar=False: half_then_fail)
    expected = KeyboardInterrupt if interruption is KeyboardInterrupt else data.DataUnavailableError
    with pytest.raises(expected):
        data.fetch("titanic-train.csv")
    assert _files(cache) == []


def test_download_uses_the_registry_url(cache, monkeypatch):
    """Without a mirror, the file comes from the entry's URL through pooch's HTTP path."""
    seen = {}
    source = MIRROR / "housing-data.csv" if MIRROR else None
    if source is None:
        pytest.skip("no offline data mirror found")

    def fake_http(url, output_file, pooch_obj):
        seen["url"] = url
        shutil.copyfile(source, output_file)

    import pooch

    monkeypatch.setattr(pooch, "HTTPDownloader", lambda **kwargs: fake_http)
    path = data.fetch("housing-data.csv")
    assert seen["url"] == data.REGISTRY["housing-data.csv"].url
    assert path.read_bytes() == source.read_bytes()


# --------------------------------------------------------------------------------------
# Loaders against the mirror (numbers from the syllabus / the files)
# --------------------------------------------------------------------------------------


def test_load_titanic(mirrored):
    df = data.load_titanic()
    assert df.shape == (891, 12)
    assert list(df.columns) == ["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age",
                                "SibSp", "Parch", "Ticket", "Fare", "Cabin", "Embarked"]
    assert df["Age"].notna().sum() == 714 and df["Cabin"].notna().sum() == 204
    assert df["Survived"].value_counts().to_dict() == {0: 549, 1: 342}
    assert df.loc[0, "Name"] == "Braund, Mr. Owen Harris"


def test_load_weight_height(mirrored):
    df = data.load_weight_height()
    assert df.shape == (10000, 3) and list(df.columns) == ["Gender", "Height", "Weight"]
    assert df["Gender"].value_counts().to_dict() == {"Male": 5000, "Female": 5000}
    assert round(df["Height"].mean(), 2) == 66.37 and round(df["Weight"].mean(), 2) == 161.44


def test_load_small_tables(mirrored):
    housing = data.load_housing()
    assert housing.shape == (47, 4) and list(housing.columns) == ["sqft", "bdrms", "age", "price"]
    assert housing.iloc[0].tolist() == [2104, 3, 70, 399900]

    wines = data.load_wines()
    assert wines.shape == (178, 14) and wines.columns[0] == "Class"
    assert sorted(wines["Class"].unique()) == [1, 2, 3] and wines.loc[0, "Proline"] == 1065

    notes = data.load_banknotes()
    assert notes.shape == (1372, 5) and notes.columns[-1] == "class"
    assert notes["class"].value_counts().to_dict() == {0: 762, 1: 610}

    iris = data.load_iris()
    assert iris.shape == (150, 5) and iris["species"].nunique() == 3

    diabetes = data.load_diabetes()
    assert diabetes.shape == (768, 9) and diabetes.columns[-1] == "Outcome"
    assert round(diabetes["Outcome"].mean(), 3) == 0.349

    hr = data.load_hr()
    assert hr.shape == (14999, 10) and list(hr.columns[-2:]) == ["sales", "salary"]
    assert hr.loc[0, "salary"] == "low"  # no stray carriage return from the CRLF file

    visits = data.load_user_visits()
    assert visits.shape == (100, 2) and list(visits.columns) == ["Time (min)", "Buy"]
    assert visits["Buy"].sum() == 50

    wifi = data.load_wifi_location()
    assert wifi.shape == (2000, 8)
    assert wifi["location"].value_counts().to_dict() == {0: 500, 1: 500, 2: 500, 3: 500}


def test_load_airline_passengers_keeps_month_as_text(mirrored):
    df = data.load_airline_passengers()
    assert df.shape == (144, 2) and list(df.columns) == ["Month", "Thousand Passengers"]
    assert df.loc[0, "Month"] == "1949-01" and df.loc[0, "Thousand Passengers"] == 112
    assert df.loc[143, "Month"] == "1960-12"


def test_load_cansim_retail_drops_title_and_footnotes(mirrored):
    df = data.load_cansim_retail()
    assert list(df.columns) == ["Adjustments", "Unadjusted", "Seasonally adjusted"]
    assert len(df) == 313  # Jan-1991 ... Jan-2017
    assert df.iloc[0].tolist() == ["Jan-1991", 12588862, 15026890]
    assert df.iloc[-1]["Adjustments"] == "Jan-2017"
    assert str(df["Unadjusted"].dtype) == "int64"


def test_load_us_retail_sales_reads_cr_only_lines(mirrored):
    df = data.load_us_retail_sales()
    assert df.shape == (26, 13) and df.columns[0] == "YEAR" and df.columns[-1] == "DEC"
    assert df.loc[0, "YEAR"] == 1992 and df.loc[0, "JAN"] == 164083
    assert df.loc[25, "YEAR"] == 2017 and df.iloc[25, 4:].isna().all()


def test_load_sms_spam(mirrored):
    df = data.load_sms_spam()
    assert list(df.columns) == ["label", "msg"]
    assert df["label"].value_counts().to_dict() == {"ham": 4827, "spam": 747}
    assert df.loc[0, "msg"].startswith("Go until jurong point")
    quoted = df[df["msg"].str.contains('"the cave"', regex=False)]
    assert len(quoted) == 1  # quotes inside a message are kept, not parsed


def test_load_rt_critics(mirrored):
    df = data.load_rt_critics()
    assert df.shape == (14072, 8)
    assert list(df.columns) == ["critic", "fresh", "imdb", "publication", "quote",
                                "review_date", "rtid", "title"]
    assert set(df["fresh"].unique()) <= {"fresh", "rotten", "none"}


def test_load_ontario_energy(mirrored):
    df = data.load_ontario_energy()
    assert df.shape == (119856, 2) and list(df.columns) == ["Datetime", "Total Ontario"]
    assert df.loc[0, "Datetime"] == "2003-05-01 01:00" and df.loc[0, "Total Ontario"] == 13702


def test_load_iss_image(mirrored):
    img = data.load_iss_image()
    assert img.shape == (435, 640, 3) and img.dtype == np.uint8
    assert img.ravel().shape == (835200,)


def test_load_sms_wav(mirrored):
    rate, samples = data.load_sms_wav()
    assert rate == 44100 and samples.shape == (110250,) and samples.dtype == np.int16


def test_load_names(mirrored):
    names = data.load_names()
    assert len(names) == 7939 and names[:2] == ["Aamir", "Aaron"]
    assert len(set("".join(names).lower()) | {"\n"}) == 28


# --------------------------------------------------------------------------------------
# Hub loaders: real path goes to keras, stand-in path never does
# --------------------------------------------------------------------------------------

_KERAS_SETS = ("mnist", "fashion_mnist", "cifar10", "imdb", "reuters")


class _FakeKeras:
    """Stands for the ``keras`` module: records calls, returns or raises on demand."""

    def __init__(self, result=None, error: Exception | None = None):
        self.calls = []
        self.datasets = types.SimpleNamespace()
        for name in _KERAS_SETS:
            setattr(self.datasets, name, types.SimpleNamespace(
                load_data=self._recorder(name, "load_data", result, error),
                get_word_index=self._recorder(name, "get_word_index", {"the": 1}, error)))

    def _recorder(self, name, func, result, error):
        def call(**kwargs):
            self.calls.append((name, func, kwargs))
            if error is not None:
                raise error
            return result
        return call


@pytest.fixture
def no_keras(monkeypatch) -> _FakeKeras:
    """A keras whose datasets all fail loudly: stand-in mode must not touch them."""
    fake = _FakeKeras(error=AssertionError("keras.datasets must not be used in stand-in mode"))
    monkeypatch.setitem(sys.modules, "keras", fake)
    return fake


@pytest.fixture
def standin(mirrored, monkeypatch, no_keras):
    monkeypatch.setenv("DLCOURSE_STANDIN", "1")
    return mirrored


def _notice_printed(capsys, what: str) -> None:
    out = capsys.readouterr().out
    assert f"dlcourse: {what} stand-in" in out and "DLCOURSE_STANDIN=0" in out, out


def _nearest_centroid_accuracy(x_train, y_train, x_test, y_test) -> float:
    x_train = x_train.reshape(len(x_train), -1).astype(np.float32)
    x_test = x_test.reshape(len(x_test), -1).astype(np.float32)
    classes = np.unique(y_train)
    centroids = np.stack([x_train[y_train == k].mean(axis=0) for k in classes])
    # squared distances without building an (n_test, n_classes, n_features) array
    dist = (centroids ** 2).sum(axis=1)[None, :] - 2 * x_test @ centroids.T
    return float((classes[dist.argmin(axis=1)] == y_test).mean())


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10"])
def test_real_image_loaders_call_keras(cache, monkeypatch, name):
    fake = _FakeKeras(result="keras result")
    monkeypatch.setitem(sys.modules, "keras", fake)
    assert getattr(data, name)() == "keras result"
    assert fake.calls == [(name, "load_data", {})]


def test_real_text_loaders_pass_every_argument(cache, monkeypatch):
    fake = _FakeKeras(result="keras result")
    monkeypatch.setitem(sys.modules, "keras", fake)
    args = dict(num_words=100, skip_top=5, maxlen=50, seed=1, start_char=1, oov_char=2,
                index_from=3)
    assert data.imdb(**args) == "keras result"
    assert data.reuters(**args, test_split=0.3) == "keras result"
    assert data.imdb_word_index() == {"the": 1} == data.reuters_word_index()
    assert fake.calls[0] == ("imdb", "load_data", args)
    assert fake.calls[1] == ("reuters", "load_data", {**args, "test_split": 0.3})


def test_real_loader_offline_explains_standin(cache, monkeypatch):
    fake = _FakeKeras(error=Exception("URL fetch failure on https://storage.googleapis.com"))
    monkeypatch.setitem(sys.modules, "keras", fake)
    with pytest.raises(data.DataUnavailableError) as err:
        data.mnist()
    assert "MNIST" in str(err.value) and "DLCOURSE_STANDIN=1" in str(err.value)


def test_mnist_standin(standin, no_keras, capsys):
    (x_train, y_train), (x_test, y_test) = data.mnist()
    _notice_printed(capsys, "MNIST")
    assert x_train.shape == (6000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert x_train.dtype == x_test.dtype == np.uint8
    assert y_train.shape == (6000,) and y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(10))
    assert x_train.max() > 200 and (x_train[:, :2, :] == 0).mean() > 0.9  # dark border
    assert _nearest_centroid_accuracy(x_train, y_train, x_test, y_test) > 0.6
    x_train[:] = 0  # callers get copies: the next call is unaffected
    assert data.mnist()[0][0].any()
    assert no_keras.calls == []


def test_fashion_mnist_standin(standin, no_keras, capsys):
    (x_train, y_train), (x_test, y_test) = data.fashion_mnist()
    _notice_printed(capsys, "Fashion-MNIST")
    assert x_train.shape == (6000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(range(10))
    assert _nearest_centroid_accuracy(x_train, y_train, x_test, y_test) > 0.6
    assert no_keras.calls == []


def test_cifar10_standin(standin, no_keras, capsys):
    (x_train, y_train), (x_test, y_test) = data.cifar10()
    _notice_printed(capsys, "CIFAR-10")
    assert x_train.shape == (5000, 32, 32, 3) and x_test.shape == (1000, 32, 32, 3)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert y_train.shape == (5000, 1) and y_test.shape == (1000, 1)
    assert set(np.unique(y_train)) == set(range(10))
    # learnable: the digit is the pixels far from the crop's typical colour
    def strokes(x):
        x = x.astype(np.float32)
        return np.abs(x - np.median(x, axis=(1, 2), keepdims=True)).sum(axis=-1)
    acc = _nearest_centroid_accuracy(strokes(x_train), y_train[:, 0], strokes(x_test), y_test[:, 0])
    assert acc > 0.4
    assert no_keras.calls == []


def test_imdb_standin_follows_keras_conventions(standin, no_keras, capsys):
    (x_train, y_train), (x_test, y_test) = data.imdb()
    _notice_printed(capsys, "IMDB")
    assert x_train.dtype == object and x_train.ndim == 1
    assert len(x_train) + len(x_test) == 14049 and abs(len(x_train) - len(x_test)) <= 1
    assert y_train.dtype == np.int64 and set(np.unique(y_train)) == {0, 1}
    assert all(seq[0] == 1 and min(seq[1:]) >= 3 for seq in x_train[:200])

    # decode with the word index exactly like the syllabus does ({v+3: k})
    index = data.imdb_word_index()
    assert index["the"] == 1 and sorted(index.values()) == list(range(1, len(index) + 1))
    words = {v + 3: k for k, v in index.items()}
    (raw_x, raw_y), _ = data.imdb(start_char=None, num_words=len(index) + 4)
    decoded = [" ".join(words[i] for i in seq) for seq in raw_x[:50]]
    quotes = {" ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", q.lower()))
              for q in data.load_rt_critics()["quote"].dropna()}
    assert all(text in quotes for text in decoded)
    assert (raw_y == y_train).all()  # same seed, same order
    assert [s[1:] for s in x_train[:50]] == list(raw_x[:50])

    (xv, _), _ = data.imdb(num_words=500, maxlen=20, skip_top=2)
    assert all(len(s) < 20 for s in xv)
    flat = np.concatenate([np.asarray(s) for s in xv])
    assert flat.max() < 500 and (flat == 2).any()
    (xs, ys), _ = data.imdb(seed=7)
    assert sorted(map(tuple, xs)) == sorted(map(tuple, x_train)) and not (ys == y_train).all()
    assert no_keras.calls == []


def test_reuters_standin(standin, no_keras, capsys):
    (x_train, y_train), (x_test, y_test) = data.reuters(num_words=2000)
    _notice_printed(capsys, "Reuters")
    assert (len(x_train), len(x_test)) == (8982, 2246)  # as the real Reuters split
    assert x_train.dtype == object and y_train.dtype == np.int64
    assert set(np.unique(y_train)) == set(range(46))
    assert np.bincount(y_train).max() > 10 * np.bincount(y_train).min()  # unbalanced
    assert all(s[0] == 1 and max(s) < 2000 for s in x_train[:500])

    def bag(xs):
        out = np.zeros((len(xs), 2000), dtype=np.float32)
        for i, s in enumerate(xs):
            out[i, s] = 1
        return out
    assert _nearest_centroid_accuracy(bag(x_train), y_train, bag(x_test), y_test) > 0.5
    index = data.reuters_word_index()
    assert len(index) > 5000 and index["the"] == 1
    (short, _), _ = data.reuters(maxlen=50, test_split=0.5)
    assert all(len(s) < 50 for s in short)
    assert no_keras.calls == []


def test_glove_standin(standin, capsys):
    path = data.glove_path()
    _notice_printed(capsys, "GloVe")
    first = path.read_text(encoding="utf-8").splitlines()[0].split(" ")
    assert first[0] == "the" and len(first) == 51
    vectors = data.load_glove()
    assert vectors.vector_size == 50 and len(vectors.index_to_key) == 76
    with pytest.raises(data.DataError, match="only has 50-d"):
        data.glove_path(100)
    with pytest.raises(ValueError, match="dimensions"):
        data.glove_path(42)


def test_glove_real_checks_shape(cache, monkeypatch):
    folder = cache / "glove"
    folder.mkdir(parents=True)
    row = "word " + " ".join(["0.5"] * 50) + "\n"
    (folder / "glove.6B.50d.txt").write_text(row * 3)
    with pytest.raises(data.ChecksumError, match="3 lines"):
        data.glove_path(50)
    assert not (folder / "glove.6B.50d.txt").exists()
    (folder / "glove.6B.50d.txt").write_text(row * 3)
    monkeypatch.setattr(data, "_GLOVE_WORDS", 3)
    assert data.glove_path(50) == folder / "glove.6B.50d.txt"
    assert data.load_glove(50)["word"].shape == (50,)


def test_glove_real_offline(cache, monkeypatch):
    monkeypatch.setattr(data, "GLOVE_URL", UNREACHABLE + "glove.6B.zip")
    with pytest.raises(data.DataUnavailableError, match="DLCOURSE_STANDIN=1"):
        data.glove_path(50)


def test_imagenet_weights(cache, monkeypatch, capsys):
    assert data.imagenet_weights() == "imagenet"
    monkeypatch.setenv("DLCOURSE_STANDIN", "1")
    assert data.imagenet_weights() is None
    _notice_printed(capsys, "ImageNet weights")


@pytest.mark.parametrize("name, classes, size, counts", [
    ("faces", ["0_female", "1_male"], (64, 64), (300, 100)),
    ("sports", ["Beach volleyball", "Cross-country skiing", "Formula racing"], (128, 128),
     (60, 20)),
])
def test_image_folder_standin(standin, capsys, name, classes, size, counts):
    from PIL import Image

    train = data.image_folder(name)
    _notice_printed(capsys, f"{name} image folder")
    root = standin / "standin" / name
    assert train == root / "train" and data.image_folder(name, "test") == root / "test"
    for split, n in zip(("train", "test"), counts, strict=True):
        assert sorted(p.name for p in (root / split).iterdir()) == classes
        for cls in classes:
            files = sorted((root / split / cls).glob("*.jpg"))
            assert len(files) == n
            with Image.open(files[0]) as img:
                assert img.size == size and img.mode == "RGB"
    before = (root / "train" / classes[0]).stat().st_mtime_ns
    assert data.image_folder(name) == train  # cached: not rebuilt
    assert (root / "train" / classes[0]).stat().st_mtime_ns == before
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]  # no temp dirs
    with pytest.raises(ValueError, match="split"):
        data.image_folder(name, "validation")


def test_image_folder_standin_classes_differ(standin):
    """The two face classes are separable by their mean image (a learnable signal)."""
    from PIL import Image

    def load(split, cls):
        folder = data.image_folder("faces", split) / cls
        return np.stack([np.asarray(Image.open(p), dtype=np.float32)
                         for p in sorted(folder.glob("*.jpg"))])
    x_train = np.concatenate([load("train", "0_female"), load("train", "1_male")])
    y_train = np.repeat([0, 1], 300)
    x_test = np.concatenate([load("test", "0_female"), load("test", "1_male")])
    y_test = np.repeat([0, 1], 100)
    assert _nearest_centroid_accuracy(x_train, y_train, x_test, y_test) > 0.65


def test_image_folder_real_missing(cache):
    with pytest.raises(data.DataUnavailableError) as err:
        data.image_folder("faces")
    message = str(err.value)
    assert data.FACES_URL in message and "DLCOURSE_STANDIN=1" in message
    assert "11,663" in message
    with pytest.raises(data.DataUnavailableError, match="sports.csv"):
        data.image_folder("sports")
    with pytest.raises(data.UnknownDatasetError, match="faces, sports"):
        data.image_folder("cats")


def test_image_folder_real_present(cache):
    root = cache / "sports"
    for split in ("train", "test"):
        for cls in ("Beach volleyball", "Cross-country skiing", "Formula racing"):
            (root / split / cls).mkdir(parents=True)
            (root / split / cls / "a.jpg").write_bytes(b"")
    assert data.image_folder("sports") == root / "train"
    assert data.image_folder("sports", "test") == root / "test"
    faces = cache / "male_female"
    for split in ("train", "test"):
        for cls in ("0_female", "1_male"):
            (faces / split / cls).mkdir(parents=True)
            (faces / split / cls / "a.jpg").write_bytes(b"")
    with pytest.raises(data.DataUnavailableError, match="instead of 11663"):
        data.image_folder("faces")


def test_unwritable_cache_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DLCOURSE_DATA", str(blocker / "cache"))
    if MIRROR is None:
        pytest.skip("no offline data mirror found")
    monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    with pytest.raises(data.DataError, match="DLCOURSE_DATA") as err:
        data.fetch("iris.csv")
    assert not isinstance(err.value, data.DataUnavailableError)  # not blamed on the network


def test_cli_with_a_bad_mirror(cache, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DLCOURSE_MIRROR", str(tmp_path / "nowhere"))
    assert data.main(["fetch-all"]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_real_loader_bugs_are_not_blamed_on_the_network(cache, monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", _FakeKeras(error=TypeError("bad argument")))
    with pytest.raises(TypeError, match="bad argument"):
        data.cifar10()


def test_glove_download_and_extract(cache, monkeypatch, capsys):
    """The real GloVe path: download the zip (faked), extract one member, check its shape."""
    import zipfile

    import pooch

    row = "word " + " ".join(["0.25"] * 50) + "\n"

    def fake_http(url, output_file, pooch_obj):
        assert url == data.GLOVE_URL
        with zipfile.ZipFile(output_file, "w") as zf:
            zf.writestr("glove.6B.50d.txt", row + row.replace("word", "other")
                        + row.replace("word", "third"))
            zf.writestr("glove.6B.100d.txt", "unused\n")

    monkeypatch.setattr(pooch, "HTTPDownloader", lambda **kwargs: fake_http)
    monkeypatch.setattr(data, "_GLOVE_WORDS", 3)
    path = data.glove_path(50)
    assert path == cache / "glove" / "glove.6B.50d.txt"
    assert "no checksum" in capsys.readouterr().out
    assert not (cache / "glove" / "glove.6B.100d.txt").exists()  # only the member asked for
    vectors = data.load_glove(50)
    assert vectors["other"].shape == (50,) and float(vectors["word"][0]) == 0.25


def test_cli_fetch_all_hub(mirrored, monkeypatch, capsys):
    fake = _FakeKeras(result="keras result")
    monkeypatch.setitem(sys.modules, "keras", fake)
    glove_calls = []
    monkeypatch.setattr(data, "glove_path", lambda dim=50: glove_calls.append(dim))
    assert data.main(["fetch-all", "--hub"]) == 0
    assert [c[:2] for c in fake.calls] == [
        ("mnist", "load_data"), ("fashion_mnist", "load_data"), ("cifar10", "load_data"),
        ("imdb", "load_data"), ("imdb", "get_word_index"), ("reuters", "load_data"),
        ("reuters", "get_word_index")]
    assert glove_calls == [50]
    assert "hub data downloaded" in capsys.readouterr().out
    monkeypatch.setenv("DLCOURSE_STANDIN", "1")
    assert data.main(["fetch-all", "--hub"]) == 1
