"""A stand-in for Amazon's signing PKI, made at test time: a root CA, an intermediate CA and
a signing certificate for `echo-api.amazon.com`, plus broken variants for negative tests.

    pki = genuine()
    pki.chain_pem          # what Amazon serves at SignatureCertChainUrl: leaf, intermediate
    pki.root_pem           # the trust anchor, for `alexa_ca_bundle`
    pki.sign(body)         # the `Signature-256` header value (SHA256withRSA, base64)

Keys are made once per test run; certificates are cheap and made per variant.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

SIGNING_NAME = "echo-api.amazon.com"
DAY = timedelta(days=1)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@cache
def _rsa_key(purpose: str) -> rsa.RSAPrivateKey:
    """One RSA key per purpose ('root', 'intermediate', 'leaf', 'stranger'), made once."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kluis test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: str,
    key: PrivateKey,
    *,
    issuer: tuple[x509.Name, PrivateKey] | None,
    ca: bool | None,
    valid: tuple[datetime, datetime],
    names: tuple[str, ...] = (),
) -> x509.Certificate:
    """A certificate for `subject`, signed by `issuer` (name, key), or self-signed."""
    issuer_name, issuer_key = issuer if issuer is not None else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
    )
    if ca is not None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=None), critical=True
        )
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


@dataclass(frozen=True, slots=True)
class Pki:
    """A signing certificate with the CAs above it, and the key that signs requests."""

    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    leaf_key: PrivateKey

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return (self.leaf, self.intermediate)

    @property
    def chain_pem(self) -> bytes:
        return pem(*self.chain)

    @property
    def root_pem(self) -> bytes:
        return pem(self.root)

    def sign(self, body: bytes) -> str:
        """`Signature-256`: SHA256withRSA over the raw body, base64."""
        return self._sign(body, hashes.SHA256())

    def sign_sha1(self, body: bytes) -> str:
        """The retired `Signature` header: SHA1withRSA."""
        return self._sign(body, hashes.SHA1())  # noqa: S303 - Amazon's retired scheme, on purpose

    def _sign(self, body: bytes, algorithm: hashes.HashAlgorithm) -> str:
        key = self.leaf_key
        if isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(body, padding.PKCS1v15(), algorithm)
        else:
            signature = key.sign(body, ec.ECDSA(algorithm))
        return base64.b64encode(signature).decode()


def build(
    *,
    now: datetime | None = None,
    leaf_names: tuple[str, ...] = (SIGNING_NAME,),
    leaf_valid: tuple[timedelta, timedelta] = (-DAY, 30 * DAY),
    intermediate_valid: tuple[timedelta, timedelta] = (-30 * DAY, 365 * DAY),
    intermediate_ca: bool = True,
    root_key: str = "root",
    root_valid: tuple[timedelta, timedelta] = (-3650 * DAY, 3650 * DAY),
    leaf_ec: bool = False,
) -> Pki:
    """A PKI whose validity periods are offsets from `now`. `root_key='stranger'` makes a
    root with another key (not the one the tests trust) under the same name."""
    moment = now or datetime.now(UTC)
    root_private = _rsa_key(root_key)
    root = _certificate(
        "Kluis Test Root CA",
        root_private,
        issuer=None,
        ca=True,
        valid=(moment + root_valid[0], moment + root_valid[1]),
    )
    intermediate_private = _rsa_key("intermediate")
    intermediate = _certificate(
        "Kluis Test Intermediate CA",
        intermediate_private,
        issuer=(root.subject, root_private),
        ca=intermediate_ca,
        valid=(moment + intermediate_valid[0], moment + intermediate_valid[1]),
    )
    leaf_private: PrivateKey = _ec_key() if leaf_ec else _rsa_key("leaf")
    leaf = _certificate(
        SIGNING_NAME,
        leaf_private,
        issuer=(intermediate.subject, intermediate_private),
        ca=False,
        valid=(moment + leaf_valid[0], moment + leaf_valid[1]),
        names=leaf_names,
    )
    return Pki(root=root, intermediate=intermediate, leaf=leaf, leaf_key=leaf_private)


@cache
def genuine() -> Pki:
    """The PKI the tests trust, valid for a month from when it is first asked for."""
    return build()


def expired_leaf() -> Pki:
    return build(leaf_valid=(-30 * DAY, -DAY))


def future_leaf() -> Pki:
    return build(leaf_valid=(DAY, 30 * DAY))


def wrong_name() -> Pki:
    return build(leaf_names=("echo-api.amazon.com.attacker.example", "attacker.example"))


def no_names() -> Pki:
    return build(leaf_names=())


def untrusted_root() -> Pki:
    """The same names, but a root key nobody trusts."""
    return build(root_key="stranger")


def intermediate_not_ca() -> Pki:
    return build(intermediate_ca=False)


def expired_intermediate() -> Pki:
    return build(intermediate_valid=(-365 * DAY, -DAY))


def expired_root() -> Pki:
    """The trusted key and name, but a root certificate that has run out."""
    return build(root_valid=(-3650 * DAY, -DAY))


def ec_leaf() -> Pki:
    return build(leaf_ec=True)
