"""Sign in through OpenID Connect (the route of the Belgian eID / itsme), against a fake provider served here.

The fake provider runs on 127.0.0.1 in a thread: discovery, authorization
(auto-approving), token (checking the client secret and the PKCE verifier),
userinfo and JWKS, with an RS256-signed ID token.  The whole
authorization-code flow runs through the real allauth views.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from apps.people.models import Person

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "city-of-people", "s3cret-for-tests"


class FakeProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key: Any = self.key  # a test may sign with another key, or not at all (None)
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.user = {
            "sub": "eid-85073100145",
            "email": "marie.claes@example.be",
            "email_verified": True,
            "given_name": "Marie",
            "family_name": "Claes",
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()

        def b64(number: int) -> str:
            raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return {
            "keys": [
                {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(numbers.n), "e": b64(numbers.e)}
            ]
        }

    def handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def reply(self, status: int, body: dict[str, Any] | None = None, location: str = "") -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                data = json.dumps(body or {}).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    self.reply(
                        200,
                        {
                            "issuer": provider.url,
                            "authorization_endpoint": f"{provider.url}/authorize",
                            "token_endpoint": f"{provider.url}/token",
                            "userinfo_endpoint": f"{provider.url}/userinfo",
                            "jwks_uri": f"{provider.url}/jwks",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        },
                    )
                elif url.path == "/jwks":
                    self.reply(200, provider.jwks())
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = (
                        f"{query['redirect_uri']}?{urllib.parse.urlencode({'code': code, 'state': query['state']})}"
                    )
                    self.reply(302, location=target)
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    self.reply(200, provider.user) if token in provider.tokens else self.reply(401)
                else:
                    self.reply(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                asked = provider.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if (
                    asked is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or asked.get("code_challenge") != challenge
                    or asked.get("code_challenge_method") != "S256"
                ):
                    self.reply(400, {"error": "invalid_grant"})
                    return
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = {}
                now = int(time.time())
                id_token = jwt.encode(
                    {**provider.user, "iss": provider.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300},
                    provider.signing_key,
                    algorithm="RS256" if provider.signing_key is not None else "none",
                    headers={"kid": "k1"},
                )
                self.reply(
                    200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
                )

        return Handler

    def __enter__(self) -> FakeProvider:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as running:
        config = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "eid",
                        "name": "itsme / eID",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {
                            "server_url": running.url,
                            "token_auth_method": "client_secret_post",
                            "oauth_pkce_enabled": True,
                        },
                    }
                ],
            }
        }
        with override_settings(SOCIALACCOUNT_PROVIDERS=config):
            yield running


def test_full_authorization_code_flow(client: Client, provider: FakeProvider) -> None:
    start = client.post("/nl/accounts/oidc/eid/login/")
    assert start.status_code == 302
    authorize = urllib.parse.urlsplit(start["Location"])
    assert authorize.netloc == provider.url.removeprefix("http://")
    params = dict(urllib.parse.parse_qsl(authorize.query))
    assert params["code_challenge_method"] == "S256" and params["response_type"] == "code"

    import requests  # the browser's step at the provider: it approves and sends the person back

    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    callback = urllib.parse.urlsplit(back.headers["Location"])
    done = client.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 302, done.content.decode()[:500]
    user = get_user_model().objects.get(email="marie.claes@example.be")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/nl/me/").status_code == 200
    assert Person.objects.filter(user=user).count() == 1


def test_a_forged_callback_is_refused(client: Client, provider: FakeProvider) -> None:
    client.post("/nl/accounts/oidc/eid/login/")
    response = client.get("/nl/accounts/oidc/eid/login/callback/", {"code": "made-up", "state": "wrong"})
    assert response.status_code in {200, 400, 401}
    assert "_auth_user_id" not in client.session


def sign_in_through_the_provider(client: Client) -> Any:
    """The browser's round trip: our login page, the provider (auto-approving), back to our callback."""
    import requests

    start = client.post("/nl/accounts/oidc/eid/login/")
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    callback = urllib.parse.urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


@pytest.mark.parametrize("signing_key", ["another key", None])
def test_an_id_token_without_a_valid_signature_is_refused(
    client: Client, provider: FakeProvider, signing_key: str | None
) -> None:
    """ASVS 6.8.2: the signature is checked even though the token came straight from the token endpoint."""
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if signing_key else None
    sign_in_through_the_provider(client)
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="marie.claes@example.be").exists()


def test_the_provider_cannot_take_over_a_local_account_with_the_same_email(
    client: Client, provider: FakeProvider
) -> None:
    """ASVS 6.8.1: the provider's user is its (provider, sub), never an email address that happens to match."""
    from allauth.account.models import EmailAddress

    local = get_user_model().objects.create_user(
        username="marie", email="marie.claes@example.be", password="een-lang-eigen-wachtwoord"
    )
    EmailAddress.objects.create(user=local, email=local.email, verified=True, primary=True)
    sign_in_through_the_provider(client)
    assert client.session.get("_auth_user_id") != str(local.pk)


def test_staff_coming_through_the_provider_still_give_their_authenticator_code(
    demo_city: None, client: Client, provider: FakeProvider
) -> None:
    """ASVS 6.8.4 and 6.3.4: the provider's "acr"/"amr" are not trusted as a second factor; ours is asked."""
    from allauth.socialaccount.models import SocialAccount

    from apps.people.demo import DEMO_ACCOUNTS, demo_totp_code

    coordinator = next(a for a in DEMO_ACCOUNTS if a.role.value == "coordinator")
    user = get_user_model().objects.get(username=coordinator.email)
    SocialAccount.objects.create(user=user, provider="eid", uid=provider.user["sub"])
    done = sign_in_through_the_provider(client)
    assert done.status_code == 302 and "/accounts/2fa/authenticate/" in done["Location"]
    assert "_auth_user_id" not in client.session
    client.post(done["Location"], {"code": demo_totp_code(coordinator)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_starting_a_provider_sign_in_needs_a_click(client: Client, provider: FakeProvider) -> None:
    """ASVS 7.6.2: a link or a redirect alone never starts a session: the page asks to continue (POST)."""
    page = client.get("/nl/accounts/oidc/eid/login/")
    assert page.status_code == 200 and 'method="post"' in page.content.decode()


def test_a_session_from_the_provider_ends_like_any_other(
    client: Client, provider: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ASVS 7.6.1: our own limits hold whatever the provider's session does; after them, the provider again."""
    sign_in_through_the_provider(client)
    assert client.get("/nl/me/").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 60)
    response = client.get("/nl/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
