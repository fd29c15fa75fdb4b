#!/usr/bin/env python3
"""Regenerates openssl.json: JWS made by the openssl CLI (an implementation independent of
Phisut) over keys in the *.pem files here, plus each key's RFC 7638 thumbprint computed by
python-cryptography. These are throwaway test keys, not secrets. Run from this folder."""
import base64, hashlib, json, subprocess
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def uint(n): return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))

def public_jwk(path):
    text = open(path, "rb").read()
    try:
        key = serialization.load_pem_private_key(text, None).public_key()
    except ValueError:
        key = serialization.load_pem_public_key(text)
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        return {"kty": "RSA", "n": uint(numbers.n), "e": uint(numbers.e)}
    if isinstance(key, ec.EllipticCurvePublicKey):
        numbers = key.public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}

def thumbprint(jwk):
    return b64(hashlib.sha256(json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()).digest())

def openssl_sign(alg, key, signing_input):
    if alg == "EdDSA":
        open("/tmp/phisut-input", "wb").write(signing_input)
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", "/tmp/phisut-input"], check=True, capture_output=True).stdout
    args = ["openssl", "dgst", "-sha256", "-sign", key]
    if alg == "PS256":
        args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]
    der = subprocess.run(args, input=signing_input, check=True, capture_output=True).stdout
    if alg == "ES256":
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return der

payload = b64(json.dumps({"iss": "https://openssl.example", "sub": "cross-check", "exp": 2000000000}, separators=(",", ":")).encode())
vectors = {"keys": {}, "jws": []}
for path in ["p256-pkcs8.pem", "p256-spki.pem", "p256-traditional.pem", "rsa-pkcs8.pem", "rsa-traditional.pem",
             "rsa-pkcs1-public.pem", "ed25519-pkcs8.pem"]:
    jwk = public_jwk(path)
    vectors["keys"][path] = {"jwk": jwk, "thumbprint": thumbprint(jwk)}
for alg, key in [("ES256", "p256-pkcs8.pem"), ("RS256", "rsa-pkcs8.pem"), ("PS256", "rsa-pkcs8.pem"), ("EdDSA", "ed25519-pkcs8.pem")]:
    header = b64(json.dumps({"alg": alg}, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    vectors["jws"].append({"alg": alg, "key": key, "jws": f"{header}.{payload}.{b64(openssl_sign(alg, key, signing_input))}"})
json.dump(vectors, open("openssl.json", "w"), indent=2)
