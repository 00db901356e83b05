"""A database that stops answering (issue 15): requests answer 503 in the error shape (a page in a
browser) within 5 seconds, and the service recovers when it answers again, with no restart.

The database is reached through a TCP relay in this test; "freezing" it drops the open
connections and then accepts new ones without ever answering, as a hung server or a dead link
does, so each request waits out the connect timeout (3 s)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.store.db import make_engine


class Relay:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.frozen = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.open.append(client)
            if self.frozen:
                continue  # held open, never answered
            upstream = socket.create_connection(self.target)
            self.open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def freeze(self) -> None:
        self.frozen = True
        for s in self.open:
            s.close()
        self.open = []

    def thaw(self) -> None:
        self.frozen = False

    def close(self) -> None:
        self.listener.close()
        for s in self.open:
            s.close()


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_frozen_database_answers_503_within_5_seconds_and_recovers(engine, world):
    url = engine.url
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relayed = make_engine(
        url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    )
    app = create_app(Settings(database_url=str(engine.url)), engine=relayed)
    client = TestClient(app, base_url="https://testserver")
    try:
        assert client.get("/ready").status_code == 200
        assert client.get(f"/api/v1/plans/{world.published_plan_id}").status_code == 200
        relay.freeze()
        for address, accept in (
            ("/ready", "application/json"),
            (f"/api/v1/plans/{world.published_plan_id}", "application/json"),
            (f"/plans/{world.published_plan_id}", "text/html"),
        ):
            started = time.monotonic()
            answer = client.get(address, headers={"accept": accept})
            took = time.monotonic() - started
            assert answer.status_code == 503, (address, answer.text[:300])
            assert took < 5, (address, took)
            if accept == "application/json":
                assert "database" in answer.json()["error"]["message"]
            else:
                assert "Sorry, the service is unavailable" in answer.text
        assert client.get("/health").status_code == 200  # the process itself is alive
        relay.thaw()
        assert client.get("/ready").status_code == 200
        assert client.get(f"/api/v1/plans/{world.published_plan_id}").status_code == 200
    finally:
        relay.close()
        relayed.dispose()
