"""Standard Webhooks signing, checked against the reference verifier and the spec's example."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from moderation.webhooks.signing import SECRET_PREFIX, new_secret, sign, signed_headers


def test_matches_the_specifications_example():
    # The worked example of the Standard Webhooks specification.
    signature = sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
    )

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_reference_verifier_accepts_our_headers():
    secret = new_secret()
    body = json.dumps({"type": "comment.decided", "data": {"id": "c1"}}).encode()
    headers = signed_headers([secret], "msg_1", _now(), body)

    assert Webhook(secret).verify(body, headers) == json.loads(body)


def test_both_secrets_verify_during_a_rotation():
    old, new = new_secret(), new_secret()
    body = b'{"type":"comment.reported"}'
    headers = signed_headers([new, old], "msg_2", _now(), body)

    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_a_changed_body_fails_verification():
    secret = new_secret()
    headers = signed_headers([secret], "msg_3", _now(), b'{"a":1}')

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)


def test_secrets_are_prefixed_and_random():
    first, second = new_secret(), new_secret()

    assert first.startswith(SECRET_PREFIX)
    assert first != second
    assert len(first) > 40


def test_signing_needs_a_secret():
    with pytest.raises(ValueError, match="secret"):
        signed_headers([], "msg_4", _now(), b"{}")


def _now() -> int:
    import time

    return int(time.time())
