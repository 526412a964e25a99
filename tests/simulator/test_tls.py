"""TLS to the platform: the simulator serves HTTPS, the console verifies its certificate
by default and trusts the hall's CA bundle when one is configured."""

from __future__ import annotations

import pytest

from console.sync.client import LinkDown, PlatformClient, tls_verify
from simulator.testing import SimProcess, running_simulator
from tests.tls import make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls_sim(tmp_path_factory, pki):
    with running_simulator(tmp_path_factory.mktemp("tls-sim"), history_days=0.05, daily_rate=200,
                           tls_cert=str(pki.cert), tls_key=str(pki.key)) as sim:
        yield sim


def test_simulator_serves_https_and_the_hall_ca_is_trusted(tls_sim, pki):
    assert tls_sim.url.startswith("https://127.0.0.1:")
    client = PlatformClient(tls_sim.url, tls_sim.token, ca_bundle=str(pki.ca))
    try:
        assert client.health().api_version
        batch = client.changes(None, 50)
        assert batch.changes
    finally:
        client.close()


def test_certificate_is_verified_by_default(tls_sim):
    client = PlatformClient(tls_sim.url, tls_sim.token)  # no CA bundle: the public CAs only
    try:
        with pytest.raises(LinkDown, match="TLS certificate could not be verified"):
            client.health()
    finally:
        client.close()


def test_a_certificate_from_another_ca_is_refused(tls_sim, tmp_path):
    other = make_pki(tmp_path / "other", cn="someone else's CA")
    client = PlatformClient(tls_sim.url, tls_sim.token, ca_bundle=str(other.ca))
    try:
        with pytest.raises(LinkDown, match="could not be verified"):
            client.health()
    finally:
        client.close()


def test_plain_http_to_the_tls_port_does_not_get_through(tls_sim):
    client = PlatformClient(tls_sim.url.replace("https://", "http://"), tls_sim.token)
    try:
        with pytest.raises(LinkDown):
            client.health()
    finally:
        client.close()


def test_missing_ca_bundle_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        tls_verify(str(tmp_path / "no-such-ca.pem"))
    assert tls_verify("") is True


def test_simulator_command_line_serves_tls(tmp_path, pki):
    proc = SimProcess(tmp_path / "d", args=["--tls-cert", str(pki.cert), "--tls-key", str(pki.key),
                                            "--history-days", "0.02", "--no-traffic", "--no-streams"])
    try:
        assert proc.url.startswith("https://")
        client = PlatformClient(proc.url, proc.token, ca_bundle=str(pki.ca))
        try:
            assert client.health().api_version
        finally:
            client.close()
    finally:
        proc.stop()
