"""WeChat message signatures and the AES message encryption (安全模式 / 兼容模式).

Signatures: ``sha1("".join(sorted(parts))).hexdigest()`` over the token, timestamp, nonce (and, for
encrypted messages, the ``Encrypt`` value); compared in constant time.
Encryption: ``AESKey = b64decode(EncodingAESKey + "=")`` (32 bytes), AES-256-CBC with
``IV = AESKey[:16]``, PKCS#7 padding to 32-byte blocks; the plaintext is 16 random bytes, the
message length (4 bytes, network order), the message and the AppID.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_SIZE = 32
_RANDOM_ALPHABET = string.ascii_letters + string.digits


class SignatureError(Exception):
    """A signature or msg_signature does not match."""


class DecryptError(Exception):
    """The ciphertext is not a valid WeChat message (bad base64, length, padding or layout)."""


class AppIdError(DecryptError):
    """The message decrypts but was encrypted for another AppID."""


def sign(*parts: str) -> str:
    """``sha1`` of the parts sorted in string order and concatenated (lower-case hex)."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_matches(expected_parts: tuple[str, ...], presented: str | None) -> bool:
    """True when ``presented`` is the signature of ``expected_parts`` (constant-time)."""
    if not presented:
        return False
    return hmac.compare_digest(sign(*expected_parts).encode("ascii"), presented.encode("utf-8"))


def pkcs7_pad(data: bytes, block_size: int = BLOCK_SIZE) -> bytes:
    """Pad to a multiple of ``block_size`` (pad value 1..block_size)."""
    amount = block_size - len(data) % block_size
    return data + bytes([amount]) * amount


def pkcs7_unpad(data: bytes, block_size: int = BLOCK_SIZE) -> bytes:
    """Remove PKCS#7 padding; :class:`DecryptError` when it is not valid."""
    if not data:
        raise DecryptError("empty plaintext")
    amount = data[-1]
    if amount < 1 or amount > block_size or amount > len(data):
        raise DecryptError("bad padding")
    if data[-amount:] != bytes([amount]) * amount:
        raise DecryptError("bad padding")
    return data[:-amount]


def aes_key_from_encoding_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey (``ValueError`` otherwise)."""
    if (
        len(encoding_aes_key) != 43
        or not encoding_aes_key.isalnum()
        or not encoding_aes_key.isascii()
    ):
        raise ValueError("WECHAT_AES_KEY must be 43 letters and digits (the EncodingAESKey)")
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("WECHAT_AES_KEY does not decode to 32 bytes")
    return key


class WeChatCrypto:
    """Encrypts and decrypts messages of one Official Account."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        """``ValueError`` when the EncodingAESKey is malformed."""
        self.token = token
        self.app_id = app_id
        self._key = aes_key_from_encoding_key(encoding_aes_key)

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, text: str, *, random_prefix: bytes | None = None) -> str:
        """The base64 ``Encrypt`` value of ``text`` (``random_prefix``: 16 bytes, for test vectors)."""
        prefix = random_prefix
        if prefix is None:
            prefix = "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(16)).encode("ascii")
        if len(prefix) != 16:
            raise ValueError("random_prefix must be 16 bytes")
        body = text.encode("utf-8")
        plain = prefix + struct.pack(">I", len(body)) + body + self.app_id.encode("utf-8")
        encryptor = self._cipher().encryptor()
        cipher_text = encryptor.update(pkcs7_pad(plain)) + encryptor.finalize()
        return base64.b64encode(cipher_text).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """The message inside an ``Encrypt`` value; :class:`DecryptError` / :class:`AppIdError`."""
        try:
            cipher_text = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise DecryptError("Encrypt is not base64") from None
        if not cipher_text or len(cipher_text) % 16:
            raise DecryptError("ciphertext length is not a multiple of the AES block")
        decryptor = self._cipher().decryptor()
        plain = pkcs7_unpad(decryptor.update(cipher_text) + decryptor.finalize())
        if len(plain) < 20:
            raise DecryptError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise DecryptError("message length exceeds the plaintext")
        message, app_id = plain[20 : 20 + length], plain[20 + length :]
        if not hmac.compare_digest(app_id, self.app_id.encode("utf-8")):
            raise AppIdError("message encrypted for another AppID")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptError("message is not UTF-8") from None

    def check_and_decrypt(
        self, encrypted: str, msg_signature: str | None, timestamp: str, nonce: str
    ) -> str:
        """Verify ``msg_signature`` over (token, timestamp, nonce, Encrypt), then decrypt."""
        if not signature_matches((self.token, timestamp, nonce, encrypted), msg_signature):
            raise SignatureError("msg_signature does not match")
        return self.decrypt(encrypted)

    def encrypt_envelope(self, text: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """``(Encrypt, MsgSignature)`` of a reply or of a simulated inbound message."""
        encrypted = self.encrypt(text)
        return encrypted, sign(self.token, timestamp, nonce, encrypted)
