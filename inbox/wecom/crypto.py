"""The WeCom callback protocol's cryptography (企业微信 回调 加解密方案).

msg_signature = SHA-1 over the sorted token, timestamp, nonce and ciphertext;
the ciphertext is AES-256-CBC (key = base64 of the EncodingAESKey, IV = its
first 16 bytes, PKCS#7 padding to 32 bytes) of 16 random bytes, the message
length (4 bytes, big-endian), the message and the receiving CorpID.
Tested against the protocol's published example vectors.
"""

import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    """Bad signature, bad ciphertext or a message for another corp."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def check_signature(token, timestamp, nonce, encrypted, given) -> None:
    if not hmac.compare_digest(signature(token, timestamp, nonce, encrypted), given or ""):
        raise CryptoError("bad signature")


def _cipher(aes_key: str):
    key = base64.b64decode(aes_key + "=")
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def decrypt(aes_key: str, corp_id: str, encrypted: str) -> str:
    try:
        data = base64.b64decode(encrypted, validate=True)
        decryptor = _cipher(aes_key).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
    except Exception as exc:  # bad base64, wrong block size
        raise CryptoError(f"cannot decrypt: {exc}") from None
    pad = plain[-1] if plain else 0
    if not 1 <= pad <= BLOCK or len(plain) < 20 + pad:
        raise CryptoError("bad padding")
    content = plain[16:-pad]
    (length,) = struct.unpack(">I", content[:4])
    message, receiver = content[4 : 4 + length], content[4 + length :]
    if len(message) != length:
        raise CryptoError("bad length")
    if receiver.decode(errors="replace") != corp_id:
        raise CryptoError("message for another CorpID")
    try:
        return message.decode()
    except UnicodeDecodeError:
        raise CryptoError("message is not UTF-8") from None


def encrypt(aes_key: str, corp_id: str, message: str, random16: bytes | None = None) -> str:
    body = message.encode()
    plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + corp_id.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = _cipher(aes_key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
