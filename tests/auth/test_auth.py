import pytest
from conftest import PASSWORD, login


def test_anonymous_sees_only_the_login_page(client, world):
    assert client.get("/login").status_code == 200
    for path in [
        "/",
        f"/programmes/{world['programme_id']}",
        f"/subprojects/{world['a']}",
        "/users",
    ]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_login_with_right_password_lands_on_overview(client, world):
    response = login(client, world["users"]["lead"])
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True)
    assert "Testprogramma" in page.get_data(as_text=True)


def test_login_is_case_insensitive_on_email(client, world):
    assert login(client, "LEAD@Example.org").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, world):
    wrong = login(client, world["users"]["lead"], "not-the-password")
    unknown = login(client, "nobody@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "E-mailadres of wachtwoord is niet juist."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_empty_login_form_says_what_is_missing(client, world):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Vul je e-mailadres in." in body
    assert "Vul je wachtwoord in." in body


def test_inactive_user_cannot_log_in(app, client, world):
    from tracker.extensions import db
    from tracker.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(email=world["users"]["lead"]).one()
        user.active = False
        db.session.commit()
    assert login(client, world["users"]["lead"]).status_code == 401


def test_login_redirects_to_next_but_never_off_site(client, world):
    target = f"/subprojects/{world['a']}"
    response = client.post(
        f"/login?next={target}", data={"email": world["users"]["lead"], "password": PASSWORD}
    )
    assert response.headers["Location"].endswith(target)
    client.post("/logout")
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": world["users"]["lead"], "password": PASSWORD},
    )
    assert "evil.example" not in response.headers["Location"]


def test_logout_ends_the_session(login_as):
    client = login_as("manager")
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_password_is_stored_hashed(app, world):
    from tracker.extensions import db
    from tracker.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(email=world["users"]["lead"]).one()
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD)
        assert not user.check_password(PASSWORD + "x")


def test_form_without_csrf_token_is_refused_with_a_clear_page(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/login", data={"email": world["users"]["lead"], "password": PASSWORD}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "beveiligingstoken" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_with_csrf_token_works(app, client, world):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={"email": world["users"]["lead"], "password": PASSWORD, "csrf_token": token},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302


def test_session_cookie_is_httponly_and_lax(client, world):
    response = login(client, world["users"]["lead"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", ["/\r", "/dashboard\nSet-Cookie: x=1", "/\\evil.example"])
def test_a_next_with_a_line_break_or_backslash_is_ignored_not_a_500(client, world, target):
    """A line break cannot go in a Location header (it gave a 500 on the language switch), and a
    browser reads "/\\host" as another site: both fall back to the page's own default."""
    response = client.post("/language/en", data={"next": target})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world["users"]["lead"], "password": PASSWORD},
    )
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]
