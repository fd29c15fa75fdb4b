"""Issue 7 interop: the broker federates to a second Phisut instance (a "bank") and to a
third-party OpenID provider built from authlib's server classes, all on loopback. A relying
party (queue-online, through authlib's client) signs in at the hub; the citizen is sent
upstream by `idp_hint`, and the hub's own tokens come back with `amr` fed, the mapped `acr`
and a pairwise `sub`."""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

import authlib_provider
from conftest import BIN, ROOT, Broker, check_digit
from login_support import Browser, Device, callback_params, read_page

RP_REDIRECT = "http://127.0.0.1:53118/callback"   # queue-online: any loopback port (RFC 8252 §7.3)
BANK_SECRET = "bank-interop-secret"
PYOP_SECRET = "pyop-interop-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(workdir, name, port, metadata, issuer, env):
    db = os.path.join(workdir, name + ".sqlite")
    process = subprocess.Popen(
        [str(BIN / "phisut"), "serve", "--port", str(port), "--issuer", issuer, "--db", db, "--metadata", metadata],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
    line = process.stdout.readline()
    if not re.match(r"listening on http://\S+", line):
        process.kill()
        raise RuntimeError(f"{name} did not start: {line!r} {process.stderr.read()}")
    return Broker(process, issuer, db, workdir)


def write(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)


class Federation:
    def __init__(self, hub, bank, pyop):
        self.hub, self.bank, self.pyop = hub, bank, pyop
        self.discovery = requests.get(hub.url + "/.well-known/openid-configuration", timeout=10).json()
        self.keys = KeySet.import_key_set(requests.get(self.discovery["jwks_uri"], timeout=10).json())


@pytest.fixture(scope="module")
def federation():
    with tempfile.TemporaryDirectory() as workdir:
        hub_port, bank_port, pyop_port = free_port(), free_port(), free_port()
        hub_url = f"http://127.0.0.1:{hub_port}"
        # The bank answers on `localhost` so the browser keeps its cookies apart from the hub's.
        bank_url = f"http://localhost:{bank_port}"

        bank_metadata = os.path.join(workdir, "bank-metadata")
        shutil.copytree(ROOT / "Metadata" / "terms", os.path.join(bank_metadata, "terms"))
        write(os.path.join(bank_metadata, "clients", "phisut-hub.json"), {
            "client_id": "phisut-hub", "client_name": "Phisut hub", "application_type": "web",
            "token_endpoint_auth_method": "client_secret_basic", "client_secret": BANK_SECRET,
            "redirect_uris": [hub_url + "/federation/bank/callback"], "grant_types": ["authorization_code"],
            "response_types": ["code"], "scope": "openid profile pid", "id_token_signed_response_alg": "ES256"})

        pyop = authlib_provider.Provider("phisut-hub", PYOP_SECRET, hub_url + "/federation/pyop/callback",
                                         authlib_provider.User("pyop-user-1", check_digit("570990012345")))
        pyop_server = authlib_provider.serve(pyop, pyop_port)

        hub_metadata = os.path.join(workdir, "hub-metadata")
        shutil.copytree(ROOT / "Metadata", hub_metadata)
        claims = {"citizen_id": "pid", "given_name": "given_name", "family_name": "family_name"}
        write(os.path.join(hub_metadata, "idps", "bank.json"), {
            "id": "bank", "issuer": bank_url, "display_name": {"th": "ธนาคารสาธิต", "en": "Demo Bank"},
            "client_id": "phisut-hub", "token_endpoint_auth_method": "client_secret_basic",
            "client_secret_env": "BANK_SECRET", "scopes": ["openid", "profile", "pid"], "claims": claims,
            # The bank proofs at its counter (IAL 3) and approves on the phone (AAL 2.2); the hub
            # trusts it one step less for identity.
            "acr_map": {"phisut:ial-3:aal-2.2": {"ial": "2.3", "aal": "2.2"}},
            "default_assurance": {"ial": "1.1", "aal": "1"}})
        write(os.path.join(hub_metadata, "idps", "pyop.json"), {
            "id": "pyop", "issuer": pyop.issuer, "display_name": {"th": "ผู้ให้บริการไพทอน", "en": "Python OP"},
            "client_id": "phisut-hub", "token_endpoint_auth_method": "client_secret_basic",
            "client_secret_env": "PYOP_SECRET", "scopes": ["openid", "profile"], "claims": claims,
            "acr_map": {authlib_provider.ACR: {"ial": "2.1", "aal": "2.1"}}})

        bank = serve(workdir, "bank", bank_port, bank_metadata, bank_url, {})
        hub = serve(workdir, "hub", hub_port, hub_metadata, hub_url, {"BANK_SECRET": BANK_SECRET, "PYOP_SECRET": PYOP_SECRET})
        yield Federation(hub, bank, pyop)
        for broker in (hub, bank):
            broker.process.terminate()
            broker.process.wait(timeout=15)
        pyop_server.shutdown()


def rp_session():
    return OAuth2Session("queue-online", scope="openid profile", redirect_uri=RP_REDIRECT, code_challenge_method="S256",
                         token_endpoint_auth_method="none")


def start(federation, **extra):
    client, verifier, nonce = rp_session(), generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(federation.discovery["authorization_endpoint"], code_verifier=verifier,
                                                 nonce=nonce, **extra)
    return client, url, state, verifier, nonce


def consent_through(browser, r, stop_at):
    """Allows on every consent page (the bank's for the hub, then the hub's for the RP)."""
    for _ in range(3):
        r, callback = browser.submit(r, "consent-form", stop_at, button=("consent", "allow"))
        if callback:
            return r, callback
    raise AssertionError(f"no redirect after consent: {r.status_code} {r.text[:300]}")


def redeem(federation, client, callback, state, verifier, nonce):
    params = callback_params(callback)
    assert params["state"] == state and params["iss"] == federation.discovery["issuer"], params
    token = client.fetch_token(federation.discovery["token_endpoint"], code=params["code"], code_verifier=verifier)
    claims = jwt.decode(token["id_token"], federation.keys, algorithms=["ES256", "EdDSA", "RS256"]).claims
    assert claims["iss"] == federation.discovery["issuer"] and claims["aud"] in ("queue-online", ["queue-online"])
    assert claims["nonce"] == nonce
    return claims


def test_login_page_offers_each_upstream(federation):
    _, url, *_ = start(federation)
    r, callback = Browser().go("GET", url, RP_REDIRECT)
    assert callback is None and r.status_code == 200
    assert set(re.findall(r'data-idp="([a-z0-9-]+)"', r.text)) == {"bank", "pyop"}
    assert "Demo Bank" in r.text and "Python OP" in r.text


def test_federated_login_through_a_second_phisut(federation, citizen_id):
    device = Device(federation.bank, citizen_id)   # the citizen is enrolled at the bank, not at the hub
    browser = Browser()
    client, url, state, verifier, nonce = start(federation, idp_hint="bank")
    r, callback = browser.go("GET", url, RP_REDIRECT)
    assert callback is None and r.url.startswith(federation.bank.url + "/login/"), r.url   # idp_hint skipped the choice

    r, _ = browser.submit(r, "login-form", RP_REDIRECT, overrides={"citizen_id": citizen_id})
    number = read_page(r).outputs["number-challenge"].strip()
    pending = device.pending()
    assert device.decide(pending["request_id"], True, number).json()["status"] == "approved"
    r, _ = browser.submit(r, "continue-form", RP_REDIRECT)
    # The bank asks its consent for the hub; its redirect back to the hub is kept for a replay.
    r, hub_callback = browser.submit(r, "consent-form", federation.hub.url + "/federation/", button=("consent", "allow"))
    assert hub_callback and "state=" in hub_callback
    r, callback = browser.go("GET", hub_callback, RP_REDIRECT)
    if callback is None:
        r, callback = consent_through(browser, r, RP_REDIRECT)

    claims = redeem(federation, client, callback, state, verifier, nonce)
    assert "fed" in claims["amr"]
    assert claims["acr"] == "phisut:ial-2.3:aal-2.2" and claims["ial"] == "2.3" and claims["aal"] == "2.2"

    # The link is the citizen's to see; the bank's subject for the hub never reaches the RP.
    links = browser.http.get(federation.hub.url + "/account/links", headers={"Accept": "application/json"}, timeout=10).json()
    assert [link["idp"] for link in links["links"]] == ["bank"]

    # The same callback again: the state is spent.
    replay = browser.http.get(hub_callback, allow_redirects=False, timeout=10)
    assert replay.status_code == 400 and 'data-error="federation_state_invalid"' in replay.text


def test_federated_login_through_an_authlib_provider(federation):
    browser = Browser()
    client, url, state, verifier, nonce = start(federation, kc_idp_hint="pyop")
    r, callback = browser.go("GET", url, RP_REDIRECT)
    if callback is None:
        r, callback = consent_through(browser, r, RP_REDIRECT)
    claims = redeem(federation, client, callback, state, verifier, nonce)
    assert claims["amr"] == ["fed"]
    assert claims["acr"] == "phisut:ial-2.1:aal-2.1"
    assert claims["sub"] != "pyop-user-1"
    info = client.get(federation.discovery["userinfo_endpoint"]).json()
    assert info["sub"] == claims["sub"] and info["given_name"] == "Malee"


def test_upstream_citizen_id_with_a_bad_check_digit_is_refused(federation):
    good = federation.pyop.user.pid
    federation.pyop.user.pid = good[:-1] + str((int(good[-1]) + 1) % 10)
    try:
        _, url, *_ = start(federation, idp_hint="pyop")
        r, callback = Browser().go("GET", url, RP_REDIRECT)
        assert callback is None and r.status_code == 403
        assert 'data-error="federation_no_citizen_id"' in r.text
    finally:
        federation.pyop.user.pid = good


def test_callback_without_state_is_refused(federation):
    r = requests.get(federation.hub.url + "/federation/bank/callback?code=x", timeout=10)
    assert r.status_code == 400 and 'data-error="federation_state_invalid"' in r.text
