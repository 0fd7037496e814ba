"""The key of an encrypted database file and its key slots (issue 11 point 2; docs/security.md "Encryption at rest").

A SQLite file is encrypted with SQLCipher 4 (AES-256, an HMAC per page) under a random 256-bit *data key* made at
set-up and given to SQLCipher as a raw key (``PRAGMA key = "x'…'"``: no key derivation per connection). The data
key is never stored in clear once the database has an account. It is stored *wrapped* in a private (0600) JSON
file next to the database, ``<name>.sleutels``, written atomically, in *slots*:

- one slot per active account: the data key encrypted with AES-256-GCM (``cryptography``) under a key derived with
  argon2id (``argon2-cffi`` ``hash_secret_raw``; RFC 9106 low-memory parameters t=3, m=64 MiB, p=4) from that
  account's password and a random salt. A changed password re-wraps the data key; the file is not re-encrypted;
- one slot under the *herstelcode*: 32 characters (8 groups of 4) from an alphabet without look-alikes,
  160 random bits, shown once at set-up and printed; it opens the file when the only beheerder lost the password;
- the ``inrichting`` slot: only for a new database that has no account yet (and so no data), the key in clear,
  so that a first start that is broken off can be resumed. It is replaced by the herstelcode slot the moment the
  first account's slot is written (:func:`stage_password_slot`).

Slot changes made during a transaction are written with it: new slots are added *before* the database commits (a
failure rolls the transaction back), superseded slots are removed *after* it (so a failure in between leaves one
slot too many, never one too few). Neither the passwords nor the herstelcode are stored anywhere.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import weakref
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from verzuimdesk.model.errors import DatabaseError, LoginError, ValidationError

SUFFIX = ".sleutels"
PLAIN_HEADER = b"SQLite format 3\x00"
ENV_ENCRYPT = "VERZUIMDESK_VERSLEUTELEN"  # "nee": new files stay plain (tests and experts only)
FORMAT = "verzuimdesk-sleutels"
KDF = {"t": 3, "m": 65536, "p": 4}  # argon2id, RFC 9106 §4 second recommended option ("low memory")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I/1, O/0: read aloud and typed back without doubt
CODE_GROUPS, CODE_GROUP_LEN = 8, 4
WRONG_PASSWORD = "Onbekende gebruikersnaam of verkeerd wachtwoord."
WRONG_CODE = "Deze herstelcode past niet bij deze database. Controleer de code op het afgedrukte blad."


class KeyFileError(DatabaseError):
    """The key file is missing, unreadable or belongs to another file (Dutch message; nothing was changed)."""


# ------------------------------------------------------------------------------------------ the file itself


def keyfile_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + SUFFIX)


def is_encrypted(db_file: Path) -> bool:
    """A non-empty file that does not start with SQLite's plain header (SQLCipher files start with a random salt)."""
    try:
        with open(db_file, "rb") as fh:
            head = fh.read(len(PLAIN_HEADER))
    except OSError:
        return False
    return len(head) > 0 and head != PLAIN_HEADER


def encrypt_new_files() -> bool:
    return os.environ.get(ENV_ENCRYPT, "").strip().lower() not in ("nee", "no", "0")


def load_slots(db_file: Path) -> list[dict[str, Any]]:
    path = keyfile_path(db_file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"Het sleutelbestand {path.name} ontbreekt naast de database. Zonder dat bestand kan "
                           "niemand de versleutelde database openen; zet het terug uit een reservekopie (het hoort "
                           "naast de database te staan).") from None  # fmt: skip
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"Het sleutelbestand {path.name} is niet leesbaar ({exc.__class__.__name__}); er is "
                           "niets gewijzigd.") from exc  # fmt: skip
    if not isinstance(data, dict) or data.get("formaat") != FORMAT or not isinstance(data.get("sleutels"), list):
        raise KeyFileError(f"{path.name} is geen sleutelbestand van verzuimdesk; er is niets gewijzigd.")
    return list(data["sleutels"])


