import pytest

from tests.base import password_of


@pytest.mark.django_db
def test_five_bad_logins_lock_the_account_even_with_the_right_password(client, desk):
    for _ in range(5):
        client.post("/accounts/login/", {"username": desk.username, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": desk.username, "password": password_of(desk)}
    )
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_right_password_logs_in_to_my_tickets(client, desk):
    response = client.post(
        "/accounts/login/",
        {"username": desk.username, "password": password_of(desk)},
        follow=True,
    )
    # desk staff land on the desk home page, its first count their open tickets
    assert response.redirect_chain[-1][0] == "/tickets/home/"
    assert 'href="/tickets/?assignee=me&amp;status=open"' in response.content.decode()
