"""The course's datasets: a verified registry, loaders, and offline stand-ins.

Every notebook gets its data from here, never from a hard-coded path::

    from dlcourse import data
    df = data.load_titanic()              # pandas DataFrame, the file's own columns
    path = data.fetch("titanic-train.csv") # pathlib.Path of the verified file

**Registry files** (CSV, image, audio) are downloaded once with :mod:`pooch` into the
cache folder ``<repo>/data/`` (``DLCOURSE_DATA`` moves it) and checked against a
sha256 every time they are fetched. With ``DLCOURSE_MIRROR=/folder`` the same files are
copied from a local folder instead of the internet, through the same verification.

**Hub data** (``keras.datasets``, GloVe, ImageNet weights, the photo sets of chapters
10 and 11) comes from the real source normally. In stand-in mode
(``DLCOURSE_STANDIN=1``) every hub loader returns a small offline stand-in with the
same format, shapes per sample and dtypes, and prints a notice saying so.

Command line (``make data`` runs the first)::

    python -m dlcourse.data fetch-all     # download and verify every registry file
    python -m dlcourse.data status        # cached / verified / missing, per file
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from dlcourse.config import DATA_ENV, MIRROR_ENV, STANDIN_ENV, standin_mode

__all__ = [
    "ChecksumError",
    "DataError",
    "DataUnavailableError",
    "REGISTRY",
    "UnknownDatasetError",
    "cache_dir",
    "cifar10",
    "fashion_mnist",
    "fetch",
    "glove_path",
    "image_folder",
    "imagenet_weights",
    "imdb",
    "imdb_word_index",
    "load_airline_passengers",
    "load_banknotes",
    "load_cansim_retail",
    "load_diabetes",
    "load_glove",
    "load_housing",
    "load_hr",
    "load_iris",
    "load_iss_image",
    "load_names",
    "load_ontario_energy",
    "load_rt_critics",
    "load_sms_spam",
    "load_sms_wav",
    "load_titanic",
    "load_us_retail_sales",
    "load_user_visits",
    "load_weight_height",
    "load_wifi_location",
    "load_wines",
    "mirror_dir",
    "mnist",
    "reuters",
    "reuters_word_index",
    "squirrel_folder",
    "squirrel_image_path",
    "status",
]

# --------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------

_ZTDL_VIDEO = "https://raw.githubusercontent.com/Dataweekends/zero_to_deep_learning_video/master/data/"
_BOOTCAMP = "https://raw.githubusercontent.com/zerotodeeplearning/ztdl-5-day-bootcamp/master/data/"
_MASTERCLASSES = "https://raw.githubusercontent.com/zerotodeeplearning/ztdl-masterclasses/master/data/"


@dataclass(frozen=True)
class Entry:
    """One registry file: where it comes from and how to recognise it."""

    name: str
    url: str
    sha256: str
    licence: str
    description: str


def _entries() -> dict[str, Entry]:
    rows = [
        ("HR_comma_sep.csv", _ZTDL_VIDEO + "HR_comma_sep.csv",
         "2510e274a90547f34c7b0db5a4ab70282c2710eb54252f14921bf980b81a928c", "MIT",
         "HR analytics: 14,999 employees, satisfaction, evaluation, hours, and whether they left"),
        ("banknotes.csv", _ZTDL_VIDEO + "banknotes.csv",
         "efd403db8c91b250e16ed31ef4224f9b388703786539f7b461f91f55b66b6b0e", "MIT",
         "UCI banknote authentication: 4 wavelet features and a genuine/forged class, 1372 rows"),
        ("cansim-0800020-eng-6674700030567901031.csv",
         _ZTDL_VIDEO + "cansim-0800020-eng-6674700030567901031.csv",
         "a8dea18b3d67bb6173783c8a7070dc2a44f3d000ecd75af4d3c7f5ed9f6d4859", "MIT",
         "Statistics Canada table 080-0020: monthly Canadian retail sales, Jan 1991 - Jan 2017"),
        ("diabetes.csv", _ZTDL_VIDEO + "diabetes.csv",
         "698c203a14aa31941d2251175330c9199f3ccdb31597abbba2a3e35416257a72", "MIT",
         "Pima Indians diabetes: 768 patients, 8 measurements and the outcome"),
        ("housing-data.csv", _ZTDL_VIDEO + "housing-data.csv",
         "f49b19e9ad12d8a8a916c41434c2ab5e672dc5ef09a78d44699c6665447efa22", "MIT",
         "47 house sales: floor area, bedrooms, age and price"),
        ("images/squirrel/squirrel.jpeg",
         "https://raw.githubusercontent.com/zerotodeeplearning/ztdl-5-day-bootcamp/master/"
         "data/generator/class%200/squirrel.jpeg",
         "cd7d3505ab4838db0bbb94adeadd8f3221cac03a75b2661da640c6b5b5ff8fe6", "MIT",
         "one squirrel photo for the data-augmentation demos"),
        ("international-airline-passengers.csv",
         _ZTDL_VIDEO + "international-airline-passengers.csv",
         "845fc80c0a9ac37b8daa5c307ee6a5752b9d176aceb2d718c69b28820baa5b0f", "MIT",
         "monthly international airline passengers (thousands), 1949-1960"),
        ("iris.csv", _ZTDL_VIDEO + "iris.csv",
         "9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355", "MIT",
         "Fisher's iris flowers: 4 measurements and the species, 150 rows"),
        ("iss.jpg", _ZTDL_VIDEO + "iss.jpg",
         "e086da4b0fb49efa99e404663f4a7ec136eb07cc5c206de037b79ead000149cb", "MIT",
         "photo of the International Space Station, 640x435 RGB"),
        ("names.txt", _BOOTCAMP + "names.txt",
         "aefa0ad6e17c6f0eaa3975af51597b478e42ed73a0e572234dcc5e1be123759c", "MIT",
         "7,939 first names, one per line, for the character language model"),
        ("rt_critics.csv", _BOOTCAMP + "rt_critics.csv",
         "e001911008673c60dc5a5a137789e3b2fa584f397934b2d01d20d11001278191", "MIT",
         "Rotten Tomatoes critic quotes labelled fresh/rotten"),
        ("sms.tsv", _MASTERCLASSES + "sms.tsv",
         "b56ad3b4c69213ba1aa12207fc320fc0194ee17a36edd3eab78dfa8af6ce8a07", "Apache-2.0",
         "UCI SMS Spam Collection: 5,574 messages (4,827 ham, 747 spam), tab separated"),
        ("sms.wav", _ZTDL_VIDEO + "sms.wav",
         "6687256ee213050825a9e40e1721ae01d338c7e6d2d84a2c612841dfc42c78e0", "MIT",
         "2.5 s of 16-bit mono sound at 44.1 kHz (an SMS ringtone)"),
        ("titanic-train.csv", _ZTDL_VIDEO + "titanic-train.csv",
         "7d118fef8b6ccf7f81111877bc388536f7b1e498a655e3d649d19aaa010e9f6f", "MIT",
         "Titanic passengers (Kaggle training set): 891 rows, 12 columns"),
        ("us_retail_sales.csv", _ZTDL_VIDEO + "us_retail_sales.csv",
         "bca148a06a6b44ff0bda17197bc8fb7b136d9817d71c36845e096580c59be079", "MIT",
         "US monthly retail sales (millions of dollars), one row per year 1992-2017"),
        ("user_visit_duration.csv", _ZTDL_VIDEO + "user_visit_duration.csv",
         "897c8a80b40c9d9ade2f33fb0daeaf6709c3bff9b64cdd5095495e5bdbea8eff", "MIT",
         "100 website visits: time on site (minutes) and whether the user bought"),
        ("weight-height.csv", _ZTDL_VIDEO + "weight-height.csv",
         "4c8bc1d2dc04c763584cb7ad464aa89afe7f5f4073ba46624c5c1d3b86427df6", "MIT",
         "10,000 people: gender, height (inches) and weight (pounds)"),
        ("wifi_location.csv", _MASTERCLASSES + "wifi_location.csv",
         "88e380ec6d12bb420e3c02c7e44f501e514b61f052e081481a7a27308f3951a1", "Apache-2.0",
         "UCI indoor localisation: 7 WiFi signal strengths and one of 4 rooms, 2000 rows"),
        ("wines.csv", _ZTDL_VIDEO + "wines.csv",
         "e93557905d68b526cc0864c3cdb5da621da3aeed0d89b777e41ab15ff7b5239f", "MIT",
         "UCI wine recognition: 13 chemical measurements and one of 3 cultivars, 178 rows"),
        ("Ontario_energy_demand_2003-2016.csv.gz",
         _MASTERCLASSES + "Ontario_energy_demand_2003-2016.csv.gz",
         "b0446e95d1c32d7b714f4cd1ce72efafc3063255ff9b152a34a06b7c2ad969da", "Apache-2.0",
         "hourly Ontario electricity demand (MW), May 2003 - Dec 2016, gzip-compressed CSV"),
    ]
    return {row[0]: Entry(*row) for row in rows}


#: name -> :class:`Entry` for every file the course downloads (see ``data/README.md``).
REGISTRY: dict[str, Entry] = _entries()

# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class DataError(RuntimeError):
    """A course dataset could not be provided; the message says what to do."""


class UnknownDatasetError(DataError, KeyError):
    """A name that is not in the registry."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class ChecksumError(DataError, ValueError):
    """A file's sha256 is not the registered one."""


