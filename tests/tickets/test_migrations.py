import pytest
from django.contrib.auth.models import Group
from django.db import connection

from tests.services import require_postgres


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    perms = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert {"add_ticket", "change_ticket", "view_ticket"} <= perms["desk"]
    assert (
        "view_ticket" in perms["college_teacher"] and "add_ticket" not in perms["college_teacher"]
    )
    assert "report_viewer" in perms


@pytest.mark.postgres
@pytest.mark.django_db
def test_text_search_has_a_trigram_index():
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'tickets_ticket'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"ticket_text_trgm", "ticket_number_trgm"} <= names
