"""The registrar's import page: upload, check (nothing saved), confirm (all rows or none)."""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics import imports
from academics.forms import ImportForm
from portal.models import User
from portal.permissions import request_user

# The checked file waits here for the confirmation: the database session, so any web process can
# finish it; at most imports.MAX_BYTES, and removed on confirmation or when the page is opened anew.
SESSION_KEY = "academics_import"
PREVIEW_ROWS = 500


def _registrar(request: HttpRequest) -> User:
    user = request_user(request)
    if not imports.can_import(user):
        raise PermissionDenied
    return user


def _page(request: HttpRequest, form: ImportForm, report: imports.ImportReport | None = None) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    context = {
        "form": form,
        "report": report,
        "kinds": imports.KINDS.values(),
        "kind": imports.KINDS[report.kind] if report else None,
        "digest": pending["digest"] if pending and report and report.ok and not report.committed else None,
        "outcomes": report.outcomes[:PREVIEW_ROWS] if report else (),
        "max_rows": imports.MAX_ROWS,
        "max_mb": imports.MAX_BYTES // 2**20,
    }
    return render(request, "academics/registrar/import.html", context)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST checks the file as a dry run and, if it is good, keeps it for confirmation."""
    by = _registrar(request)
    request.session.pop(SESSION_KEY, None)
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    content = upload.read()
    report = imports.preview_import(kind, ContentFile(content, name=upload.name), by)
    if report.ok:
        request.session[SESSION_KEY] = {
            "kind": kind,
            "name": upload.name,
            "content": base64.b64encode(content).decode("ascii"),
            "digest": hashlib.sha256(content).hexdigest(),
        }
    return _page(request, form, report)


@require_POST
@login_required
def confirm_import(request: HttpRequest) -> HttpResponse:
    """Import the file checked on the previous step, if it is the one the page showed."""
    by = _registrar(request)
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or request.POST.get("digest") != pending["digest"]:
        messages.error(request, _("There is no checked file to import: upload it again."))
        return redirect("academics:import")
    upload = ContentFile(base64.b64decode(pending["content"]), name=pending["name"])
    report = imports.run_import(pending["kind"], upload, by)
    if report.ok:
        messages.success(
            request,
            _("%(file)s is imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "file": report.file_name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return redirect("academics:import")
    # The data changed since the check (someone else's edit): nothing was imported; show why.
    return _page(request, ImportForm(initial={"kind": pending["kind"]}), report)


@login_required
def import_template(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    """An empty CSV or XLSX file with the header row of one import."""
    _registrar(request)
    if kind not in imports.KINDS or extension not in ("csv", "xlsx"):
        raise Http404
    data, content_type = imports.template_file(kind, extension)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{extension}"'
    return response
