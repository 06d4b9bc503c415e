import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_api_token_command_prints_a_working_token(desk, capsys):
    call_command("api_token", desk.username)
    key = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + key)
    assert client.get("/api/tickets/").status_code == 200
    call_command("api_token", desk.username)
    assert capsys.readouterr().out.strip() == key


@pytest.mark.django_db
def test_api_token_for_an_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("api_token", "ghost")
