"""Model folders: where trained models live, and the `meta.json` that says which code they fit.

One folder (the shipped one is `highlights/models/`, `default_model_dir()`) holds the files of several models
side by side. Its `meta.json` has an entry per model, and the model's own files are left as its trainer wrote
them:

    {"format": 1, "models": {"learned": {"format": 1, "highlights": {"from": "0.1.0", "below": "0.2.0"},
                                          "digest": "3f0c…"}, "deletions": {…}}}

- `format`: the layout of the model's files, a number its loader knows (bumped when the files change shape);
- `highlights`: the versions of this package the model fits, `from` (included) up to `below` (not included);
- `digest`: `feature_digest()` of the feature names the model was trained on and of what the text normalizers
  that its features read make of a fixed probe text, so that a renamed feature or a tokenizer that now splits
  words differently is caught on load, not seen later as worse bullets.

A trainer calls `write_meta` when it writes a model; a loader calls `check_meta` before it reads one. Every
refusal is a `ModelFolderError` that names the folder and the command that rebuilds the model.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from highlights.errors import ModelFolderError
from highlights.version import __version__

META_FILE = "meta.json"
META_FORMAT = 1  # the layout of meta.json itself
# What the normalizers in a digest are run on: cased and PTB-tokenized text, quotes, contractions, numbers,
# abbreviations, brackets, non-ASCII letters and Daily Mail furniture, so that a changed rule shows.
PROBE_TEXTS = (
    "(CNN) -- The U.S. Senate's vote on \"Obamacare,\" Sen. Ann O'Neil said Tuesday, cost $4.5 million (about "
    "3,000 jobs) in the 1990s -- didn't it? A 35-year-old man's café re-opened at 3:30 p.m. … Über-fans: 12% "
    "[sic] were “thrilled” and ‘surprised’; others weren’t.",
    "-lrb- cnn -rrb- -- police say the u.s. navy 's 1,000th ship wo n't sail until 2015 , officials said . `` we "
    "are ready , '' he told reporters .",
    "By . Daily Mail Reporter . PUBLISHED: 12:01 EST, 3 March 2014 | UPDATED: 14:02 EST, 3 March 2014",
)
_RELEASE = re.compile(r"\d+(?:\.\d+)*")


def default_model_dir() -> Path:
    """The folder of the models shipped with the package."""
    return Path(str(resources.files("highlights") / "models"))


@cache
def _shipped_folder() -> Path:
    return default_model_dir().resolve()


def folder_key(model_dir: Path | str | None) -> Path | None:
    """How caches of loaded models key a folder: None for the shipped one (however it was named), else the
    resolved path, so that one folder's models load once per process."""
    if model_dir is None:
        return None
    folder = Path(model_dir).resolve()
    return None if folder == _shipped_folder() else folder


def read_booster(model_dir: Path, name: str, rebuild_hint: Callable[[str], Exception]) -> Any:
    """The LightGBM model `model_dir/name` (text format), or `rebuild_hint`'s error when the file is missing."""
    import lightgbm  # loaded with the first model: `highlights --help` and the lead method need none of it

    path = model_dir / name
    if not path.is_file():
        raise rebuild_hint(f"file {name} is missing")
    return lightgbm.Booster(model_file=str(path))


