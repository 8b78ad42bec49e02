"""Server verification, signatures on every POST, replay window, and the three encryption modes."""

from __future__ import annotations

import time

import aiohttp
import pytest
from wechat_stack import AES_KEY, APP_ID, OPENID, TOKEN, StackFactory

from channels.wechat.crypto import WeChatCrypto, sign
from channels.wechat.messages import encrypted_request
from channels.wechat_simulator import Sender

pytestmark = pytest.mark.security


async def get(url: str, params: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url, params=params) as response:
        return response.status, await response.text()


async def post(url: str, params: dict[str, str], body: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, params=params, data=body.encode()) as response,
    ):
        return response.status, await response.text()


async def test_server_verification_returns_echostr_only_for_a_good_signature(
    make_stack: StackFactory,
) -> None:
    stack = await make_stack()
    attempt = await stack.sender().verify_server("8836495017319288461")
    assert (attempt.status, attempt.body) == (200, "8836495017319288461")
    now = str(int(time.time()))
    good = {"timestamp": now, "nonce": "1514711492", "echostr": "e"}
    assert (await get(stack.url, {**good, "signature": "0" * 40}))[0] == 403
    assert (await get(stack.url, good))[0] == 403
    # the verification GET has no side effect: a correctly signed old one (WeChat's worked
    # example time) is answered; messages (POST) are held to the replay window below
    old = "1714036504"
    example = {"timestamp": old, "nonce": "1514711492", "echostr": "e"}
    signed = {**example, "signature": sign(TOKEN, old, "1514711492")}
    assert await get(stack.url, signed) == (200, "e")


async def test_every_post_is_signed_and_fresh(make_stack: StackFactory) -> None:
    stack = await make_stack()
    sender = stack.sender()
    xml = sender.text(OPENID, "hello")
    params, body = sender.signed_request(xml)
    assert (await post(stack.url, {**params, "signature": "f" * 40}, body))[0] == 403
    assert (await post(stack.url, {**params, "nonce": params["nonce"] + "1"}, body))[0] == 403
    old = str(int(time.time()) - 400)
    stale, stale_body = sender.signed_request(xml, timestamp=old)
    assert (await post(stack.url, stale, stale_body))[0] == 403
    future = str(int(time.time()) + 400)
    ahead, ahead_body = sender.signed_request(xml, timestamp=future)
    assert (await post(stack.url, ahead, ahead_body))[0] == 403
    assert stack.assistant.received == []  # nothing refused reached the assistant
    status, text = await post(stack.url, params, body)
    assert status == 200 and "echo" in text


async def test_plaintext_mode_answers_passively(make_stack: StackFactory) -> None:
    stack = await make_stack()
    delivery = await stack.sender().deliver(stack.sender().text(OPENID, "你好"))
    assert delivery.answered and len(delivery.attempts) == 1
    assert delivery.reply is not None
    assert delivery.reply["ToUserName"] == OPENID
    assert delivery.reply["FromUserName"] == "gh_simulated0001"
    assert delivery.reply["MsgType"] == "text"
    assert delivery.reply["Content"] == "echo: 你好"  # Markdown stripped
    message = stack.assistant.received[0]
    assert (message.sender_id, message.input_channel, message.text) == (OPENID, "wechat", "你好")


@pytest.mark.parametrize("mode", ["safe", "compatible"])
async def test_encrypted_modes_decrypt_and_encrypt_the_reply(
    make_stack: StackFactory, mode: str
) -> None:
    stack = await make_stack(aes_key=AES_KEY)
    sender = stack.sender(mode)
    delivery = await sender.deliver(sender.text(OPENID, "How much is the ticket?"))
    assert delivery.answered
    assert "<Encrypt>" in delivery.final.body and "echo" not in delivery.final.body
    assert delivery.reply is not None  # decrypted by the simulator after checking MsgSignature
    assert delivery.reply["Content"] == "echo: How much is the ticket?"
    assert stack.assistant.received[0].text == "How much is the ticket?"


async def test_compatible_mode_without_encrypt_type_is_plaintext(make_stack: StackFactory) -> None:
    stack = await make_stack(aes_key=AES_KEY)
    delivery = await stack.sender("plaintext").deliver(stack.sender().text(OPENID, "hi"))
    assert delivery.reply is not None and delivery.reply["Content"] == "echo: hi"
    assert "<Encrypt>" not in delivery.final.body


async def test_tampered_wrong_appid_and_truncated_ciphertexts_are_refused(
    make_stack: StackFactory,
) -> None:
    stack = await make_stack(aes_key=AES_KEY)
    sender = stack.sender("safe")
    xml = sender.text(OPENID, "hi")
    params, body = sender.signed_request(xml)
    tampered = {**params, "msg_signature": "0" * 40}
    assert (await post(stack.url, tampered, body))[0] == 403
    # a valid signature over a ciphertext made for another account's AppID
    foreign = WeChatCrypto(TOKEN, AES_KEY, "wx_other_account_id").encrypt(xml)
    ts, nonce = params["timestamp"], params["nonce"]
    other = {**params, "msg_signature": sign(TOKEN, ts, nonce, foreign)}
    assert (await post(stack.url, other, encrypted_request("gh_x", foreign)))[0] == 403
    # truncated ciphertext, correctly signed: not a WeChat message
    truncated = WeChatCrypto(TOKEN, AES_KEY, APP_ID).encrypt(xml)[:-24]
    cut = {**params, "msg_signature": sign(TOKEN, ts, nonce, truncated)}
    assert (await post(stack.url, cut, encrypted_request("gh_x", truncated)))[0] == 400
    assert stack.assistant.received == []


async def test_encrypted_request_without_a_configured_key_is_refused(
    make_stack: StackFactory,
) -> None:
    stack = await make_stack()  # plaintext mode
    sender = Sender(stack.url, TOKEN, app_id=APP_ID, aes_key=AES_KEY, mode="safe")
    params, body = sender.signed_request(sender.text(OPENID, "hi"))
    status, text = await post(stack.url, params, body)
    assert status == 400 and "WECHAT_AES_KEY" in text


async def test_malformed_bodies_get_400_not_500(make_stack: StackFactory) -> None:
    stack = await make_stack()
    sender = stack.sender()
    for body in ('{"json": 1}', "<xml><MsgType>text</MsgType></xml>", "<!DOCTYPE x><xml/>", ""):
        params, _ = sender.signed_request("<xml/>")
        assert (await post(stack.url, params, body))[0] == 400
