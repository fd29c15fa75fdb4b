"""One federated login through the demo bank, printed step by step (see README.md).

usage: federated_login.py HUB_URL BANK_URL BANK_DB PHISUT_BINARY CITIZEN_ID"""
import base64
import json
import pathlib
import sys

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Interop"))
import conftest  # noqa: E402  (the officer command and the broker handle)
from login_support import Browser, Device, callback_params, read_page  # noqa: E402

REDIRECT = "http://127.0.0.1:53119/callback"   # queue-online's loopback redirect, any port


def main(hub, bank_url, bank_db, phisut, citizen_id):
    conftest.BIN = pathlib.Path(phisut).parent
    bank = conftest.Broker(None, bank_url, bank_db, None)
    device = Device(bank, citizen_id)
    print(f"   the citizen enrolled a phone at the bank (device {device.device_id})")
    discovery = Browser().http.get(hub + "/.well-known/openid-configuration", timeout=10).json()
    client = OAuth2Session("queue-online", scope="openid profile", redirect_uri=REDIRECT, code_challenge_method="S256",
                           token_endpoint_auth_method="none")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce,
                                                 idp_hint="bank")
    browser = Browser()
    r, _ = browser.go("GET", url, REDIRECT)
    print(f"   Queue Online → hub /authorize?idp_hint=bank → {r.url.split('?')[0]} (the bank's login page)")
    r, _ = browser.submit(r, "login-form", REDIRECT, overrides={"citizen_id": citizen_id})
    number = read_page(r).outputs["number-challenge"].strip()
    pending = device.pending()
    print(f"   the bank pushed a request to the phone for {pending['client_name']}; it approves with number {number}")
    device.decide(pending["request_id"], True, number)
    r, callback = browser.submit(r, "continue-form", REDIRECT)
    while callback is None:
        where = "bank" if r.url.startswith(bank_url) else "hub"
        r, callback = browser.submit(r, "consent-form", REDIRECT, button=("consent", "allow"))
        print(f"   consent allowed at the {where}")
    params = callback_params(callback)
    token = client.fetch_token(discovery["token_endpoint"], code=params["code"], code_verifier=verifier)
    payload = token["id_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    print(f"   the hub's ID token: amr {claims['amr']}, acr {claims['acr']}, sub {claims['sub'][:12]}… (pairwise)")
    info = client.get(discovery["userinfo_endpoint"]).json()
    print(f"   userinfo at the hub: {info.get('given_name')} {info.get('family_name')}")


if __name__ == "__main__":
    main(*sys.argv[1:6])
