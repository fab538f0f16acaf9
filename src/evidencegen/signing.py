"""Signed assessor decisions and countersigned records: what a learner cannot forge.

A decision (or an observation or witness record) counts only when it carries an HMAC-SHA256
signature made with the centre's key, which the centre keeps outside every learner folder.
The signature covers a canonical form of everything the decision says, and a digest of the
exact text of the evidence it was made on, so an edit to either after signing voids it. A
file with no signature, a wrong key, an edit, or the learner's own name as the assessor is
an *unverified claim*: shown in every report, never counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidencegen.errors import LearnerError
from evidencegen.schema import Countersign, Decision

KEY_ENV = "EVIDENCEGEN_SIGNING_KEY"
KEY_HEADER = "evidencegen-signing-key-1"
SCHEME = "hmac-sha256"
_KEY_LINE = re.compile(rf"^{KEY_HEADER} ([0-9a-f]{{64}})(?: (demo))?$")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir"}


@dataclass(frozen=True)
class SigningKey:
    """The centre's secret; ``key_id`` names it in signatures without revealing it."""

    secret: bytes
    path: Path
    demo: bool = False

    def __repr__(self) -> str:  # never print the secret
        return f"SigningKey({self.key_id}, {self.path}, demo={self.demo})"

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, b"evidencegen key id", hashlib.sha256).hexdigest()[:16]

    @property
    def loose(self) -> bool:
        """Readable or writable by other users of the machine (POSIX modes only)."""
        return os.name == "posix" and bool(self.path.stat().st_mode & 0o077)


def new_key(path: Path, demo: bool = False) -> SigningKey:
    """Write a new random key readable only by its owner (0600); never overwrite one."""
    secret = secrets.token_bytes(32)
    lines = ["# evidencegen signing key: keep it outside every learner and cohort folder.",
             "# Anyone who can read this file can sign assessor decisions."]
    if demo:
        lines.append("# DEMO KEY, published with evidencegen's samples: never use it for "
                     "real learners.")
    lines.append(f"{KEY_HEADER} {secret.hex()}" + (" demo" if demo else ""))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise LearnerError("a file is already there; a key is never overwritten (signatures "
                           "made with it would stop verifying)", path) from None
    except OSError as exc:
        raise LearnerError(f"cannot create the key file: {exc.strerror}", path) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return SigningKey(secret, path.resolve(), demo)


