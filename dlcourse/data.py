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

from dlcourse.config import DATA_ENV, MIRROR_ENV, STANDIN_ENV

__all__ = [
    "REGISTRY",
    "ChecksumError",
    "DataError",
    "DataUnavailableError",
    "UnknownDatasetError",
    "cache_dir",
    "fetch",
    "load_airline_passengers",
    "load_banknotes",
    "load_cansim_retail",
    "load_diabetes",
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
         "Statistics Canada table 080-0020: monthly Canadian retail sales 1991-2016"),
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
    where = "the mirror" if mirror_dir() is not None else entry.url
    if target.exists():
        # A damaged or outdated copy: remove it so it can never be mistaken for valid.
        target.unlink()
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
        raise ChecksumError(
            f"{entry.name}: the file from {where} does not match the registered sha256 "
            f"{entry.sha256} and was discarded (nothing was saved in {target.parent}). "
            f"The source may be corrupted or changed. Delete any copy you put there by "
            f"hand and re-run `make data`; if it keeps failing, report it."
        ) from exc
    except (requests.exceptions.RequestException, OSError) as exc:
        raise DataUnavailableError(
            f"Could not get {entry.name} from {where}: {exc.__class__.__name__}: {exc}\n"
            f"{_OFFLINE_HELP}"
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
    """Canadian monthly retail sales, 1991-2016 (thousands of dollars).

    The Statistics Canada export has 6 title lines above the header and a block of
    footnotes below the data; both are dropped. Columns as in the file's header row:
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
    with gzip.open(fetch("Ontario_energy_demand_2003-2016.csv.gz"), "rb") as fh:
        import pandas as pd

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
# Command line: python -m dlcourse.data {fetch-all,status}
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.data",
        description="Download, verify and inspect the course's data files.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch-all", help="download (or copy from the mirror) and verify every file")
    sub.add_parser("status", help="list every file as verified, corrupted or missing")
    args = parser.parse_args(argv)

    where = mirror_dir()
    source = f"mirror {where}" if where else "the internet"
    if args.command == "fetch-all":
        print(f"dlcourse: fetching {len(REGISTRY)} files from {source} into {cache_dir()}")
        try:
            fetch_all()
        except DataError as exc:
            print(f"dlcourse: {exc}", file=sys.stderr)
            return 1
        print(f"dlcourse: all {len(REGISTRY)} files are cached and verified.")
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
