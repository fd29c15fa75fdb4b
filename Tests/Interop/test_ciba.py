"""Issue 5 (CIBA Core 1.0) through third-party code: `requests` for /bc-authorize and /token,
joserfc for the counter-desk client's private_key_jwt assertions and for checking the ID token
against /jwks, a device simulated with joserfc (login_support.Device), and a loopback
notification endpoint (http.server on a thread) for ping mode."""
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from conftest import ROOT
from login_support import Device

GRANT = "urn:openid:params:grant-type:ciba"
NOTIFY_PORT = 8095          # Metadata/clients/counter-desk-ping.json registers http://127.0.0.1:8095/ciba/notify
KEY = ECKey.import_key(json.loads((ROOT / "Examples" / "CounterDesk" / "counter-desk-test-key.json").read_text()))


@pytest.fixture(scope="module")
def provider(broker):
    d = broker.get("/.well-known/openid-configuration").json()
    assert d["backchannel_authentication_endpoint"] == broker.url + "/bc-authorize"
    assert sorted(d["backchannel_token_delivery_modes_supported"]) == ["ping", "poll"]
    assert d["backchannel_user_code_parameter_supported"] is False
    assert "ES256" in d["backchannel_authentication_request_signing_alg_values_supported"]
    assert GRANT in d["grant_types_supported"]
    d["keys"] = KeySet.import_key_set(requests.get(d["jwks_uri"], timeout=10).json())
    return d


def client_auth(client_id, audience):
    """RFC 7523 private_key_jwt: a fresh, short-lived, single-use assertion."""
    now = int(time.time())
    assertion = jwt.encode({"alg": "ES256", "kid": KEY.kid},
                           {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60,
                            "jti": str(uuid.uuid4())}, KEY, algorithms=["ES256"])
    return {"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion}


def bc_authorize(broker, client_id, **params):
    return requests.post(broker.url + "/bc-authorize", data={**params, **client_auth(client_id, broker.url)}, timeout=10)


def token(broker, provider, client_id, auth_req_id):
    return requests.post(provider["token_endpoint"], data={
        "grant_type": GRANT, "auth_req_id": auth_req_id, **client_auth(client_id, provider["token_endpoint"])}, timeout=10)


def check_id_token(provider, id_token, client_id):
    claims = jwt.decode(id_token, provider["keys"], algorithms=["ES256"]).claims
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": provider["issuer"]}, aud={"essential": True, "value": client_id},
                          sub={"essential": True}, acr={"essential": True}, auth_time={"essential": True}).validate(claims)
    assert claims["acr"] in provider["acr_values_supported"]
    return claims


def test_poll_flow(broker, provider, citizen_id):
    device = Device(broker, citizen_id)
    r = bc_authorize(broker, "counter-desk", scope="openid profile", login_hint=citizen_id, binding_message="Desk 4 ช่อง 4")
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    answer = r.json()
    assert answer["expires_in"] == 120 and answer["interval"] == 5 and len(answer["auth_req_id"]) >= 43

    first = token(broker, provider, "counter-desk", answer["auth_req_id"])
    assert (first.status_code, first.json()["error"]) == (400, "authorization_pending")
    second = token(broker, provider, "counter-desk", answer["auth_req_id"])
    assert second.json()["error"] == "slow_down", "polled sooner than the interval"

    request = device.pending()
    assert request["client_name"] == "Counter Desk" and request["binding_message"] == "Desk 4 ช่อง 4"
    assert request["number_challenge"] is False
    assert device.decide(request["request_id"], approve=True).status_code == 200

    time.sleep(answer["interval"] + 5)        # the interval went up by 5 s with slow_down
    tokens = token(broker, provider, "counter-desk", answer["auth_req_id"])
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and "refresh_token" not in body
    claims = check_id_token(provider, body["id_token"], "counter-desk")
    assert claims["amr"] == ["swk", "pin", "mfa"]
    userinfo = requests.get(provider["userinfo_endpoint"], headers={"Authorization": "Bearer " + body["access_token"]}, timeout=10)
    assert userinfo.status_code == 200 and userinfo.json()["sub"] == claims["sub"]

    again = token(broker, provider, "counter-desk", answer["auth_req_id"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant"), "tokens once only"


class _Notifications(BaseHTTPRequestHandler):
    received = []
    arrived = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _Notifications.received.append((self.path, self.headers.get("Authorization"), json.loads(body)))
        self.send_response(204)
        self.end_headers()
        _Notifications.arrived.set()

    def log_message(self, *args):
        pass


@pytest.fixture
def notification_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", NOTIFY_PORT), _Notifications)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Notifications.received.clear()
    _Notifications.arrived.clear()
    yield _Notifications
    server.shutdown()
    server.server_close()


def test_ping_flow(broker, provider, citizen_id, notification_endpoint):
    device = Device(broker, citizen_id)
    notify_token = "ping-" + uuid.uuid4().hex
    r = bc_authorize(broker, "counter-desk-ping", scope="openid", login_hint=citizen_id, client_notification_token=notify_token)
    assert r.status_code == 200, r.text
    auth_req_id = r.json()["auth_req_id"]

    request = device.pending()
    assert request["client_name"] == "Counter Desk (ping)"
    assert device.decide(request["request_id"], approve=True).status_code == 200
    assert notification_endpoint.arrived.wait(15), "no ping arrived"
    path, authorization, body = notification_endpoint.received[0]
    assert path == "/ciba/notify"
    assert authorization == "Bearer " + notify_token
    assert body == {"auth_req_id": auth_req_id}

    tokens = token(broker, provider, "counter-desk-ping", auth_req_id)
    assert tokens.status_code == 200, tokens.text
    check_id_token(provider, tokens.json()["id_token"], "counter-desk-ping")


def test_errors(broker, provider, citizen_id):
    device = Device(broker, citizen_id)
    unknown = bc_authorize(broker, "counter-desk", scope="openid", login_hint="1234567890121")
    assert unknown.status_code == 400 and unknown.json()["error"] == "unknown_user_id"
    unsupported = bc_authorize(broker, "counter-desk", scope="openid", login_hint_token="eyJ.x.y")
    assert unsupported.json()["error"] == "invalid_request" and "not supported" in unsupported.json()["error_description"]
    binding = bc_authorize(broker, "counter-desk", scope="openid", login_hint=citizen_id, binding_message="x" * 65)
    assert binding.json()["error"] == "invalid_binding_message"
    no_token = bc_authorize(broker, "counter-desk-ping", scope="openid", login_hint=citizen_id)
    assert no_token.json()["error"] == "invalid_request"

    denied = bc_authorize(broker, "counter-desk", scope="openid", login_hint=citizen_id).json()
    request = device.pending()
    assert device.decide(request["request_id"], approve=False).status_code == 200
    r = token(broker, provider, "counter-desk", denied["auth_req_id"])
    assert (r.status_code, r.json()["error"]) == (400, "access_denied")
    other = token(broker, provider, "counter-desk-ping", denied["auth_req_id"])
    assert other.json()["error"] == "invalid_grant", "another client's auth_req_id"
