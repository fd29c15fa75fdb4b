"""Issue 4 through third-party clients: authlib's OAuth2Session (public client with PKCE S256,
confidential client with authlib's private_key_jwt), a `requests` session playing the browser,
a device simulated with joserfc, and ID tokens validated by joserfc against /jwks."""
import base64
import hashlib
import json
import os
import socket
import subprocess
import time

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from conftest import ROOT
from login_support import Browser, Device, callback_params, login, read_page

PUBLIC_REDIRECT = "http://127.0.0.1:53117/callback"      # registered as http://127.0.0.1/callback: any port (RFC 8252 §7.3)
CONFIDENTIAL_REDIRECT = "http://127.0.0.1:8090/callback"


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """authlib's assertions live 3600 s by default and the broker takes at most 300 s, so each
    assertion gets `exp` 60 s ahead. A fresh claims dict per call also keeps authlib from reusing
    one `jti` (it stores the generated jti into the dict it was given)."""

    def sign(self, auth, token_endpoint):
        self.claims = {"exp": int(time.time()) + 60}
        return super().sign(auth, token_endpoint)


@pytest.fixture(scope="module")
def provider(broker):
    d = broker.get("/.well-known/openid-configuration").json()
    assert d["issuer"] == broker.url
    assert "S256" in d["code_challenge_methods_supported"] and "plain" not in d["code_challenge_methods_supported"]
    assert d["authorization_response_iss_parameter_supported"] is True
    d["keys"] = KeySet.import_key_set(requests.get(d["jwks_uri"], timeout=10).json())
    return d


def at_hash(access_token):
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def validate_id_token(provider, id_token, client_id, alg, nonce, access_token):
    token = jwt.decode(id_token, provider["keys"], algorithms=[alg])
    assert token.header["alg"] == alg and token.header.get("kid")
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider["issuer"]}, aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce}, exp={"essential": True}, iat={"essential": True},
        sub={"essential": True}, acr={"essential": True}, at_hash={"essential": True, "value": at_hash(access_token)})
    registry.validate(token.claims)
    claims = token.claims
    assert claims["acr"] in provider["acr_values_supported"]
    assert claims["exp"] - claims["iat"] <= 3600 and claims["auth_time"] <= claims["iat"]
    assert claims.get("azp", client_id) == client_id
    return claims


def public_session():
    return OAuth2Session("queue-online", scope="openid profile offline_access", redirect_uri=PUBLIC_REDIRECT,
                         code_challenge_method="S256", token_endpoint_auth_method="none")


def confidential_session(provider):
    key = ECKey.import_key(json.loads((ROOT / "Examples/LinkageCenter/linkage-center-test-key.json").read_text()))
    session = OAuth2Session("linkage-center", key, scope="openid profile pid offline_access",
                            redirect_uri=CONFIDENTIAL_REDIRECT, code_challenge_method="S256",
                            token_endpoint_auth_method="private_key_jwt",
                            revocation_endpoint_auth_method="private_key_jwt")   # authlib's default is client_secret_basic
    # Without a fixed token endpoint authlib puts the URL each request goes to in `aud`: the
    # token endpoint at /token, the introspection endpoint at /introspect, and so on.
    session.register_client_auth_method(ShortLivedPrivateKeyJWT(alg="ES256"))
    return session


def start(session, provider, **extra):
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session.create_authorization_url(provider["authorization_endpoint"], code_verifier=verifier,
                                                  nonce=nonce, **extra)
    assert "code_challenge_method=S256" in url
    return url, state, verifier, nonce


