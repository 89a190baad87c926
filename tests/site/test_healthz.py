def test_it_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django fails this test if the view opens a connection.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
