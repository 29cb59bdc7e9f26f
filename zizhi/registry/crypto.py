"""Encryption and keyed lookup of personal data (PIPL): ID numbers are never stored in clear."""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"zizhi", info=label).derive(
        settings.DATA_KEY.encode()
    )


@functools.cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"id-number-encryption")))


@functools.cache
def _hmac_key() -> bytes:
    return _derive(b"id-number-lookup")


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """Keyed HMAC-SHA256: equal inputs match, but without the key nobody can guess inputs."""
    return hmac.new(_hmac_key(), value.encode(), hashlib.sha256).hexdigest()


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a whole file (an uploaded roster waiting for confirmation)."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(bytes(token))
