"""The file store: keys that rows keep, files under the instance folder, nothing outside it,
files that follow their transaction, and the back end named by ``PORTAL_FILE_STORE``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.services import storage
from portal.services.storage import LocalFileStore


def test_a_saved_file_is_read_sent_and_deleted_by_its_key(ctx, app):
    key, safe = storage.save("poti", "../ოქმი 2025.txt", "ოქმი".encode())
    assert safe == "ოქმი_2025.txt"
    folder, name = key.split("/")
    assert folder == "poti" and name.endswith("_ოქმი_2025.txt") and len(name.split("_")[0]) == 12
    # The key is the path under <instance>/archive, as stored rows expect.
    assert storage.path_of(key) == (storage.root() / key).resolve()
    assert storage.exists(key) and storage.read(key) == "ოქმი".encode()
    with app.test_request_context():
        response = storage.send(key, mimetype="text/plain")
        response.direct_passthrough = False
        with response:
            assert response.mimetype == "text/plain" and response.get_data() == "ოქმი".encode()
    storage.file_store().delete(key)
    assert not storage.exists(key)
    storage.file_store().delete(key)  # already gone: nothing to do


def test_a_key_cannot_leave_the_store(ctx, tmp_path):
    store = LocalFileStore(tmp_path / "archive")
    (tmp_path / "secret.txt").write_text("no")
    assert not store.exists("../secret.txt")
    with pytest.raises(FileNotFoundError):
        store.open("../secret.txt")
    with pytest.raises(FileNotFoundError):
        store.delete("../secret.txt")
    assert (tmp_path / "secret.txt").exists()


def test_stored_files_follow_their_transaction(ctx):
    db.session.execute(text("SELECT 1"))  # the transaction the files belong to
    kept, _ = storage.save("poti", "kept.txt", b"1")
    dropped, _ = storage.save("poti", "dropped.txt", b"2")
    storage.unlink_on_rollback(dropped)
    db.session.rollback()
    assert storage.exists(kept) and not storage.exists(dropped)
    storage.unlink_on_commit(kept)
    assert storage.exists(kept)  # until the commit
    db.session.commit()
    assert not storage.exists(kept)


def test_the_back_end_is_chosen_by_config(ctx, app, monkeypatch, tmp_path):
    from portal.config import ConfigError, load_config

    assert app.config["PORTAL_FILE_STORE"] == "local"
    assert isinstance(storage.file_store(), LocalFileStore)
    monkeypatch.setenv("PORTAL_FILE_STORE", "s3")
    with pytest.raises(ConfigError, match="PORTAL_FILE_STORE='s3'"):
        load_config(str(tmp_path))
    monkeypatch.setitem(app.config, "PORTAL_FILE_STORE", "s3")
    with pytest.raises(RuntimeError, match="PORTAL_FILE_STORE='s3'"):
        storage.file_store()