def is_demo(db_file: Path) -> bool:
    """Whether the key file says the database is the demo school (readable before the file is unlocked, so the
    log-in can show the demo accounts; it holds no secret)."""
    try:
        data = json.loads(keyfile_path(db_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("demo") is True


def mark_demo(db_file: Path) -> None:
    """Note in the key file that the database is the demo school (its accounts and password are public)."""
    save_slots(db_file, load_slots(db_file), demo=True)


def save_slots(db_file: Path, slots: list[dict[str, Any]], *, demo: bool | None = None) -> None:
    """Write the slots atomically (temporary file, fsync, rename), private to the user (0600). The demo mark
    (:func:`mark_demo`) is kept unless ``demo`` says otherwise."""
    path = keyfile_path(db_file)
    tmp = path.with_name(path.name + ".tmp")
    data = {"formaat": FORMAT, "versie": 1, "versleuteling": "SQLCipher 4 (AES-256), ruwe sleutel van 256 bits",
            "sleutels": slots}  # fmt: skip
    if is_demo(db_file) if demo is None else demo:
        data["demo"] = True
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KeyFileError(f"Het sleutelbestand {path.name} kon niet worden geschreven ({exc.strerror or exc}); "
                           "er is niets gewijzigd.") from exc  # fmt: skip


# ------------------------------------------------------------------------------------------ wrapping


def new_key() -> bytes:
    return secrets.token_bytes(32)


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kek(secret: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=kdf["t"], memory_cost=kdf["m"],
                           parallelism=kdf["p"], hash_len=32, type=Type.ID)  # fmt: skip


def _aad(kind: str, user: str) -> bytes:
    return f"verzuimdesk-sleutel:{kind}:{user}".encode()


def wrap(key: bytes, secret: str, kind: str, user: str = "") -> dict[str, Any]:
    """A slot: ``key`` encrypted (AES-256-GCM) under argon2id(``secret``)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_kek(secret, salt, KDF)).encrypt(nonce, key, _aad(kind, user))
    return {"soort": kind, "gebruiker": user, "kdf": {"naam": "argon2id", **KDF, "zout": _b64(salt)},
            "nonce": _b64(nonce), "sleutel": _b64(sealed)}  # fmt: skip


def unwrap(slot: dict[str, Any], secret: str) -> bytes | None:
    """The data key, or None when ``secret`` does not open this slot (GCM checks it: no guessing)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        kdf = slot["kdf"]
        kek = _kek(secret, base64.b64decode(kdf["zout"]), {k: int(kdf[k]) for k in ("t", "m", "p")})
        return AESGCM(kek).decrypt(base64.b64decode(slot["nonce"]), base64.b64decode(slot["sleutel"]),
                                   _aad(str(slot["soort"]), str(slot.get("gebruiker", ""))))  # fmt: skip
    except (InvalidTag, KeyError, ValueError, TypeError):
        return None


def setup_slot(key: bytes) -> dict[str, Any]:
    return {"soort": "inrichting", "gebruiker": "", "sleutel": key.hex()}


def setup_key(db_file: Path) -> bytes | None:
    """The key of a new database that has no account yet (its ``inrichting`` slot), else None."""
    for slot in load_slots(db_file):
        if slot.get("soort") == "inrichting":
            return bytes.fromhex(str(slot["sleutel"]))
    return None


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i:i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def normalise_code(text: str) -> str:
    """The herstelcode as typed (spaces, dashes, lower case allowed) in its printed form; Dutch error if malformed."""
    chars = "".join(c for c in text.upper() if c not in " -\t\n")
    if len(chars) != CODE_GROUPS * CODE_GROUP_LEN or any(c not in CODE_ALPHABET for c in chars):
        raise ValidationError(f"Een herstelcode bestaat uit {CODE_GROUPS * CODE_GROUP_LEN} tekens in "
                              f"{CODE_GROUPS} groepjes van {CODE_GROUP_LEN} (letters en de cijfers 2 tot en met 9).")
    return "-".join(chars[i:i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def unlock_with_password(db_file: Path, username: str, password: str) -> bytes:
    """The data key from ``username``'s slot; :class:`LoginError` (the log-in's own words) when it does not open."""
    name = username.strip().lower()
    for slot in load_slots(db_file):
        if slot.get("soort") == "wachtwoord" and slot.get("gebruiker") == name:
            key = unwrap(slot, password)
            if key is not None:
                return key
    raise LoginError(WRONG_PASSWORD, 1.0)


def unlock_with_code(db_file: Path, code: str) -> bytes:
    code = normalise_code(code)
    for slot in load_slots(db_file):
        if slot.get("soort") == "herstelcode":
            key = unwrap(slot, code)
            if key is not None:
                return key
    raise LoginError(WRONG_CODE, 1.0)


def slot_users(db_file: Path) -> list[str]:
    """The accounts that have a slot (for the status line and the tests)."""
    try:
        return sorted({str(s["gebruiker"]) for s in load_slots(db_file) if s.get("soort") == "wachtwoord"})
    except KeyFileError:
        return []


# ------------------------------------------------------------------------------------------ open keys in this process

_KEYS: dict[str, bytes] = {}
_ENGINES: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()
_CODES: dict[str, str] = {}


def remember_key(db_file: Path, key: bytes, engine: Engine | None = None) -> None:
    """The key of an open database, so that its backups and checks use it (forgotten on close)."""
    _KEYS[str(db_file.resolve())] = key
    if engine is not None:
        _ENGINES[engine] = db_file.resolve()


def forget_key(db_file: Path) -> None:
    _KEYS.pop(str(db_file.resolve()), None)


def key_for(db_file: Path) -> bytes | None:
    return _KEYS.get(str(db_file.resolve()))


def take_recovery_code(db_file: Path) -> str | None:
    """The herstelcode made when the first account got its slot: returned once, to be shown once."""
    return _CODES.pop(str(db_file.resolve()), None)


def put_recovery_code(db_file: Path, code: str) -> None:
    _CODES[str(db_file.resolve())] = code


# ------------------------------------------------------------------------------------------ slots with a transaction

_PENDING = "verzuimdesk_sleutels"


def _session_file(session: Session) -> Path | None:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    if engine is None:
        return None
    db_file = _ENGINES.get(engine)
    return db_file if db_file is not None and key_for(db_file) is not None else None


def stage_password_slot(session: Session, username: str, password: str) -> None:
    """A slot for ``username``'s (new) password, written with the transaction; no-op on a plain file."""
    db_file = _session_file(session)
    if db_file is None:
        return
    key = key_for(db_file)
    assert key is not None
    name = username.strip().lower()
    _pending(session, db_file)["add"].append(wrap(key, password, "wachtwoord", name))


def stage_removal(session: Session, username: str) -> None:
    """Remove ``username``'s slots when the transaction commits (a deactivated account opens nothing)."""
    db_file = _session_file(session)
    if db_file is not None:
        _pending(session, db_file)["remove"].add(username.strip().lower())


def _pending(session: Session, db_file: Path) -> dict[str, Any]:
    if _PENDING not in session.info:
        session.info[_PENDING] = {"file": db_file, "add": [], "remove": set(), "written": False}
        for name, fn in (("before_commit", _before_commit), ("after_commit", _after_commit),
                         ("after_rollback", _after_rollback)):  # fmt: skip
            if not sa.event.contains(session, name, fn):
                sa.event.listen(session, name, fn)
    pending: dict[str, Any] = session.info[_PENDING]
    return pending


def _before_commit(session: Session) -> None:
    p = session.info.get(_PENDING)
    if not p or not p["add"]:
        return
    db_file: Path = p["file"]
    slots = load_slots(db_file)
    added = list(p["add"])
    if any(s.get("soort") == "inrichting" for s in slots) and not any(s.get("soort") == "herstelcode" for s in slots):
        key = key_for(db_file)
        assert key is not None
        code = new_recovery_code()
        added.append(wrap(key, code, "herstelcode"))
        p["code"] = code
    save_slots(db_file, slots + added)  # a KeyFileError here rolls the transaction back
    p["written"], p["added"] = True, added


def _after_commit(session: Session) -> None:
    p = session.info.pop(_PENDING, None)
    if not p:
        return
    db_file: Path = p["file"]
    new_users = {s["gebruiker"] for s in p["add"]}
    keep: list[dict[str, Any]] = []
    for slot in load_slots(db_file) if (p["written"] or p["remove"]) else []:
        fresh = any(slot == s for s in p.get("added", []))
        user = slot.get("gebruiker")
        if slot.get("soort") == "inrichting" and p["written"]:
            continue
        if slot.get("soort") == "wachtwoord" and not fresh and (user in new_users or user in p["remove"]):
            continue
        if slot.get("soort") == "wachtwoord" and fresh and user in p["remove"] and user not in new_users:
            continue
        keep.append(slot)
    if p["written"] or p["remove"]:
        try:
            save_slots(db_file, keep)
        except KeyFileError:
            pass  # the database has committed: a superseded slot stays until the next change (docs/security.md)
    if "code" in p:
        put_recovery_code(db_file, p["code"])


def _after_rollback(session: Session) -> None:
    p = session.info.pop(_PENDING, None)
    if not p or not p["written"]:
        return
    db_file: Path = p["file"]
    try:
        save_slots(db_file, [s for s in load_slots(db_file) if not any(s == a for a in p.get("added", []))])
    except KeyFileError:
        pass  # one unused slot too many: it opens nothing that the database still accepts