class DataUnavailableError(DataError, ConnectionError):
    """The file is neither cached nor reachable (no network, no mirror)."""


_OFFLINE_HELP = (
    "To fix it, either connect to the internet once (the file is then cached), "
    "or run `make data` while online, "
    f"or set {MIRROR_ENV}=/path/to/a/folder/with/the/files, "
    f"or, for hub datasets, set {STANDIN_ENV}=1 to use offline stand-ins."
)

# --------------------------------------------------------------------------------------
# Cache and mirror folders
# --------------------------------------------------------------------------------------


def _repo_root() -> Path | None:
    """The project checkout holding this package, or None for an installed copy."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def cache_dir() -> Path:
    """Folder where downloads are cached: ``$DLCOURSE_DATA``, else ``<repo>/data``.

    For a non-editable install (no project checkout around the package) the cache is
    the per-user cache folder that :func:`pooch.os_cache` picks.
    """
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    root = _repo_root()
    if root is not None:
        return root / "data"
    import pooch

    return Path(pooch.os_cache("dlcourse"))


def mirror_dir() -> Path | None:
    """The offline mirror folder from ``DLCOURSE_MIRROR``, or None when unset."""
    env = os.environ.get(MIRROR_ENV, "").strip()
    if not env:
        return None
    path = Path(env).expanduser().resolve()
    if not path.is_dir():
        raise DataError(
            f"{MIRROR_ENV}={env!r} is not a folder. Point it at a folder holding copies of "
            f"the course files (for example ../shared/data), or unset it to download."
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(name: str) -> Entry:
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        valid = "\n  ".join(sorted(REGISTRY))
        raise UnknownDatasetError(
            f"Unknown dataset {name!r}. Valid names are:\n  {valid}"
        ) from None


# --------------------------------------------------------------------------------------
# Fetching (pooch does the download, the temporary file and the hash check)
# --------------------------------------------------------------------------------------


def _copy_from_mirror(url: str, output_file, pooch_obj, *, source: Path) -> None:
    """A pooch downloader that copies ``source`` instead of reading ``url``."""
    if hasattr(output_file, "write"):
        with open(source, "rb") as fh:
            shutil.copyfileobj(fh, output_file)
    else:
        shutil.copyfile(source, output_file)


def _downloader(entry: Entry, *, progressbar: bool = False):
    """The pooch downloader for ``entry``: the mirror copy or an HTTP download."""
    import pooch

    mirror = mirror_dir()
    if mirror is None:
        return pooch.HTTPDownloader(progressbar=progressbar, timeout=60)
    source = mirror / entry.name
    if not source.is_file():
        raise DataUnavailableError(
            f"{MIRROR_ENV} is set to {str(mirror)!r}, but that folder has no {entry.name!r}. "
            f"Copy the file there (upstream: {entry.url}), or unset {MIRROR_ENV} to download it."
        )
    return functools.partial(_copy_from_mirror, source=source)


def _quiet_pooch() -> None:
    import logging

    import pooch

    pooch.get_logger().setLevel(logging.WARNING)


def fetch(name: str, *, progressbar: bool = False) -> Path:
    """Return the local, sha256-verified path of the registry file ``name``.

    The first call downloads the file (or copies it from ``DLCOURSE_MIRROR``) into
    :func:`cache_dir`; later calls only re-check the hash. A cached file whose hash is
    wrong is fetched again. Nothing unverified is ever left under the final name: the
    data goes to a temporary file first and is renamed only once its hash matches.
    """
    import pooch
    import requests

    entry = _entry(name)
    target = cache_dir() / entry.name
    if target.is_file() and _sha256(target) == entry.sha256:
        return target
    downloader = _downloader(entry, progressbar=progressbar)
    mirror = mirror_dir()
    where = f"the mirror {mirror}" if mirror is not None else entry.url
    if target.exists():
        # A damaged or outdated copy: remove it so it can never be mistaken for valid.
        target.unlink(missing_ok=True)
        print(f"dlcourse: the cached {entry.name} did not match its sha256 and was removed; "
              f"fetching it again from {where}", file=sys.stderr)
    _quiet_pooch()
    try:
        path = pooch.retrieve(
            url=entry.url,
            known_hash=f"sha256:{entry.sha256}",
            fname=target.name,
            path=target.parent,
            downloader=downloader,
        )
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        if mirror is not None:
            fix = (f"The copy in the mirror is damaged or a different version: delete "
                   f"{mirror / entry.name} and put the upstream file ({entry.url}) there, "
                   f"or unset {MIRROR_ENV} and run `make data` online.")
        else:
            fix = ("The download was damaged or the file changed upstream: re-run "
                   "`make data`; if it keeps failing, report it.")
        raise ChecksumError(
            f"{entry.name}: the file from {where} does not match the registered sha256 "
            f"{entry.sha256}; it was discarded and nothing was saved in {target.parent}.\n"
            f"{fix}"
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise DataUnavailableError(
            f"Could not get {entry.name} from {where}: {exc.__class__.__name__}: {exc}\n"
            f"{_OFFLINE_HELP}"
        ) from exc
    except OSError as exc:  # a local problem: unwritable cache, full disk, unreadable mirror
        raise DataError(
            f"Could not store {entry.name} in {target.parent}: {exc.__class__.__name__}: "
            f"{exc}\nCheck that the folder is writable and has space, or set {DATA_ENV} to "
            f"another folder."
        ) from exc
    return Path(path)


def status() -> list[dict]:
    """One dict per registry file: ``name``, ``cached``, ``verified`` (sha256), ``path``."""
    root = cache_dir()
    rows = []
    for entry in REGISTRY.values():
        path = root / entry.name
        cached = path.is_file()
        rows.append({
            "name": entry.name,
            "cached": cached,
            "verified": cached and _sha256(path) == entry.sha256,
            "path": path,
        })
    return rows


def fetch_all() -> list[Path]:
    """Fetch and verify every registry file, with a progress bar; return their paths."""
    from tqdm.auto import tqdm

    paths, failures = [], []
    with tqdm(list(REGISTRY), desc="course data", unit="file") as bar:
        for name in bar:
            bar.set_postfix_str(name, refresh=True)
            try:
                paths.append(fetch(name))
            except DataError as exc:
                failures.append(f"{name}: {exc}")
    if failures:
        raise DataError(f"{len(failures)} of {len(REGISTRY)} files failed:\n"
                        + "\n".join(failures))
    return paths


# --------------------------------------------------------------------------------------
# Tabular loaders: the file's own columns, quirks fixed, nothing else
# --------------------------------------------------------------------------------------


def _read_csv(name: str, **kwargs):
    import pandas as pd

    return pd.read_csv(fetch(name), **kwargs)


def load_titanic():
    """Titanic training set: 891 rows, PassengerId ... Embarked."""
    return _read_csv("titanic-train.csv")


def load_weight_height():
    """10,000 rows: Gender, Height (inches), Weight (pounds)."""
    return _read_csv("weight-height.csv")


def load_housing():
    """47 house sales: sqft, bdrms, age, price."""
    return _read_csv("housing-data.csv")


def load_wines():
    """178 wines: Class (1-3) and 13 chemical measurements."""
    return _read_csv("wines.csv")


def load_banknotes():
    """1372 banknotes: variace, skewness, curtosis, entropy, class (column names as in the file)."""
    return _read_csv("banknotes.csv")


def load_iris():
    """150 flowers: sepal_length, sepal_width, petal_length, petal_width, species."""
    return _read_csv("iris.csv")


def load_diabetes():
    """Pima Indians diabetes: 768 rows, Pregnancies ... Outcome."""
    return _read_csv("diabetes.csv")


def load_hr():
    """HR analytics: 14,999 rows, satisfaction_level ... sales, salary."""
    return _read_csv("HR_comma_sep.csv")


def load_user_visits():
    """100 visits: ``Time (min)`` and ``Buy`` (0/1)."""
    return _read_csv("user_visit_duration.csv")


def load_airline_passengers():
    """144 months: ``Month`` (text such as '1949-01', as in the file) and ``Thousand Passengers``."""
    return _read_csv("international-airline-passengers.csv")


def load_cansim_retail():
    """Canadian monthly retail sales, Jan 1991 - Jan 2017 (thousands of dollars).

    The Statistics Canada export has 6 title lines above the header and 9 lines of
    footnotes and source below the data; both are dropped. Columns as in the file's header row:
    ``Adjustments`` (the month, text such as 'Jan-1991'), ``Unadjusted``,
    ``Seasonally adjusted``.
    """
    import pandas as pd

    lines = fetch("cansim-0800020-eng-6674700030567901031.csv").read_text(
        encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Adjustments,"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Footnotes:"))
    body = "\n".join(line for line in lines[start:end] if line.strip())
    return pd.read_csv(io.StringIO(body))


def load_us_retail_sales():
    """US monthly retail sales: ``YEAR`` and ``JAN`` ... ``DEC`` (millions of dollars).

    The file uses old-Mac CR-only line endings; the 2017 row is incomplete (NaN from
    April on), as in the file.
    """
    return _read_csv("us_retail_sales.csv", lineterminator="\r")


def load_sms_spam():
    """SMS Spam Collection: 5,574 rows (4,827 ham, 747 spam), ``label`` ('ham'/'spam') and ``msg``.

    The file is tab separated and messages contain unbalanced double quotes, so quotes
    are read as ordinary characters.
    """
    import csv

    return _read_csv("sms.tsv", sep="\t", quoting=csv.QUOTE_NONE, encoding="utf-8")


def load_rt_critics():
    """Rotten Tomatoes critic quotes: critic, fresh, imdb, publication, quote, review_date, rtid, title."""
    return _read_csv("rt_critics.csv")


def load_wifi_location():
    """2000 WiFi readings: a_1 ... a_7 (dBm) and ``location`` (0-3)."""
    return _read_csv("wifi_location.csv")


def load_ontario_energy():
    """Hourly Ontario electricity demand: ``Datetime`` (text, as in the file) and ``Total Ontario`` (MW)."""
    import pandas as pd

    with gzip.open(fetch("Ontario_energy_demand_2003-2016.csv.gz"), "rb") as fh:
        return pd.read_csv(fh)


# --------------------------------------------------------------------------------------
# Images, sound, text
# --------------------------------------------------------------------------------------


def load_iss_image():
    """The ISS photo as a ``uint8`` array of shape (435, 640, 3)."""
    import numpy as np
    from PIL import Image

    with Image.open(fetch("iss.jpg")) as img:
        return np.asarray(img.convert("RGB"))


def load_sms_wav():
    """``(rate, samples)`` of ``sms.wav``, exactly as :func:`scipy.io.wavfile.read` returns."""
    from scipy.io import wavfile

    return wavfile.read(fetch("sms.wav"))


def load_names() -> list[str]:
    """The 7,939 names of ``names.txt``, as written (not lowercased), blank lines dropped."""
    text = fetch("names.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def squirrel_image_path() -> Path:
    """Path of the squirrel photo used in the augmentation demos."""
    return fetch("images/squirrel/squirrel.jpeg")


def squirrel_folder() -> Path:
    """A folder with one class sub-folder (``squirrel/``) holding the photo.

    Suitable for ``keras.utils.image_dataset_from_directory(squirrel_folder())``.
    """
    return squirrel_image_path().parent.parent


# --------------------------------------------------------------------------------------
# Hub data: the real source normally, an offline stand-in in stand-in mode
# --------------------------------------------------------------------------------------
#
# Stand-ins are generated with a fixed random state (independent of the notebook's
# seed), so every run sees the same data. Arrays are kept in memory after the first
# call; image folders are written once into <cache>/standin/.

_STANDIN_VERSION = "5"


def _notice(what: str, how: str) -> None:
    print(f"dlcourse: {what} stand-in ({how}) — set {STANDIN_ENV}=0 and go online "
          f"for the real data", flush=True)


def _hub_error(what: str, exc: BaseException) -> DataUnavailableError:
    return DataUnavailableError(
        f"Could not load {what}: {exc.__class__.__name__}: {exc}\n"
        f"{what} is downloaded from the internet the first time. Connect once, or set "
        f"{STANDIN_ENV}=1 to use an offline stand-in of the same format."
    )


def _keras_dataset(module: str, what: str, **kwargs):
    import keras

    loader = getattr(keras.datasets, module).load_data
    try:
        return loader(**kwargs)
    except Exception as exc:
        # keras's get_file reports a failed download as a plain Exception ("URL fetch
        # failure ..."); anything more specific (a TypeError, ...) is a real bug: re-raise.
        if type(exc) is Exception or isinstance(exc, OSError):
            raise _hub_error(what, exc) from exc
        raise


def _copy_split(split):
    (x_train, y_train), (x_test, y_test) = split
    return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())


# --- images for the array stand-ins ---------------------------------------------------


def _sklearn_file(*parts: str) -> Path:
    """A data file bundled with scikit-learn, found without importing scikit-learn (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("scikit-learn is not installed; run `make setup`.")
    path = Path(spec.submodule_search_locations[0], "datasets", *parts)
    if not path.is_file():
        raise DataError(f"scikit-learn's bundled file {path} is missing; reinstall it "
                        f"(`make setup`).")
    return path


@functools.cache
def _digit_sprites(size: int = 20):
    """scikit-learn's 1,797 bundled 8x8 digits, upsampled to ``size`` x ``size`` uint8."""
    import numpy as np
    from PIL import Image

    table = np.loadtxt(_sklearn_file("data", "digits.csv.gz"), delimiter=",", dtype=np.float32)
    small = np.clip(table[:, :-1].reshape(-1, 8, 8) * (255.0 / 16.0), 0, 255).astype(np.uint8)
    big = np.stack([
        np.asarray(Image.fromarray(im).resize((size, size), Image.Resampling.BICUBIC))
        for im in small
    ])
    return big, table[:, -1].astype(np.uint8)


@functools.cache
def _sample_photos():
    """scikit-learn's two bundled photos (china.jpg, flower.jpg), (427, 640, 3) uint8."""
    import numpy as np
    from PIL import Image

    photos = []
    for name in ("china.jpg", "flower.jpg"):
        with Image.open(_sklearn_file("images", name)) as img:
            photos.append(np.asarray(img.convert("RGB")))
    return tuple(photos)


def _place_digits(rng, n: int, canvas: int, train: bool):
    """``n`` digit images on a ``canvas``-pixel square: random source, angle, scale, shift.

    Train and test draw from disjoint sets of the bundled digits (4 of every 5 for
    training), so the test split measures generalisation to unseen handwriting.
    """
    import numpy as np
    from PIL import Image

    sprites, labels = _digit_sprites()
    pool = np.flatnonzero((np.arange(len(labels)) % 5 != 0) == train)
    picks = rng.choice(pool, size=n)
    angles = rng.uniform(-12, 12, size=n)
    sizes = rng.integers(17, 23, size=n)
    centre = canvas // 2
    shifts = rng.integers(-2, 3, size=(n, 2))
    out = np.zeros((n, canvas, canvas), dtype=np.uint8)
    for i, (k, angle, s, (dx, dy)) in enumerate(zip(picks, angles, sizes, shifts, strict=True)):
        sprite = Image.fromarray(sprites[k]).rotate(float(angle), Image.Resampling.BILINEAR)
        sprite = sprite.resize((int(s), int(s)), Image.Resampling.BILINEAR)
        top, left = centre - s // 2 + dy, centre - s // 2 + dx
        out[i, top:top + s, left:left + s] = np.asarray(sprite)
    return out, labels[picks]


@functools.cache
def _mnist_standin():
    import numpy as np

    rng = np.random.default_rng(28)
    x_train, y_train = _place_digits(rng, 6000, 28, train=True)
    x_test, y_test = _place_digits(rng, 1000, 28, train=False)
    return (x_train, y_train), (x_test, y_test)


def mnist():
    """MNIST as ``keras.datasets.mnist.load_data()``: uint8 (N, 28, 28) images, uint8 labels.

    Stand-in: 6,000 + 1,000 digits made from scikit-learn's bundled 8x8 digits,
    upsampled to 20x20 and placed in a 28x28 frame with a small random rotation, size
    and shift (MNIST itself has 60,000 + 10,000). Labels 0-9 mean the same digits.
    """
    if standin_mode():
        _notice("MNIST", "6,000 + 1,000 scikit-learn digits upsampled to 28×28")
        return _copy_split(_mnist_standin())
    return _keras_dataset("mnist", "MNIST")


# Fashion-MNIST classes as outlines on a unit square: (polygon, extra strokes).
_GARMENTS = {
    0: [(.3, .15), (.7, .15), (.95, .35), (.83, .47), (.72, .4), (.72, .9), (.28, .9),
        (.28, .4), (.17, .47), (.05, .35)],                                        # T-shirt/top
    1: [(.3, .06), (.7, .06), (.76, .95), (.57, .95), (.5, .35), (.43, .95), (.24, .95)],  # trouser
    2: [(.32, .12), (.68, .12), (.9, .28), (.97, .88), (.82, .88), (.75, .45), (.75, .9),
        (.25, .9), (.25, .45), (.18, .88), (.03, .88), (.1, .28)],                 # pullover
    3: [(.38, .06), (.62, .06), (.64, .35), (.86, .95), (.14, .95), (.36, .35)],     # dress
    4: [(.3, .06), (.7, .06), (.9, .22), (.97, .95), (.82, .95), (.76, .45), (.76, .97),
        (.24, .97), (.24, .45), (.18, .95), (.03, .95), (.1, .22)],                # coat
    5: [(.05, .72), (.95, .72), (.95, .82), (.05, .82)],                            # sandal (sole)
    6: [(.32, .1), (.5, .24), (.68, .1), (.9, .28), (.95, .8), (.82, .8), (.76, .45),
        (.76, .92), (.24, .92), (.24, .45), (.18, .8), (.05, .8), (.1, .28)],       # shirt
    7: [(.04, .55), (.42, .42), (.68, .5), (.96, .64), (.96, .8), (.04, .8)],        # sneaker
    8: [(.14, .36), (.86, .36), (.9, .9), (.1, .9)],                                # bag
    9: [(.22, .08), (.52, .08), (.56, .5), (.95, .64), (.95, .86), (.16, .86)],      # ankle boot
}


def _draw_garment(rng, label: int):
    import numpy as np
    from PIL import Image, ImageDraw

    big = 56
    img = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(img)
    scale = rng.uniform(0.65, 1.0) * big * rng.uniform(0.85, 1.15, size=2)  # size, aspect
    offset = (big - scale) / 2 + rng.uniform(-4, 4, size=2)
    shade = int(rng.integers(90, 250))

    def pt(x, y):
        jx, jy = rng.normal(0, 0.03, size=2)
        return (offset[0] + (x + jx) * scale[0], offset[1] + (y + jy) * scale[1])

    draw.polygon([pt(x, y) for x, y in _GARMENTS[label]], fill=shade)
    dark = max(shade - 80, 20)
    if label == 4:      # coat: zip down the middle
        draw.line([pt(.5, .1), pt(.5, .95)], fill=dark, width=2)
    elif label == 5:    # sandal: straps above the sole
        for x in (.2, .45, .7):
            draw.line([pt(x, .72), pt(x + .12, .45)], fill=shade, width=3)
    elif label == 6:    # shirt: buttons
        for y in (.35, .5, .65, .8):
            x0, y0 = pt(.5, y)
            draw.ellipse([x0 - 1, y0 - 1, x0 + 1, y0 + 1], fill=dark)
    elif label == 8:    # bag: handle
        draw.arc([pt(.3, .1), pt(.7, .6)], 180, 360, fill=shade, width=3)
    img = img.rotate(float(rng.uniform(-15, 15)), Image.Resampling.BILINEAR)
    small = np.asarray(img.resize((28, 28), Image.Resampling.LANCZOS), dtype=np.float32)
    texture = rng.normal(0, 30, size=small.shape) * (small > 0)
    return np.clip(small + texture, 0, 255).astype(np.uint8)


@functools.cache
def _fashion_standin():
    import numpy as np

    rng = np.random.default_rng(10)

    def make(n):
        y = rng.integers(0, 10, size=n).astype(np.uint8)
        return np.stack([_draw_garment(rng, int(k)) for k in y]), y

    train, test = make(6000), make(1000)
    return train, test


def fashion_mnist():
    """Fashion-MNIST as ``keras.datasets``: uint8 (N, 28, 28) images, uint8 labels 0-9.

    Stand-in: 6,000 + 1,000 garment silhouettes drawn with Pillow (T-shirt, trouser,
    pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot: the real class
    order), with random size, aspect, outline, rotation, position, shade and texture.
    """
    if standin_mode():
        _notice("Fashion-MNIST", "6,000 + 1,000 garment silhouettes drawn offline")
        return _copy_split(_fashion_standin())
    return _keras_dataset("fashion_mnist", "Fashion-MNIST")


def _coloured_digits(rng, n: int, train: bool):
    import numpy as np

    photos = np.stack(_sample_photos())  # (2, 427, 640, 3)
    masks, labels = _place_digits(rng, n, 32, train=train)
    which = rng.integers(0, len(photos), size=n)
    tops = rng.integers(0, photos.shape[1] - 32, size=n)
    lefts = rng.integers(0, photos.shape[2] - 32, size=n)
    step = np.arange(32)
    crops = photos[which[:, None, None], (tops[:, None] + step)[:, :, None],
                   (lefts[:, None] + step)[:, None, :]].astype(np.float32)
    background = crops.mean(axis=(1, 2))
    # a colour far from the crop's mean colour, so the digit stands out
    colour = np.clip(255 - background + rng.normal(0, 40, size=(n, 3)), 0, 255)
    strength = rng.uniform(0.75, 1.0, size=(n, 1, 1, 1)).astype(np.float32)
    alpha = (masks.astype(np.float32) / 255.0)[..., None] * strength
    mixed = crops * (1 - alpha) + colour[:, None, None, :].astype(np.float32) * alpha
    return np.clip(mixed, 0, 255).astype(np.uint8), labels.reshape(-1, 1)


@functools.cache
def _cifar_standin():
    import numpy as np

    rng = np.random.default_rng(32)
    return _coloured_digits(rng, 5000, True), _coloured_digits(rng, 1000, False)


def cifar10():
    """CIFAR-10 as ``keras.datasets``: uint8 (N, 32, 32, 3) images, uint8 labels (N, 1).

    Stand-in: 5,000 + 1,000 colour images with 10 learnable classes: a handwritten
    digit 0-9 (the label) in a contrasting colour over a random 32x32 crop of
    scikit-learn's two sample photos. The classes are digits, not CIFAR's objects.
    """
    if standin_mode():
        _notice("CIFAR-10", "5,000 + 1,000 coloured digits 0–9 on photo crops, 32×32×3")
        return _copy_split(_cifar_standin())
    return _keras_dataset("cifar10", "CIFAR-10")


# --- text sequence stand-ins ----------------------------------------------------------

_TOKEN = r"[a-z0-9]+(?:'[a-z]+)?"


def _rank_words(docs: list[list[str]]) -> dict[str, int]:
    """word -> rank by frequency (1 = most frequent), ties broken alphabetically."""
    from collections import Counter

    counts = Counter(w for doc in docs for w in doc)
    ordered = sorted(counts, key=lambda w: (-counts[w], w))
    return {w: i for i, w in enumerate(ordered, start=1)}


def _offset(xs, start_char, index_from):
    """keras.datasets' convention: optional start marker, word ranks shifted by index_from."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [list(x) for x in xs]


def _drop_long(xs, labels, maxlen):
    """Keep the sequences strictly shorter than ``maxlen`` (keras's remove_long_seq)."""
    if not maxlen:
        return xs, labels
    keep = [i for i, x in enumerate(xs) if len(x) < maxlen]
    return [xs[i] for i in keep], labels[keep]


def _vocab_cut(xs, num_words, skip_top, oov_char):
    """Replace (or drop) indices outside [skip_top, num_words), exactly like keras.

    As in keras, ``num_words=None`` means "the largest index", which (keras quirk)
    is itself outside the half-open range.
    """
    if not num_words:
        num_words = max(max(x) for x in xs if x)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def _object_array(seqs):
    import numpy as np

    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


@functools.cache
def _imdb_corpus():
    """rt_critics quotes as rank sequences: (train x, train y, test x, test y, word_index)."""
    import re

    import numpy as np

    df = load_rt_critics()
    df = df[df["fresh"].isin(["fresh", "rotten"]) & df["quote"].notna()]
    docs = [re.findall(_TOKEN, q.lower()) for q in df["quote"]]
    labels = (df["fresh"] == "fresh").to_numpy(dtype=np.int64)
    keep = [i for i, d in enumerate(docs) if d]
    docs, labels = [docs[i] for i in keep], labels[keep]
    index = _rank_words(docs)
    seqs = [[index[w] for w in d] for d in docs]
    order = np.random.default_rng(25).permutation(len(seqs))
    half = len(seqs) // 2
    tr, te = order[:half], order[half:]
    return ([seqs[i] for i in tr], labels[tr], [seqs[i] for i in te], labels[te], index)


def imdb(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
         index_from=3):
    """IMDB reviews as ``keras.datasets.imdb.load_data`` (same arguments and conventions).

    Returns object arrays of integer lists (1 = start, 2 = out-of-vocabulary, words are
    ``index_from`` + their frequency rank) and int64 labels (1 = positive).

    Stand-in: the 14,049 Rotten Tomatoes critic quotes of ``rt_critics.csv`` with a
    fresh (1) / rotten (0) label, split in halves; shorter texts than IMDB's reviews
    (about 20 words) and 61 % positive instead of 50 %.
    """
    if not standin_mode():
        return _keras_dataset("imdb", "IMDB", num_words=num_words, skip_top=skip_top,
                              maxlen=maxlen, seed=seed, start_char=start_char,
                              oov_char=oov_char, index_from=index_from)
    import numpy as np

    _notice("IMDB", "Rotten Tomatoes critic quotes from rt_critics.csv, fresh=1/rotten=0")
    x_tr, y_tr, x_te, y_te, _ = _imdb_corpus()
    rng = np.random.RandomState(seed)
    p_tr, p_te = np.arange(len(x_tr)), np.arange(len(x_te))
    rng.shuffle(p_tr)
    rng.shuffle(p_te)
    x_tr, y_tr = [x_tr[i] for i in p_tr], y_tr[p_tr]
    x_te, y_te = [x_te[i] for i in p_te], y_te[p_te]
    x_tr, y_tr = _drop_long(_offset(x_tr, start_char, index_from), y_tr, maxlen)
    x_te, y_te = _drop_long(_offset(x_te, start_char, index_from), y_te, maxlen)
    if maxlen and (not x_tr or not x_te):
        raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, "
                         "no sequence was kept. Increase maxlen.")
    both = _vocab_cut(x_tr + x_te, num_words, skip_top, oov_char)
    labels = np.concatenate([y_tr, y_te])
    n = len(x_tr)
    return ((_object_array(both[:n]), labels[:n]), (_object_array(both[n:]), labels[n:]))


def imdb_word_index() -> dict[str, int]:
    """word -> frequency rank, as ``keras.datasets.imdb.get_word_index()``.

    A sequence value ``v`` decodes to the word whose rank is ``v - index_from``.
    """
    if standin_mode():
        _notice("IMDB word index", "vocabulary of the rt_critics.csv stand-in")
        return dict(_imdb_corpus()[4])
    import keras

    try:
        return keras.datasets.imdb.get_word_index()
    except Exception as exc:
        if not (type(exc) is Exception or isinstance(exc, OSError)):
            raise
        raise _hub_error("the IMDB word index", exc) from exc


_N_TOPICS = 46


def _gensim_test_file(name: str) -> Path:
    """A file of gensim's bundled test data, found without importing gensim (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("gensim is not installed; run `make setup`.")
    path = Path(spec.submodule_search_locations[0], "test", "test_data", name)
    if not path.is_file():
        raise DataError(f"gensim's bundled test file {path} is missing; reinstall gensim "
                        f"(`make setup`).")
    return path


@functools.cache
def _reuters_corpus():
    """46-topic synthetic newswire over the vocabulary of gensim's lee_background.cor.

    Each topic owns 30 keywords (random mid-frequency words of the corpus). A document
    of topic k mixes common words (drawn by their corpus frequency, 55 %), topic-k
    keywords (30 %) and any corpus word (15 %). Topic sizes fall off like 1/(k+1), so
    the classes are as unbalanced as Reuters'.
    """
    import re

    import numpy as np

    text = _gensim_test_file("lee_background.cor").read_text(encoding="utf-8")
    docs = [re.findall(_TOKEN, line.lower()) for line in text.splitlines() if line.strip()]
    index = _rank_words(docs)
    words = sorted(index, key=index.get)
    counts = np.bincount([index[w] for d in docs for w in d], minlength=len(words) + 1)[1:]
    freq = counts / counts.sum()
    rng = np.random.default_rng(46)
    middle = np.arange(100, min(len(words), 4000))
    keywords = [rng.choice(middle, size=30, replace=False) for _ in range(_N_TOPICS)]
    weights = 1.0 / np.arange(1, _N_TOPICS + 1)
    n_docs = 11228
    labels = rng.choice(_N_TOPICS, size=n_docs, p=weights / weights.sum()).astype(np.int64)
    lengths = np.clip(rng.lognormal(np.log(90), 0.6, size=n_docs), 10, 1000).astype(int)
    total = int(lengths.sum())
    owner = np.repeat(labels, lengths)
    source = rng.choice(3, size=total, p=[0.55, 0.30, 0.15])
    common = rng.choice(len(words), size=total, p=freq)
    topical = np.stack(keywords)[owner, rng.integers(0, 30, size=total)]
    anyword = rng.integers(0, len(words), size=total)
    tokens = np.where(source == 0, common, np.where(source == 1, topical, anyword)) + 1
    seqs = [part.tolist() for part in np.split(tokens, np.cumsum(lengths)[:-1])]  # ranks from 1
    return seqs, labels, index


def reuters(num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
            start_char=1, oov_char=2, index_from=3):
    """Reuters newswires as ``keras.datasets.reuters.load_data`` (46 topics, same arguments).

    Stand-in: 11,228 synthetic "newswires" of 46 learnable topics built from the
    vocabulary of gensim's bundled ``lee_background.cor`` (300 Australian news
    articles): real words, but random word order (see ``_reuters_corpus``).
    """
    if not standin_mode():
        return _keras_dataset("reuters", "Reuters", num_words=num_words, skip_top=skip_top,
                              maxlen=maxlen, test_split=test_split, seed=seed,
                              start_char=start_char, oov_char=oov_char,
                              index_from=index_from)
    import numpy as np

    _notice("Reuters", "46 synthetic topics over the words of gensim's lee_background.cor")
    seqs, labels, _ = _reuters_corpus()
    order = np.arange(len(seqs))
    np.random.RandomState(seed).shuffle(order)
    xs, ys = _drop_long(_offset([seqs[i] for i in order], start_char, index_from),
                        labels[order], maxlen)
    xs = _vocab_cut(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((_object_array(xs[:cut]), ys[:cut]), (_object_array(xs[cut:]), ys[cut:]))


def reuters_word_index() -> dict[str, int]:
    """word -> frequency rank, as ``keras.datasets.reuters.get_word_index()``."""
    if standin_mode():
        _notice("Reuters word index", "vocabulary of gensim's lee_background.cor")
        return dict(_reuters_corpus()[2])
    import keras

    try:
        return keras.datasets.reuters.get_word_index()
    except Exception as exc:
        if not (type(exc) is Exception or isinstance(exc, OSError)):
            raise
        raise _hub_error("the Reuters word index", exc) from exc


# --- GloVe and ImageNet ---------------------------------------------------------------

GLOVE_URL = "https://nlp.stanford.edu/data/glove.6B.zip"
_GLOVE_DIMS = (50, 100, 200, 300)
_GLOVE_WORDS = 400_000


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b""))


def glove_path(dim: int = 50) -> Path:
    """Path of ``glove.6B.<dim>d.txt`` (one word and ``dim`` floats per line, no header).

    Normally the 822 MB ``glove.6B.zip`` is downloaded once from Stanford into
    ``<cache>/glove/``. Stanford publishes no checksum, so instead of a sha256 the
    extracted file is checked for 400,000 lines of ``dim`` numbers.

    Stand-in (50-d only): gensim's bundled ``test_glove.txt``, 76 real rows of
    ``glove.6B.50d.txt`` (the most frequent words: "the", "of", "said", "people", ...).
    """
    if dim not in _GLOVE_DIMS:
        raise ValueError(f"GloVe 6B comes in dimensions {_GLOVE_DIMS}, not {dim!r}.")
    if standin_mode():
        if dim != 50:
            raise DataError(f"The GloVe stand-in only has 50-d vectors; use dim=50 or set "
                            f"{STANDIN_ENV}=0 and go online for glove.6B.{dim}d.txt.")
        _notice("GloVe", "76 real glove.6B.50d rows bundled with gensim")
        return _gensim_test_file("test_glove.txt")
    folder = cache_dir() / "glove"
    target = folder / f"glove.6B.{dim}d.txt"
    checked = folder / f".glove.6B.{dim}d.checked"
    if target.is_file() and checked.is_file():
        return target
    if not target.is_file():
        import pooch
        import requests

        print(f"dlcourse: downloading {GLOVE_URL} (822 MB, once) into {folder}; Stanford "
              f"publishes no checksum, so the result is checked by its shape instead.",
              flush=True)
        _quiet_pooch()
        try:
            pooch.retrieve(GLOVE_URL, known_hash=None, fname="glove.6B.zip", path=folder,
                           processor=pooch.Unzip(members=[target.name], extract_dir="."),
                           downloader=pooch.HTTPDownloader(progressbar=True, timeout=60))
        except (requests.exceptions.RequestException, OSError) as exc:
            raise _hub_error("GloVe", exc) from exc
    with open(target, encoding="utf-8") as fh:
        fields = fh.readline().rstrip("\n").split(" ")
    lines = _count_lines(target)
    if lines != _GLOVE_WORDS or len(fields) != dim + 1:
        target.unlink()
        raise ChecksumError(
            f"{target.name} has {lines} lines of {len(fields) - 1} numbers, expected "
            f"{_GLOVE_WORDS} of {dim}: it was removed. Delete {folder / 'glove.6B.zip'} "
            f"and call glove_path({dim}) again to download it afresh."
        )
    checked.write_text(f"{lines} lines, {dim} dimensions\n")
    return target


def load_glove(dim: int = 50):
    """GloVe vectors as gensim ``KeyedVectors`` (``load_word2vec_format(no_header=True)``)."""
    from gensim.models import KeyedVectors

    return KeyedVectors.load_word2vec_format(glove_path(dim), binary=False, no_header=True)


def imagenet_weights():
    """``weights=`` argument for ``keras.applications``: "imagenet", or None in stand-in mode.

    In stand-in mode the model keeps its random initial weights (no 100 MB download),
    so it runs but its predictions mean nothing.
    """
    if standin_mode():
        _notice("ImageNet weights", "random initial weights, predictions are meaningless")
        return None
    return "imagenet"


# --- image folders --------------------------------------------------------------------

FACES_URL = "https://www.zerotodeeplearning.com/media/z2dl/45bzty/male_female.tgz"
_FOLDERS = {
    "faces": {
        "real": "male_female",
        "classes": ("0_female", "1_male"),
        "counts": {"train": 11663, "test": 2920},
        "standin": {"train": 300, "test": 100},
        "size": 64,
    },
    "sports": {
        "real": "sports",
        "classes": ("Beach volleyball", "Cross-country skiing", "Formula racing"),
        "counts": None,
        "standin": {"train": 60, "test": 20},
        "size": 128,
    },
}
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp"}


def _count_images(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.suffix.lower() in _IMAGE_SUFFIXES)


def _real_folder_problem(name: str, root: Path) -> str | None:
    spec = _FOLDERS[name]
    for split in ("train", "test"):
        for cls in spec["classes"]:
            if not (root / split / cls).is_dir():
                return f"{root / split / cls} is missing"
        if spec["counts"]:
            found = _count_images(root / split)
            if found != spec["counts"][split]:
                return (f"{root / split} holds {found} images instead of "
                        f"{spec['counts'][split]}: the set is incomplete or altered")
        elif not all(_count_images(root / split / c) for c in spec["classes"]):
            return f"a class folder under {root / split} is empty"
    return None


def _how_to_get(name: str, root: Path) -> str:
    classes = ", ".join(_FOLDERS[name]["classes"])
    if name == "faces":
        return (f"Download {FACES_URL} (CrowdFlower male/female photos) and extract it so "
                f"that {root}/train/ and {root}/test/ each hold the folders {classes}. "
                f"There is no published checksum, so the folder is checked by its image "
                f"counts (11,663 train, 2,920 test); dlcourse does not download it unverified "
                f"on its own.")
    return (f"The original photos were downloaded one by one from the URLs of sports.csv "
            f"(multimedia-commons), and no packaged copy exists. Put your own photos in "
            f"{root}/train/<class>/ and {root}/test/<class>/ for the classes {classes}.")


def image_folder(name: str, split: str = "train") -> Path:
    """Folder of an image dataset with one sub-folder per class, ready for
    ``keras.utils.image_dataset_from_directory(image_folder("faces"))``.

    Each set has a ``"train"`` (default) and a ``"test"`` split, as the originals did:
    ``image_folder("faces", "test")`` is the held-out part.

    ``"faces"`` (chapter 10): classes ``0_female`` and ``1_male``, the CrowdFlower photo
    set extracted into ``<cache>/male_female/{train,test}``. ``"sports"`` (chapter 11):
    classes ``Beach volleyball``, ``Cross-country skiing`` and ``Formula racing`` in
    ``<cache>/sports/{train,test}``. Neither can be downloaded with a verified checksum;
    without them the error explains how to get them.

    Stand-ins, drawn once into ``<cache>/standin/<name>/{train,test}``: ``faces`` = 64x64
    cartoon faces whose two classes differ by outline (``0_female`` oval, ``1_male``
    rounded square; nothing to do with gender), with dark glasses on 1 in 5 faces of
    class 0 and 4 in 5 of class 1 as a partial hint, 300 train + 100 test per class; ``sports`` = 128x128 drawn scenes (beach with ball and
    net, snowy slope with trees and a skier, track with a race car), 60 + 20 per class.
    """
    if name not in _FOLDERS:
        raise UnknownDatasetError(
            f"Unknown image folder {name!r}. Valid names are: {', '.join(_FOLDERS)}.")
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}.")
    if standin_mode():
        what = ("cartoon faces, classes differ by face outline" if name == "faces"
                else "drawn beach / snow / race-track scenes")
        _notice(f"{name} image folder", what)
        return _standin_folder(name) / split
    root = cache_dir() / _FOLDERS[name]["real"]
    problem = _real_folder_problem(name, root)
    if problem is None:
        return root / split
    raise DataUnavailableError(
        f"The {name!r} photo set is not available: {problem}.\n{_how_to_get(name, root)}\n"
        f"Or set {STANDIN_ENV}=1 to use a small offline stand-in folder with the same layout."
    )


def _standin_folder(name: str) -> Path:
    import tempfile

    import numpy as np

    spec = _FOLDERS[name]
    root = cache_dir() / "standin" / name
    stamp = f"dlcourse stand-in {name} v{_STANDIN_VERSION}\n"
    marker = root / ".complete"
    if marker.is_file() and marker.read_text() == stamp:
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root.parent))
    try:
        rng = np.random.default_rng(11 if name == "faces" else 12)
        draw = _draw_face if name == "faces" else _draw_sport
        for split, per_class in spec["standin"].items():
            for k, cls in enumerate(spec["classes"]):
                folder = build / split / cls
                folder.mkdir(parents=True)
                for i in range(per_class):
                    draw(rng, k, spec["size"]).save(folder / f"{cls[:6].strip()}_{i:04d}.jpg",
                                                     quality=90)
        (build / ".complete").write_text(stamp)
        if root.exists():
            shutil.rmtree(root)
        os.replace(build, root)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        if marker.is_file() and marker.read_text() == stamp:  # another process won the race
            return root
        raise
    return root


def _photo_background(rng, size: int):
    from PIL import Image

    photo = _sample_photos()[int(rng.integers(0, 2))]
    crop = int(rng.integers(size, min(photo.shape[:2])))
    top = int(rng.integers(0, photo.shape[0] - crop + 1))
    left = int(rng.integers(0, photo.shape[1] - crop + 1))
    return Image.fromarray(photo[top:top + crop, left:left + crop]).resize((size, size))


def _draw_face(rng, label: int, size: int):
    import numpy as np
    from PIL import ImageDraw

    img = _photo_background(rng, size)
    draw = ImageDraw.Draw(img)
    light, dark = np.array([250, 220, 190]), np.array([90, 58, 40])
    t = rng.uniform(0, 1)
    skin = tuple(int(c) for c in (1 - t) * light + t * dark + rng.normal(0, 8, size=3))
    cx, cy = size / 2 + rng.uniform(-3, 3), size / 2 + rng.uniform(-3, 3)
    w, h = rng.uniform(0.28, 0.34) * size, rng.uniform(0.34, 0.4) * size
    box = [cx - w, cy - h, cx + w, cy + h]
    if label == 0:
        draw.ellipse(box, fill=skin)
    else:
        draw.rounded_rectangle(box, radius=int(w * 0.12), fill=skin)
    hair = tuple(int(c) for c in rng.integers(10, 120, size=3))
    draw.chord([cx - w, cy - h - 2, cx + w, cy - h * 0.2], 180, 360, fill=hair)
    eye_y, eye_dx, r = cy - h * 0.15, w * 0.45, max(2.0, size / 28)
    # dark glasses on 4 of 5 faces of class 1 and 1 of 5 of class 0: a hint, not a rule
    if rng.uniform() >= (0.8 if label == 1 else 0.2):
        for ex in (cx - eye_dx, cx + eye_dx):
            draw.ellipse([ex - r, eye_y - r, ex + r, eye_y + r], fill=(20, 20, 30))
    else:
        draw.rectangle([cx - w * 0.85, eye_y - 1.5 * r, cx + w * 0.85, eye_y + 1.5 * r],
                       fill=(15, 15, 20))
    smile = rng.uniform(0.1, 0.3) * h
    draw.arc([cx - w * 0.45, cy + h * 0.2, cx + w * 0.45, cy + h * 0.45 + smile], 10, 170,
             fill=(120, 30, 30), width=2)
    return img


def _draw_sport(rng, label: int, size: int):
    import numpy as np
    from PIL import Image, ImageDraw

    def jitter(rgb, spread=25):
        return tuple(int(min(255, max(0, c + rng.normal(0, spread)))) for c in rgb)

    horizon = int(size * rng.uniform(0.35, 0.55))
    sky, ground = [((90, 160, 230), (225, 200, 140)),    # beach: blue sky, sand
                   ((200, 210, 225), (245, 248, 252)),   # skiing: pale sky, snow
                   ((60, 130, 60), (90, 90, 95))][label]  # racing: grass verge, asphalt
    img = Image.new("RGB", (size, size), jitter(sky))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, horizon, size, size], fill=jitter(ground))
    u = size / 128
    if label == 0:
        net_y = horizon - 30 * u
        draw.rectangle([10 * u, net_y, size - 10 * u, net_y + 12 * u], outline=(30, 30, 30),
                       width=2)
        for x in range(int(10 * u), int(size - 10 * u), int(8 * u)):
            draw.line([x, net_y, x, net_y + 12 * u], fill=(40, 40, 40))
        bx, by = rng.uniform(20, 108) * u, rng.uniform(10, 40) * u
        draw.ellipse([bx - 7 * u, by - 7 * u, bx + 7 * u, by + 7 * u], fill=jitter((250, 240, 90)))
    elif label == 1:
        for _ in range(int(rng.integers(2, 6))):
            tx = rng.uniform(0, size)
            draw.polygon([(tx, horizon - 40 * u), (tx - 12 * u, horizon + 4 * u),
                          (tx + 12 * u, horizon + 4 * u)], fill=jitter((20, 80, 40), 15))
        sx, sy = rng.uniform(30, 98) * u, rng.uniform(horizon + 20 * u, size - 20 * u)
        draw.line([sx, sy - 28 * u, sx, sy], fill=(30, 30, 120), width=max(2, int(3 * u)))
        draw.line([sx - 20 * u, sy + 4 * u, sx + 20 * u, sy - 2 * u], fill=(10, 10, 10), width=2)
        draw.line([sx - 10 * u, sy - 20 * u, sx - 16 * u, sy + 2 * u], fill=(10, 10, 10))
    else:
        draw.line([0, horizon + 10 * u, size, horizon + 10 * u], fill=(240, 240, 240), width=2)
        cx, cy = rng.uniform(25, 75) * u, rng.uniform(horizon + 20 * u, size - 25 * u)
        body = jitter([(200, 20, 20), (20, 40, 180), (240, 200, 0)][int(rng.integers(0, 3))])
        draw.rounded_rectangle([cx, cy, cx + 50 * u, cy + 12 * u], radius=int(5 * u), fill=body)
        for wx in (cx + 8 * u, cx + 40 * u):
            draw.ellipse([wx - 6 * u, cy + 6 * u, wx + 6 * u, cy + 18 * u], fill=(15, 15, 15))
    noise = rng.normal(0, 8, size=(size, size, 3))
    return Image.fromarray(np.clip(np.asarray(img) + noise, 0, 255).astype(np.uint8))


# --------------------------------------------------------------------------------------
# Command line: python -m dlcourse.data {fetch-all,status}
# --------------------------------------------------------------------------------------


def _fetch_hub() -> int:
    """Download every hub dataset once (keras caches them in ~/.keras/datasets)."""
    if standin_mode():
        print(f"dlcourse: {STANDIN_ENV}=1 is set, so there is no hub data to download; "
              f"unset it first.", file=sys.stderr)
        return 1
    steps = [("MNIST", mnist), ("Fashion-MNIST", fashion_mnist), ("CIFAR-10", cifar10),
             ("IMDB", imdb), ("IMDB word index", imdb_word_index), ("Reuters", reuters),
             ("Reuters word index", reuters_word_index), ("GloVe 6B 50-d", glove_path)]
    failed = 0
    for what, load in steps:
        print(f"dlcourse: {what} ...", flush=True)
        try:
            load()
        except DataError as exc:
            failed += 1
            print(f"dlcourse: {exc}", file=sys.stderr)
    if failed:
        print(f"dlcourse: {failed} of {len(steps)} hub downloads failed.", file=sys.stderr)
        return 1
    print("dlcourse: hub data downloaded.")
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.data",
        description="Download, verify and inspect the course's data files.")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = sub.add_parser(
        "fetch-all", help="download (or copy from the mirror) and verify every file")
    fetch_cmd.add_argument(
        "--hub", action="store_true",
        help="also download the hub data (keras.datasets, GloVe 50-d: about 1 GB) so the "
             "course works offline later without stand-ins")
    sub.add_parser("status", help="list every file as verified, corrupted or missing")
    args = parser.parse_args(argv)

    try:
        where = mirror_dir()
    except DataError as exc:
        print(f"dlcourse: {exc}", file=sys.stderr)
        return 2
    source = f"mirror {where}" if where else "the internet"
    if args.command == "fetch-all":
        print(f"dlcourse: fetching {len(REGISTRY)} files from {source} into {cache_dir()}")
        try:
            fetch_all()
        except DataError as exc:
            print(f"dlcourse: {exc}", file=sys.stderr)
            return 1
        print(f"dlcourse: all {len(REGISTRY)} files are cached and verified.")
        if args.hub:
            return _fetch_hub()
        return 0

    rows = status()
    width = max(len(r["name"]) for r in rows)
    print(f"cache: {cache_dir()}")
    for r in rows:
        state = "verified" if r["verified"] else ("CORRUPTED" if r["cached"] else "missing")
        print(f"  {r['name']:<{width}}  {state}")
    bad = [r for r in rows if not r["verified"]]
    if bad:
        print(f"{len(bad)} of {len(rows)} files are not ready: run `make data` "
              f"(or `python -m dlcourse.data fetch-all`).")
        return 1
    print(f"all {len(rows)} files verified.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
