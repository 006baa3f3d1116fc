from tests.factories import make_event


def test_index_lists_published_events(app, client):
    with app.app_context():
        make_event(title="Visible Forum")
        make_event(title="Hidden Forum", is_published=False)

    response = client.get("/")

    assert response.status_code == 200
    assert "Visible Forum" in response.get_data(as_text=True)
    assert "Hidden Forum" not in response.get_data(as_text=True)
