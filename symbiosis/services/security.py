"""Secrets, password hashes and access tokens — all through well-kept libraries.

* passwords: argon2id via ``argon2-cffi`` (`PasswordHasher`), never stored in clear;
* tokens: JWT (HS256) via ``pyjwt``, signed with ``SYMBIOSIS_API_SECRET``;
* the secret: required in production and refused when weak — shorter than `MIN_SECRET_CHARS` or
  guessable by ``zxcvbn`` in fewer than 10^`MIN_SECRET_GUESSES_LOG10` tries (repeats, sequences,
  words: ``passwordpasswordpasswordpassword`` is 32 characters and ~10 guesses); refusing to start is
  safer than a forgeable token. In development a random one is generated once and kept in a 0600
  file under ``home_dir``;
* tokens carry a ``jti`` so one can be revoked (logout) in the store, for every API process;
* passwords: at least `MIN_PASSWORD_CHARS` and a ``zxcvbn`` score of `MIN_PASSWORD_SCORE`
  (twelve spaces, "passwordpassword" or the e-mail itself are refused).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from symbiosis.services.errors import Misconfigured, Unauthenticated
from symbiosis.settings import Settings

JWT_ALGORITHM = "HS256"
DEFAULT_TOKEN_TTL_S = 8 * 3600
SECRET_FILE = "api_secret"
MIN_SECRET_CHARS = 32
MIN_SECRET_GUESSES_LOG10 = 30.0  # ~100 bits; 32 random hex digits score 32
MIN_PASSWORD_CHARS = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 scale: 3 = "safely unguessable: moderate protection offline"
STRENGTH_CHECKED_CHARS = 256  # zxcvbn's work grows with length; anything longer is judged by its start


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` is too weak to sign production tokens, or None."""
    if len(secret) < MIN_SECRET_CHARS:
        return f"it has {len(secret)} characters: production needs at least {MIN_SECRET_CHARS}"
    guesses = zxcvbn(secret[:STRENGTH_CHECKED_CHARS])["guesses_log10"]
    if guesses < MIN_SECRET_GUESSES_LOG10:
        return (
            f"it is guessable in about 10^{guesses:.0f} tries (repeats, sequences or words): production "
            f"needs at least 10^{MIN_SECRET_GUESSES_LOG10:.0f}"
        )
    return None


def password_problem(password: str, *user_inputs: str) -> str | None:
    """Why ``password`` is too weak for an account, or None (``user_inputs``: e-mail and such,
    which a password must not merely repeat)."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"at least {MIN_PASSWORD_CHARS} characters"
    verdict = zxcvbn(password[:STRENGTH_CHECKED_CHARS], user_inputs=[u for u in user_inputs if u])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        hint = verdict["feedback"].get("warning") or "too easy to guess"
        return f"a password harder to guess ({hint.rstrip('.')}): e.g. four unrelated words"
    return None


def resolve_secret(settings: Settings) -> str:
    """The signing secret: from settings; else (development only) a generated one kept on disk."""
    if settings.api_secret:
        problem = secret_problem(settings.api_secret) if settings.mode == "production" else None
        if problem:
            raise Misconfigured(
                f"SYMBIOSIS_API_SECRET is too weak for production: {problem}. Use a long random string, "
                "e.g. the output of `openssl rand -base64 48`"
            )
        return settings.api_secret
    if settings.mode == "production":
        raise Misconfigured(
            "SYMBIOSIS_MODE=production but SYMBIOSIS_API_SECRET is not set: refusing to start with a "
            "default secret. Set SYMBIOSIS_API_SECRET to a long random string."
        )
    path = Path(settings.home_dir) / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value


@dataclass(frozen=True)
class TokenClaims:
    subject: str
    jti: str
    expires_at: int  # seconds since the epoch


@dataclass(frozen=True)
class TokenIssuer:
    secret: str
    ttl_s: int = DEFAULT_TOKEN_TTL_S

    def issue(self, user_id: str, role: str) -> str:
        now = int(time.time())
        claims = {"sub": user_id, "role": role, "iat": now, "exp": now + self.ttl_s, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self.secret, algorithm=JWT_ALGORITHM)

    def claims(self, token: str) -> TokenClaims:
        """What a valid, unexpired token says; `Unauthenticated` otherwise (revocation is checked
        against the store by `symbiosis.services.users`)."""
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub", "jti"]}
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("token expired: log in again") from None
        except jwt.InvalidTokenError:
            raise Unauthenticated("invalid token") from None
        return TokenClaims(str(claims["sub"]), str(claims["jti"]), int(claims["exp"]))

    def subject(self, token: str) -> str:
        """The user id a valid, unexpired token names; `Unauthenticated` otherwise."""
        return self.claims(token).subject

    def pseudonym(self, *parts: str) -> str:
        """A stable opaque reference (HMAC-SHA256 of the parts), e.g. a hidden partner's handle."""
        mac = hmac.new(self.secret.encode(), "\x1f".join(parts).encode(), hashlib.sha256)
        return "p_" + mac.hexdigest()[:24]


class Passwords:
    """argon2id hashing; parameters may be lowered for tests only (never in production)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Constant work whether or not the user exists, so timing does not reveal accounts."""
        try:
            return self.hasher.verify(password_hash or self._dummy, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False
