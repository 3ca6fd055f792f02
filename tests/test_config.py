"""Configuration: the secret key is created once and shared by every worker."""

from concurrent.futures import ThreadPoolExecutor

from deskcore.config import secret_key


def test_workers_starting_together_share_one_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("DESKCORE_SECRET_KEY", raising=False)
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_key(tmp_path, create=True), range(32)))
    assert keys == {(tmp_path / "secret_key").read_text()}
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKCORE_SECRET_KEY", "from-env")
    assert secret_key(tmp_path, create=True) == "from-env"
    assert not (tmp_path / "secret_key").exists()
