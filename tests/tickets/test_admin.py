import pytest


@pytest.mark.django_db
def test_admin_sets_a_teachers_college_on_the_user_page(admin_client, teacher_a, make_ticket):
    t = make_ticket()
    assert admin_client.get("/admin/tickets/ticket/").status_code == 200
    assert admin_client.get(f"/admin/tickets/ticket/{t.pk}/change/").status_code == 200
    page = admin_client.get(f"/admin/auth/user/{teacher_a.pk}/change/").content.decode()
    assert "desk_profile-0-college" in page
