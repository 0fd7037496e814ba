"""Password hashing with argon2id (argon2-cffi; RFC 9106, OWASP Password Storage Cheat Sheet).

No home-made crypto: the library's ``PasswordHasher`` (argon2id, random salt, parameters in the hash) does the
work. Its defaults are RFC 9106's "low memory" choice (t=3, m=64 MiB, p=4): about 50 ms on a school laptop.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from verzuimdesk.model.errors import ValidationError

MIN_LENGTH = 8  # NIST SP 800-63B §5.1.1.2: at least 8 characters for a memorised secret chosen by the user
_HASHER = PasswordHasher()


def check_new_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")
    if password.strip() != password:
        raise ValidationError("Een wachtwoord begint of eindigt niet met een spatie.")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
