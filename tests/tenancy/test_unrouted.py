"""A path inside a municipality that matches no route: its 404 page keeps that municipality."""


def test_unknown_page_under_prefix_is_the_municipalitys_404(client):
    response = client.get("/poti/no-such-page")
    assert response.status_code == 404
    assert "ფოთის მუნიციპალიტეტი" in response.text
    assert 'href="/poti/theme.css"' in response.text
    assert 'href="/poti/"' in response.text


def test_unknown_page_on_own_domain_keeps_links_without_prefix(client):
    response = client.get("/no-such-page", headers={"Host": "poti.gov.ge"})
    assert response.status_code == 404
    assert "ფოთის მუნიციპალიტეტი" in response.text
    assert "/poti/" not in response.text


def test_unknown_page_on_shared_host_is_the_platforms_404(client):
    response = client.get("/no-such-municipality/page")
    assert response.status_code == 404
    assert "theme.css" not in response.text
