"""WeChat signatures and AES message encryption: worked examples, round trips, tampering, and
wechatpy (the reference SDK) as an independent oracle when it is installed."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from channels.wechat.crypto import (
    AppIdError,
    DecryptError,
    SignatureError,
    WeChatCrypto,
    pkcs7_pad,
    pkcs7_unpad,
    sign,
    signature_matches,
)
from channels.wechat.messages import MessageError, encrypted_request, parse_fields

pytestmark = pytest.mark.security

TOKEN = "AAAAA"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
APP_ID = "wx1234567890abcdef"


def test_official_worked_example_signature() -> None:
    # developers.weixin.qq.com worked example: sorted ["1514711492", "1714036504", "AAAAA"]
    expected = hashlib.sha1(b"15147114921714036504AAAAA").hexdigest()
    assert sign("AAAAA", "1714036504", "1514711492") == expected
    assert signature_matches(("AAAAA", "1714036504", "1514711492"), expected)
    assert not signature_matches(("AAAAA", "1714036504", "1514711492"), expected.upper())
    assert not signature_matches(("AAAAA", "1714036504", "1514711493"), expected)
    assert not signature_matches(("AAAAA", "1714036504", "1514711492"), None)


def test_round_trip_with_unicode_and_layout() -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    xml = "<xml><Content><![CDATA[九寨沟门票多少钱？ 🎫]]></Content></xml>"
    encrypted = crypto.encrypt(xml, random_prefix=b"0123456789abcdef")
    assert crypto.decrypt(encrypted) == xml
    # independent decryption of the layout: key, IV = key[:16], 32-byte PKCS#7, length, AppID
    key = base64.b64decode(AES_KEY + "=")
    raw = base64.b64decode(encrypted)
    assert len(raw) % 32 == 0
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(raw) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    assert plain[:16] == b"0123456789abcdef"
    (length,) = struct.unpack(">I", plain[16:20])
    assert plain[20 : 20 + length].decode() == xml and plain[20 + length :] == APP_ID.encode()


def test_msg_signature_checked_before_decrypting() -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    encrypted, signature = crypto.encrypt_envelope("<xml/>", "1700000000", "42")
    assert crypto.check_and_decrypt(encrypted, signature, "1700000000", "42") == "<xml/>"
    with pytest.raises(SignatureError):
        crypto.check_and_decrypt(encrypted, signature, "1700000001", "42")
    with pytest.raises(SignatureError):
        crypto.check_and_decrypt(encrypted, "0" * 40, "1700000000", "42")


def test_tampered_truncated_and_garbage_ciphertexts_are_refused() -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    encrypted = crypto.encrypt("<xml><a>1</a></xml>")
    raw = bytearray(base64.b64decode(encrypted))
    raw[-1] ^= 0x55  # corrupt the last block: the padding no longer checks
    with pytest.raises(DecryptError):
        crypto.decrypt(base64.b64encode(bytes(raw)).decode())
    with pytest.raises(DecryptError):
        crypto.decrypt(base64.b64encode(base64.b64decode(encrypted)[:-16]).decode())
    with pytest.raises(DecryptError):
        crypto.decrypt(base64.b64encode(base64.b64decode(encrypted)[:-3]).decode())
    with pytest.raises(DecryptError):
        crypto.decrypt("not base64 at all!")
    with pytest.raises(DecryptError):
        crypto.decrypt("")


def test_wrong_app_id_is_refused() -> None:
    other = WeChatCrypto(TOKEN, AES_KEY, "wx_other_account")
    with pytest.raises(AppIdError):
        WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt(other.encrypt("<xml/>"))


def test_bad_encoding_aes_key_is_refused() -> None:
    with pytest.raises(ValueError, match="43"):
        WeChatCrypto(TOKEN, AES_KEY[:-1], APP_ID)
    with pytest.raises(ValueError):
        WeChatCrypto(TOKEN, AES_KEY[:-1] + "!", APP_ID)


def test_pkcs7_blocks_of_32() -> None:
    for size in (0, 1, 31, 32, 33):
        padded = pkcs7_pad(b"x" * size)
        assert len(padded) % 32 == 0 and 1 <= padded[-1] <= 32
        assert pkcs7_unpad(padded) == b"x" * size
    with pytest.raises(DecryptError):
        pkcs7_unpad(b"x" * 31 + bytes([33]))


def test_xml_entity_declarations_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><C>&a;</C></xml>'
    with pytest.raises(MessageError):
        parse_fields(bomb)
    with pytest.raises(MessageError):
        parse_fields(b'{"json": true}')
    assert parse_fields(encrypted_request("gh_1", "abc]]>def"))["Encrypt"] == "abc]]>def"


def test_wechatpy_decrypts_ours_and_we_decrypt_wechatpys() -> None:
    wechatpy_crypto = pytest.importorskip("wechatpy.crypto")
    theirs = wechatpy_crypto.WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    ours = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    reply = "<xml><Content><![CDATA[你好 Leshan]]></Content></xml>"
    # wechatpy encrypts a reply; we verify its signature and decrypt it
    envelope = parse_fields(theirs.encrypt_message(reply, "nonce1", "1700000000"))
    assert (
        ours.check_and_decrypt(
            envelope["Encrypt"], envelope["MsgSignature"], "1700000000", "nonce1"
        )
        == reply
    )
    # we encrypt an inbound message as WeChat does; wechatpy verifies and decrypts it
    encrypted, signature = ours.encrypt_envelope(reply, "1700000000", "nonce2")
    body = encrypted_request("gh_account", encrypted)
    assert theirs.decrypt_message(body, signature, "1700000000", "nonce2") == reply
    # and it refuses our message for another AppID, as we refuse its
    other = wechatpy_crypto.WeChatCrypto(TOKEN, AES_KEY, "wx_other_account")
    with pytest.raises(Exception, match="(?i)appid"):
        other.decrypt_message(body, signature, "1700000000", "nonce2")
