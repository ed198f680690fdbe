"""Secrets, password hashes and access tokens — all through well-kept libraries.

* passwords: argon2id via ``argon2-cffi`` (`PasswordHasher`), never stored in clear;
* tokens: JWT (HS256) via ``pyjwt``, signed with ``SYMBIOSIS_API_SECRET``;
* the secret: required in production (refusing to start is safer than a guessable default);
  in development a random one is generated once and kept in a 0600 file under ``home_dir``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from symbiosis.services.errors import Misconfigured, Unauthenticated
from symbiosis.settings import Settings

JWT_ALGORITHM = "HS256"
DEFAULT_TOKEN_TTL_S = 8 * 3600
SECRET_FILE = "api_secret"
MIN_SECRET_CHARS = 32


def resolve_secret(settings: Settings) -> str:
    """The signing secret: from settings; else (development only) a generated one kept on disk."""
    if settings.api_secret:
        if settings.mode == "production" and len(settings.api_secret) < MIN_SECRET_CHARS:
            raise Misconfigured(
                f"SYMBIOSIS_API_SECRET has {len(settings.api_secret)} characters: production needs at "
                f"least {MIN_SECRET_CHARS} (e.g. the output of `openssl rand -base64 48`)"
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
class TokenIssuer:
    secret: str
    ttl_s: int = DEFAULT_TOKEN_TTL_S

    def issue(self, user_id: str, role: str) -> str:
        now = int(time.time())
        claims = {"sub": user_id, "role": role, "iat": now, "exp": now + self.ttl_s}
        return jwt.encode(claims, self.secret, algorithm=JWT_ALGORITHM)

    def subject(self, token: str) -> str:
        """The user id a valid, unexpired token names; `Unauthenticated` otherwise."""
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("token expired: log in again") from None
        except jwt.InvalidTokenError:
            raise Unauthenticated("invalid token") from None
        return str(claims["sub"])

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
