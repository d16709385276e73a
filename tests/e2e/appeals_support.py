"""What the appeals browser flows share: a PDF to attach, a PDF download, Kazakh dates."""

import io
from datetime import date, timedelta

from django.utils import timezone
from pypdf import PdfWriter

from appeals.models import Application
from appeals.services.filing import file_application
from portal import workdays
from portal.models import User
from tests.appeals.factories import at, filing


def pdf_bytes() -> bytes:
    """A one-page PDF, as a scanned document would be attached."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def file_now(applicant: User, **kwargs: object) -> Application:
    """A case filed in the portal at the real time (the live server's pages compare with today)."""
    return file_application(applicant, filing(**kwargs), now=timezone.localtime())  # type: ignore[arg-type]


def file_yesterday(applicant: User, **kwargs: object) -> Application:
    """A case filed at 10:00 on the last working day before today: registered before today whatever the
    hour the test runs (a filing after 18:00 is registered on the next working day)."""
    day = workdays.next_working_day_on_or_after(timezone.localdate() - timedelta(days=7))
    while workdays.add_working_days(day, 1) < timezone.localdate():
        day = workdays.add_working_days(day, 1)
    return file_application(applicant, filing(**kwargs), now=at(day.year, day.month, day.day))  # type: ignore[arg-type]


def download(page, url: str) -> bytes:
    """A file the signed-in browser gets (its cookies), checked to be a PDF."""
    response = page.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"] == "application/pdf"
    return response.body()