def test_public_client_full_flow(broker, provider, citizen_id):
    device, browser, client = Device(broker, citizen_id), Browser(), public_session()
    url, state, verifier, nonce = start(client, provider)
    callback = login(browser, device, url, PUBLIC_REDIRECT)
    params = callback_params(callback)
    assert params["state"] == state and params["iss"] == provider["issuer"] and "code" in params  # RFC 9207

    token = client.fetch_token(provider["token_endpoint"], authorization_response=callback, state=state,
                               code_verifier=verifier)
    assert token["token_type"].lower() == "bearer" and token.get("refresh_token")
    claims = validate_id_token(provider, token["id_token"], "queue-online", "ES256", nonce, token["access_token"])
    assert "ial" in claims and "aal" in claims

    info = client.get(provider["userinfo_endpoint"]).json()
    assert info["sub"] == claims["sub"]
    assert info["given_name"] == "Somchai" and info["family_name"] == "Rakthai"
    assert info["given_name#th"] == "สมชาย" and info["family_name#th"] == "รักไทย" and info["birthdate"] == "1985-02-11"
    assert "pid" not in info   # queue-online has no pid scope

    # refresh rotation: the new token works, the old one is refused after use, and reusing it
    # revokes the family (RFC 9700 §4.14.2)
    first = token["refresh_token"]
    rotated = client.refresh_token(provider["token_endpoint"], refresh_token=first)
    assert rotated["refresh_token"] != first and rotated["access_token"] != token["access_token"]
    reuse = requests.post(provider["token_endpoint"], timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": first, "client_id": "queue-online"})
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    family = requests.post(provider["token_endpoint"], timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": rotated["refresh_token"], "client_id": "queue-online"})
    assert family.status_code == 400 and family.json()["error"] == "invalid_grant"

    # single sign-on: a second login in the same browser needs no device; the sub is stable
    url, state, verifier, nonce = start(client, provider)
    params = callback_params(login(browser, device, url, PUBLIC_REDIRECT))
    assert params["state"] == state
    again = client.fetch_token(provider["token_endpoint"], code=params["code"], code_verifier=verifier)
    second = validate_id_token(provider, again["id_token"], "queue-online", "ES256", nonce, again["access_token"])
    assert second["sub"] == claims["sub"] and second["acr"] == claims["acr"]


def test_confidential_client_full_flow(broker, provider, citizen_id):
    device, browser, client = Device(broker, citizen_id), Browser(), confidential_session(provider)
    url, state, verifier, nonce = start(client, provider)
    callback = login(browser, device, url, CONFIDENTIAL_REDIRECT)
    params = callback_params(callback)
    assert params["state"] == state and params["iss"] == provider["issuer"]

    token = client.fetch_token(provider["token_endpoint"], authorization_response=callback, state=state,
                               code_verifier=verifier)
    claims = validate_id_token(provider, token["id_token"], "linkage-center", "RS256", nonce, token["access_token"])
    info = client.get(provider["userinfo_endpoint"]).json()
    assert info["sub"] == claims["sub"] and info["pid"] == citizen_id and info["name#th"]

    access = token["access_token"]
    r = client.introspect_token(provider["introspection_endpoint"], token=access)
    assert r.status_code == 200 and r.json()["active"] is True and r.json()["client_id"] == "linkage-center"
    r = client.revoke_token(provider["revocation_endpoint"], token=access)
    assert r.status_code == 200
    r = client.introspect_token(provider["introspection_endpoint"], token=access)
    assert r.status_code == 200 and r.json() == {"active": False}
    r = requests.get(provider["userinfo_endpoint"], headers={"Authorization": f"Bearer {access}"}, timeout=10)
    assert r.status_code == 401

    # RP-initiated logout: back to the registered address with our state, and the broker
    # session is gone (the next login asks for the citizen ID again)
    r, back = browser.go("GET", provider["end_session_endpoint"] + "?" + requests.compat.urlencode({
        "id_token_hint": token["id_token"], "post_logout_redirect_uri": "http://127.0.0.1:8090/", "state": "bye"}),
        "http://127.0.0.1:8090/")
    if back is None:   # a confirmation page first
        page = read_page(r)
        form_id = next(iter(page.forms))
        r, back = browser.submit(r, form_id, "http://127.0.0.1:8090/")
    assert back is not None and callback_params(back).get("state") == "bye"
    url, *_ = start(client, provider)
    r, callback = browser.go("GET", url, CONFIDENTIAL_REDIRECT)
    assert callback is None and "login-form" in read_page(r).forms


def test_unregistered_redirect_uri_is_not_redirected(broker, provider):
    client = OAuth2Session("linkage-center", scope="openid", redirect_uri="http://127.0.0.1:8091/callback",
                           code_challenge_method="S256")
    url, *_ = client.create_authorization_url(provider["authorization_endpoint"], code_verifier=generate_token(48),
                                              nonce="n")
    r = requests.get(url, allow_redirects=False, timeout=10)
    assert r.status_code == 400 and "Location" not in r.headers


def test_reused_code_fails_and_revokes_the_first_tokens(broker, provider, citizen_id):
    device, browser, client = Device(broker, citizen_id), Browser(), public_session()
    url, state, verifier, nonce = start(client, provider)
    code = callback_params(login(browser, device, url, PUBLIC_REDIRECT))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": PUBLIC_REDIRECT,
            "code_verifier": verifier, "client_id": "queue-online"}
    first = requests.post(provider["token_endpoint"], data=form, timeout=10)
    assert first.status_code == 200, first.text
    second = requests.post(provider["token_endpoint"], data=form, timeout=10)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    r = requests.post(provider["token_endpoint"], timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"], "client_id": "queue-online"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    r = requests.get(provider["userinfo_endpoint"], headers={"Authorization": f"Bearer {first.json()['access_token']}"},
                     timeout=10)
    assert r.status_code == 401


def test_denial_on_the_device_is_access_denied(broker, provider, citizen_id):
    device, browser, client = Device(broker, citizen_id), Browser(), public_session()
    url, state, *_ = start(client, provider)
    params = callback_params(login(browser, device, url, PUBLIC_REDIRECT, approve=False))
    assert params["error"] == "access_denied" and params["state"] == state and params["iss"] == provider["issuer"]
    assert "code" not in params


def test_wrong_number_is_refused_by_the_broker(broker, provider, citizen_id):
    device, browser, client = Device(broker, citizen_id), Browser(), public_session()
    url, *_ = start(client, provider)
    r, _ = browser.go("GET", url, PUBLIC_REDIRECT)
    r, _ = browser.submit(r, "login-form", PUBLIC_REDIRECT, overrides={"citizen_id": citizen_id})
    shown = read_page(r).outputs["number-challenge"].strip()
    wrong = str((int(shown) + 1) % 100).zfill(len(shown))
    pending = device.pending()
    answer = device.decide(pending["request_id"], True, wrong)
    assert answer.status_code == 400 and answer.json()["error"] == "wrong_number"


def test_demo_script_runs_whole_logins():
    """README's first command: the demo enrolls the citizen, then both examples log in."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DEMO_EXIT="1", PORT=str(port))
    result = subprocess.run([str(ROOT / "scripts" / "demo")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "booked queue slot" in result.stdout and "for Somying Jaidee" in result.stdout
    assert "signed in as สมหญิง ใจดี · Somying Jaidee; citizen ID 1101700203450" in result.stdout
    assert "signed out: back at http://127.0.0.1:8090/" in result.stdout