def load_key(path: Path) -> SigningKey:
    """Read a key file made by ``evidencegen key new``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not a text file"
        raise LearnerError(f"cannot read the signing key: {why}", path) from None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _KEY_LINE.match(line)
        if m is None:
            break
        return SigningKey(bytes.fromhex(m.group(1)), path.resolve(), m.group(2) == "demo")
    raise LearnerError("this is not an evidencegen signing key (make one with "
                       "'evidencegen key new PATH')", path)


def key_path(centre: Path | None) -> Path | None:
    """The key the centre named: centre.yaml's ``signing_key``, else $EVIDENCEGEN_SIGNING_KEY."""
    if centre is not None:
        from evidencegen.branding import CentreFile
        from evidencegen.inputs import read_text
        from evidencegen.schema import validate
        from evidencegen.yamlio import load_yaml

        data, lines = load_yaml(read_text(centre, LearnerError), centre, LearnerError)
        info = validate(CentreFile, data, lines, centre, LearnerError)
        if info.signing_key:
            return (centre.parent / Path(info.signing_key).expanduser()).resolve()
    env = os.environ.get(KEY_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else None


def resolve_key(centre: Path | None, *outside: Path) -> SigningKey | None:
    """Load the centre's key, refusing one kept inside a learner or cohort folder."""
    path = key_path(centre)
    if path is None:
        return None
    for folder in outside:
        if path.is_relative_to(folder.resolve()):
            raise LearnerError(f"the signing key is inside {folder}: a learner who can read "
                               "it can sign her own decisions; keep it outside learner and "
                               "cohort folders", path)
    return load_key(path)


def canonical(payload: dict[str, Any]) -> bytes:
    """One byte string per payload: sorted keys, no spaces, UTF-8 (NFC)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return unicodedata.normalize("NFC", text).encode("utf-8")


def sign(key: SigningKey, payload: dict[str, Any]) -> str:
    mac = hmac.new(key.secret, canonical(payload), hashlib.sha256).hexdigest()
    return f"{SCHEME}:{key.key_id}:{mac}"


def file_digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def decision_payload(learner_id: str, ac: str, d: Decision) -> dict[str, Any]:
    return {"kind": "decision", "learner": learner_id, "criterion": ac,
            "decision": d.decision, "assessor": d.assessor,
            "date": d.date.isoformat() if d.date else None, "comments": d.comments,
            "evidence": dict(sorted(d.evidence.items()))}


def record_payload(learner_id: str, rel: str, c: Countersign) -> dict[str, Any]:
    return {"kind": "record", "learner": learner_id, "record": rel, "digest": c.digest,
            "assessor": c.assessor, "date": c.date.isoformat()}


def _name_words(name: str) -> set[str]:
    text = unicodedata.normalize("NFKC", name).casefold()
    return {w for w in re.findall(r"\w+", text) if w not in _TITLES}


def same_person(assessor: str, learner: str) -> bool:
    """'Grace', 'Ms G. Adeyemi'... : every word of the assessor's name is in the learner's."""
    mine = _name_words(learner)
    words = _name_words(assessor)
    return bool(words) and all(w in mine or (len(w) == 1 and any(m.startswith(w) for m in mine))
                               for w in words)


@dataclass(frozen=True)
class Verification:
    """What a report says about one decision or record: verified, or why it is only a claim."""

    kind: str  # decision, word comment, observation, witness
    subject: str  # "5.2" for a decision, the file for a record
    verified: bool
    reason: str  # why it is unverified ("" when verified)
    assessor: str | None = None
    date: dt.date | None = None
    decision: str | None = None  # met or not_yet, for decisions
    files: tuple[tuple[str, str], ...] = ()  # (file, sha256) the signature covers
    key_id: str | None = None
    demo: bool = False  # verified with the published demo key

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "verified": self.verified,
                "reason": self.reason or None, "assessor": self.assessor,
                "date": self.date.isoformat() if self.date else None,
                "decision": self.decision,
                "files": [{"path": p, "sha256": s.removeprefix("sha256:")}
                          for p, s in self.files],
                "key": self.key_id, "demo_key": self.demo}

    def sentence(self) -> str:
        """One line for the text report."""
        if self.kind in ("decision", "word comment"):
            verdict = "met" if self.decision == "met" else "not yet met"
            head = f"{self.kind} '{verdict}' on {self.subject}"
        else:
            head = f"{self.kind} record {self.subject}"
        who = f" by {self.assessor}" if self.assessor else ""
        when = f" on {self.date.day} {self.date:%B %Y}" if self.date else ""
        if not self.verified:
            return f"unverified {head}{who}{when}: {self.reason}; not counted"
        over = ", ".join(f"{p} ({s.removeprefix('sha256:')[:12]})" for p, s in self.files)
        demo = " with the DEMO key (not a real signature)" if self.demo else ""
        signed = "countersigned" if self.kind in ("observation", "witness") else "signed"
        return f"verified {head}, {signed}{who}{when}{demo}, over exactly: {over or 'no files'}"


def _check_signature(key: SigningKey | None, signature: str | None,
                     payload: dict[str, Any]) -> str:
    """'' when the signature is good, else the reason it is not."""
    if not signature:
        return "not signed (only 'evidencegen decide' or 'evidencegen sign' with the " \
               "centre's key makes it count)"
    if key is None:
        return "no signing key is configured to check it (give --centre with a " \
               f"signing_key, or set {KEY_ENV})"
    scheme, _, rest = signature.partition(":")
    key_id, _, mac = rest.partition(":")
    if scheme != SCHEME or not mac:
        return "the signature is not in evidencegen's form"
    if key_id != key.key_id:
        return f"signed with a different key ({key_id}), not this centre's ({key.key_id})"
    if not hmac.compare_digest(sign(key, payload), signature):
        return "changed after it was signed: the text does not match its signature"
    return ""


def _current(folder: Path, rel: str) -> str | None:
    path = folder / rel
    if not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return file_digest(path)


def verify_decision(key: SigningKey | None, folder: Path, learner_id: str, learner_name: str,
                    ac: str, d: Decision) -> Verification:
    """A feedback.yaml decision: signed with this key, by someone other than the learner,
    over evidence whose text is unchanged."""
    files = tuple(sorted(d.evidence.items()))
    base: dict[str, Any] = {"kind": "decision", "subject": ac, "assessor": d.assessor,
                            "date": d.date, "decision": d.decision, "files": files}
    reason = ""
    if not d.assessor:
        reason = "no assessor is named"
    elif same_person(d.assessor, learner_name):
        reason = "the assessor named is the learner herself"
    reason = reason or _check_signature(key, d.signature,
                                        decision_payload(learner_id, ac, d))
    if not reason:
        changed = [rel for rel, digest in files if _current(folder, rel) != digest]
        if changed:
            gone = [rel for rel in changed if _current(folder, rel) is None]
            edited = [rel for rel in changed if rel not in gone]
            parts = ([f"edited since: {', '.join(edited)}"] if edited else []) + \
                ([f"no longer in the folder: {', '.join(gone)}"] if gone else [])
            reason = "the evidence it was made on has changed (" + "; ".join(parts) + ")"
    demo = bool(key and key.demo and not reason)
    return Verification(verified=not reason, reason=reason,
                        key_id=_key_id(d.signature), demo=demo, **base)


def verify_record(key: SigningKey | None, folder: Path, learner_id: str, learner_name: str,
                  rel: str, kind: str, entry: Countersign | None,
                  author: str | None) -> Verification:
    """An observation or witness record: countersigned over its exact text."""
    if entry is None:
        claim = f" (it names {author} as its author, which anyone can type)" if author else ""
        return Verification(kind, rel, False, "not countersigned by an assessor" + claim)
    base: dict[str, Any] = {"assessor": entry.assessor, "date": entry.date,
            "files": ((rel, entry.digest),), "key_id": _key_id(entry.signature)}
    reason = ""
    if same_person(entry.assessor, learner_name):
        reason = "the assessor named is the learner herself"
    reason = reason or _check_signature(key, entry.signature,
                                        record_payload(learner_id, rel, entry))
    if not reason and _current(folder, rel) != entry.digest:
        reason = "edited after it was countersigned: its text is not the text signed"
    return Verification(kind, rel, not reason, reason,
                        demo=bool(key and key.demo and not reason), **base)


def word_comment(ac: str, d: Decision) -> Verification:
    """A decision typed as a Word comment: anyone holding the file can type one."""
    return Verification("word comment", ac, False,
                        "a Word comment, which anyone with the file can type (an assessor "
                        "records decisions with 'evidencegen decide')",
                        assessor=d.assessor, date=d.date, decision=d.decision)


def _key_id(signature: str | None) -> str | None:
    parts = (signature or "").split(":")
    return parts[1] if len(parts) == 3 else None
