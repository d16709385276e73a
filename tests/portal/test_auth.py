"""PT-05 passwords and PT-06 sign-in by university ID or e-mail."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from tests.factories import PASSWORD, UserFactory, make_student

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Short1!", "password_too_short"),
        ("longpassword1!", "password_no_upper"),
        ("LongPassword!!", "password_no_digit"),
        ("LongPassword11", "password_no_special"),
    ],
)
def test_pt05_password_composition_is_enforced(password, code):
    """PT-05: at least 8 characters with a digit, an upper-case letter and a special character."""
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert code in [e.code for e in exc.value.error_list]


def test_pt05_a_compliant_password_passes():
    """PT-05: 8+ characters, digit, upper-case, special: accepted (Kazakh letters count as letters)."""
    validate_password("Құпия-Сөз2026")
    validate_password("Abcdefg1!")


def test_pt05_composition_can_be_switched_off_but_common_passwords_stay_refused(settings):
    """PT-05: an administrator may turn the composition rule off; the common-password check stays on."""
    settings.PORTAL_PASSWORD_COMPOSITION = False
    validate_password("correct horse battery staple")
    with pytest.raises(ValidationError) as exc:
        validate_password("password123")
    assert "password_too_common" in [e.code for e in exc.value.error_list]


def test_pt05_password_expires_after_42_days():
    """PT-05: a password 42 days old has expired; 41 days old has not."""
    user = UserFactory.create()
    now = timezone.now()
    user.password_changed_at = now - timedelta(days=41, hours=23)
    assert not user.password_expired(now)
    user.password_changed_at = now - timedelta(days=42)
    assert user.password_expired(now)


def test_pt05_expired_password_forces_a_change_at_next_login():
    """PT-05: after login with an expired password every page redirects to the change form, until changed."""
    user = UserFactory.create()
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=43))
    client = Client()
    response = client.post(LOGIN, {"login": user.id_code, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_change_password")
    assert client.get("/profile/")["Location"] == reverse("account_change_password")

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Jana-Qupia2026", "password2": "Jana-Qupia2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.password_expired()
    assert client.get("/profile/").status_code == 200


def test_pt05_expiry_can_be_switched_off(settings):
    """PT-05: PORTAL_PASSWORD_EXPIRY_DAYS = 0 disables forced rotation."""
    settings.PORTAL_PASSWORD_EXPIRY_DAYS = 0
    user = UserFactory.create()
    user.password_changed_at = timezone.now() - timedelta(days=400)
    assert not user.password_expired()


def test_pt05_change_to_a_weak_password_is_refused_and_nothing_changes():
    """PT-05: a weak new password gets a translated error and the old one still works."""
    user = UserFactory.create()
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "weakpass", "password2": "weakpass"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("field", ["id_code", "email"])
def test_pt06_login_by_university_id_or_email(field):
    """PT-06: a person signs in with the university ID code or the e-mail."""
    profile = make_student()
    client = Client()
    response = client.post(LOGIN, {"login": getattr(profile.user, field), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/")["Location"] == reverse("dashboard", kwargs={"key": "student"})


def test_pt06_wrong_credentials_get_a_translated_message_in_kazakh():
    """PT-06: a wrong password shows the Kazakh message and signs nobody in."""
    profile = make_student()
    client = Client()
    response = client.post(LOGIN, {"login": profile.user.id_code, "password": "Wrong-2026"})
    assert response.status_code == 200
    assert "Университет ID немесе құпия сөз қате." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pt06_wrong_credentials_in_russian():
    """PT-02/PT-06: the same message in Russian when the user chose Russian."""
    profile = make_student()
    client = Client()
    client.cookies["django_language"] = "ru"
    response = client.post(LOGIN, {"login": profile.user.email, "password": "Wrong-2026"})
    assert "Неверный адрес электронной почты или пароль." in response.content.decode()


def test_pt06_repeated_failed_logins_are_throttled_per_account():
    """PT-06: after 5 failures on one account even the right password is refused for a while."""
    profile = make_student()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"login": profile.user.id_code, "password": "Wrong-2026"})
    response = client.post(LOGIN, {"login": profile.user.id_code, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # Another account from the same address (a shared dormitory) still signs in.
    other = make_student()
    response = client.post(LOGIN, {"login": other.user.id_code, "password": PASSWORD})
    assert response.status_code == 302


def test_pt06_no_public_signup():
    """Accounts come from the university's records: the sign-up page says it is closed."""
    response = Client().get("/accounts/signup/")
    assert "Тіркелу жабық" in response.content.decode()
    assert User.objects.count() == 0


def test_pt05_password_reset_by_email_in_kazakh():
    """PT-05: the reset link arrives by e-mail (Kazakh text); the new password must meet the policy, then works."""
    import re

    from django.core import mail

    user = UserFactory.create()
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Университет порталы: құпия сөзді қалпына келтіру"
    assert "Сәлеметсіз бе!" in message.body
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", str(message.body))
    assert link, message.body
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    weak = client.post(form_url, {"password1": "weakpass", "password2": "weakpass"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(form_url, {"password1": "Jana-Qupia2026", "password2": "Jana-Qupia2026"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Jana-Qupia2026")


def test_pt05_password_reset_for_an_unknown_address_reveals_nothing():
    """The reset page answers the same for unknown addresses (no account enumeration)."""
    response = Client().post("/accounts/password/reset/", {"email": "nobody@test.edu.kz"})
    assert response.status_code == 302


def test_pt06_empty_sign_in_form_gets_required_messages_in_kazakh():
    """Bad input: missing fields get a clear Kazakh message and nobody is signed in."""
    client = Client()
    response = client.post(LOGIN, {"login": "", "password": ""})
    assert response.status_code == 200
    assert response.content.decode().count("Бұл өрісті толтыру міндетті.") == 2
    assert "_auth_user_id" not in client.session
