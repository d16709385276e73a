"""AP-03: the rector's blog, a moderated channel.

Students and staff post; the rector, the vice-rector for social development and the administrators
moderate. A message is published, not published (the author is told why), or, when it names an
employee, registered as an application (complaint or proposal) to the dean's office of that employee's
institute, with its author as the applicant (AP-04).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import Application, BlogEntry, Channel, Event, Kind
from appeals.services.filing import Filing, applicant_type_of, register
from portal.models import Role, RoleAssignment, User
from portal.notifications import notify
from portal.permissions import user_roles

MODERATOR_ROLES = (Role.RECTOR, Role.VICE_RECTOR_SOCIAL, Role.ADMINISTRATOR)
REGISTERED_KINDS = (Kind.COMPLAINT, Kind.PROPOSAL)
State = BlogEntry.State

# The moderation workflow: a message is decided once.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.PENDING: (State.PUBLISHED, State.REJECTED, State.REGISTERED),
    State.PUBLISHED: (),
    State.REJECTED: (),
    State.REGISTERED: (),
}


def is_moderator(user: User) -> bool:
    return user.is_superuser or bool(user_roles(user).intersection(MODERATOR_ROLES))


def can_post(user: User) -> bool:
    """Students and staff write to the rector."""
    return hasattr(user, "student") or hasattr(user, "staff")


def moderators() -> QuerySet[User]:
    ids = RoleAssignment.objects.active().filter(role__in=MODERATOR_ROLES).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def blog_url() -> str:
    return reverse("appeals:blog")


def post_entry(author: User, text: str) -> BlogEntry:
    """A student or staff member writes to the rector's blog; the moderators are told."""
    if not can_post(author):
        raise AppealError(_("Only students and university staff can write to the rector's blog."))
    text = text.strip()
    if len(text) < rules.MIN_TEXT_CHARS:
        raise AppealError(_("Write your message: at least %(n)d characters.") % {"n": rules.MIN_TEXT_CHARS})
    if len(text) > rules.MAX_TEXT_CHARS:
        raise AppealError(_("The message is too long: at most %(n)d characters.") % {"n": rules.MAX_TEXT_CHARS})
    with transaction.atomic():
        entry = BlogEntry(author=author, text=text)
        entry._history_user = author  # type: ignore[attr-defined]
        entry.save()
        notify(
            list(moderators()),
            _("A message to the rector's blog awaits moderation"),
            text[:200],
            reverse("appeals:blog_moderation"),
        )
    return entry


def _locked(entry: BlogEntry, to: str) -> BlogEntry:
    locked = BlogEntry.objects.select_for_update().select_related("author").get(pk=entry.pk)
    if to not in TRANSITIONS[locked.state]:
        state = locked.get_state_display()
        raise AppealError(_("This message has already been moderated: %(state)s.") % {"state": state})
    return locked


def _decide(entry: BlogEntry, moderator: User, state: str, note: str = "") -> BlogEntry:
    entry.state = state
    entry.moderated_by = moderator
    entry.moderated_at = timezone.now()
    entry.moderation_note = note
    entry._history_user = moderator  # type: ignore[attr-defined]
    return entry


def require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def publish(entry: BlogEntry, moderator: User) -> BlogEntry:
    """The message is shown on the blog page to signed-in users; the author is told."""
    require_moderator(moderator)
    with transaction.atomic():
        entry = _decide(_locked(entry, State.PUBLISHED), moderator, State.PUBLISHED)
        entry.save()
        notify([entry.author], _("Your message to the rector's blog is published"), entry.text[:200], blog_url())
    return entry


def reject(entry: BlogEntry, moderator: User, note: str) -> BlogEntry:
    """The message is not published; the author is told why."""
    require_moderator(moderator)
    if not note.strip():
        raise AppealError(_("Tell the author why the message is not published."))
    with transaction.atomic():
        entry = _decide(_locked(entry, State.REJECTED), moderator, State.REJECTED, note.strip())
        entry.save()
        subject = _("Your message to the rector's blog is not published")
        notify([entry.author], subject, entry.moderation_note, blog_url())
    return entry


def register_entry(entry: BlogEntry, moderator: User, *, employee: User, kind: str, subject: str) -> Application:
    """AP-03, AP-04: a message naming an employee is registered as the author's complaint or proposal to
    the dean's office of the employee's institute, received when it was posted."""
    require_moderator(moderator)
    if kind not in REGISTERED_KINDS:
        raise AppealError(_("Choose whether the message is a complaint or a proposal."))
    staff = getattr(employee, "staff", None)
    if staff is None or staff.department_id is None:
        raise AppealError(_("%(name)s is not an employee of an institute.") % {"name": employee.full_name})
    institute = staff.department.institute
    with transaction.atomic():
        entry = _locked(entry, State.REGISTERED)
        application = register(
            filing=Filing(kind=kind, subject=subject, text=entry.text),
            institute=institute,
            channel=Channel.RECTOR_BLOG,
            applicant=entry.author,
            applicant_type=applicant_type_of(entry.author),
            filed_by=moderator,
            received_at=entry.created_at,
        )
        event = application.events.get(type=Event.Type.REGISTERED)
        event.note += "\n" + _("From the rector's blog; the employee named: %(name)s.") % {"name": employee.full_name}
        event.save(update_fields=["note"])
        entry = _decide(entry, moderator, State.REGISTERED)
        entry.named_employee = employee
        entry.application = application
        entry.save()
    return application
