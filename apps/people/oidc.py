"""OpenID Connect: the signature of every ID token is checked (OWASP ASVS 5.0, 6.8.2).

allauth skips the signature check when the ID token came straight from the
token endpoint over TLS (OpenID Connect Core allows that).  ASVS asks for it
always, so ``install()`` replaces that one method of allauth's adapter: the
key is looked up by ``kid`` in the provider's JWKS, the algorithm is the one
the key declares (never the one the token's header asks for), and issuer,
audience, expiry and subject are required.
"""

from __future__ import annotations

import json
from typing import Any

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

ASYMMETRIC = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}


def decode_id_token(self: OpenIDConnectOAuth2Adapter, app: Any, id_token: str) -> dict[str, Any]:
    config = self.openid_config
    try:
        kid = jwt.get_unverified_header(id_token).get("kid")
        with get_adapter().get_requests_session() as session:
            response = session.get(config["jwks_uri"])
            response.raise_for_status()
            keys = response.json().get("keys", [])
        jwk = next((key for key in keys if key.get("kid") == kid), None)
        if jwk is None:
            raise OAuth2Error("ID token signed with an unknown key")
        algorithm = jwk.get("alg", "RS256")
        if algorithm not in ASYMMETRIC:
            raise OAuth2Error(f"ID token algorithm {algorithm} not accepted")
        key = jwt.algorithms.get_default_algorithms()[algorithm].from_jwk(json.dumps(jwk))
        data: dict[str, Any] = jwt.decode(
            id_token,
            key=key,
            algorithms=[algorithm],
            audience=app.client_id,
            issuer=config["issuer"],
            options={"require": ["exp", "iat", "iss", "aud", "sub"], "verify_signature": True},
        )
    except (jwt.PyJWTError, OSError, KeyError, ValueError, TypeError) as error:
        raise OAuth2Error("Invalid id_token") from error
    jwtkit.verify_jti(data)
    return data


def install() -> None:
    OpenIDConnectOAuth2Adapter._decode_id_token = decode_id_token  # type: ignore[method-assign]