def feature_digest(
    features: Mapping[str, Sequence[str]], normalizers: Mapping[str, Callable[[str], Sequence[object]]]
) -> str:
    """A hex digest of the named feature lists and of what each named normalizer makes of `PROBE_TEXTS`."""
    described = {
        "features": {name: [str(feature) for feature in names] for name, names in features.items()},
        "normalized": {
            name: [[str(token) for token in normalize(text)] for text in PROBE_TEXTS]
            for name, normalize in normalizers.items()
        },
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def fitting_versions(version: str = __version__) -> dict[str, str]:
    """The versions a model built by `version` fits: its release up to the next one that may change features
    (the next minor release before 1.0, the next major one after)."""
    release = _release(version)
    major, minor = (release + (0, 0))[:2]
    below = f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    return {"from": ".".join(map(str, release)), "below": below}


@dataclass(frozen=True, slots=True)
class ModelMeta:
    """What `meta.json` must say about one model for this version of highlights to read it."""

    name: str  # its entry under "models": "learned", "deletions", "furniture"
    format: int  # the layout of its files that this version reads
    digest: str  # `feature_digest()` of the features and normalizers this version computes
    rebuild: str  # the command that rebuilds it; "{folder}" stands for the folder


def write_meta(folder: Path, meta: ModelMeta) -> Path:
    """Record `meta` (built by this version) in `folder`'s meta.json, keeping the other models' entries."""
    path = folder / META_FILE
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        models = recorded["models"] if recorded.get("format") == META_FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        models = {}  # none yet, or unreadable: the entries it held are rewritten by their trainers
    models[meta.name] = {"format": meta.format, "highlights": fitting_versions(), "digest": meta.digest}
    path.write_text(
        json.dumps({"format": META_FORMAT, "models": models}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path


def check_meta(folder: Path, meta: ModelMeta) -> None:
    """Refuse, with what to do, a folder whose meta.json does not say that its `meta.name` model fits this
    version of highlights: the same file format, a version range holding this one, and the same digest."""
    rebuild = f"rebuild it with `{meta.rebuild.format(folder=folder)}`"
    what = f"the {meta.name} model in {folder}"
    path = folder / META_FILE
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFolderError(
            f"{what} has no {META_FILE} to say which version of highlights it fits (it was "
            f"built by an older version, or by hand); {rebuild}"
        ) from None
    except (OSError, ValueError) as error:
        raise ModelFolderError(f"{path} cannot be read ({error}); {rebuild}") from None
    if not isinstance(recorded, dict) or recorded.get("format") != META_FORMAT:
        found = recorded.get("format") if isinstance(recorded, dict) else None
        raise ModelFolderError(
            f"{path} is in format {found!r} and this version of highlights reads format {META_FORMAT}; {rebuild}"
        )
    entry = recorded.get("models", {}).get(meta.name) if isinstance(recorded.get("models"), dict) else None
    if not isinstance(entry, dict):
        raise ModelFolderError(f"{path} says nothing about the {meta.name} model; {rebuild}")
    if entry.get("format") != meta.format:
        raise ModelFolderError(
            f"{what} is in format {entry.get('format')!r} and this version of highlights reads "
            f"format {meta.format}; {rebuild}, or use the version of highlights that built it"
        )
    versions = entry.get("highlights")
    if not (isinstance(versions, dict) and _fits(__version__, versions)):
        span = (
            f"highlights {versions.get('from')} up to (not including) {versions.get('below')}"
            if isinstance(versions, dict)
            else "no version of highlights it names"
        )
        raise ModelFolderError(
            f"{what} fits {span}, and this is highlights {__version__}; use a version in that range, or {rebuild}"
        )
    if entry.get("digest") != meta.digest:
        raise ModelFolderError(
            f"{what} was trained on other features or another text normalization than this "
            f"version of highlights computes (digest {str(entry.get('digest'))[:12]}, this "
            f"version's {meta.digest[:12]}); {rebuild}"
        )


def _release(version: str) -> tuple[int, ...]:
    """`0.2.0.dev1` -> (0, 2, 0): the numbers a version's release is compared by."""
    match = _RELEASE.match(version.strip())
    return tuple(int(part) for part in match.group().split(".")) if match else (0,)


def _fits(version: str, versions: dict) -> bool:
    try:
        low, high = _release(str(versions["from"])), _release(str(versions["below"]))
    except KeyError:
        return False
    width = max(len(low), len(high), len(_release(version)))

    def padded(release: tuple[int, ...]) -> tuple[int, ...]:
        return release + (0,) * (width - len(release))

    return padded(low) <= padded(_release(version)) < padded(high)
