"""Uploaded files checked by their content, not their name (PT: every app that takes files).

`checked_upload` reads the first bytes, compares them with the name's extension, applies the size
limit of the real kind, and makes Pillow decode images. It raises `UploadRejected` with a translated
message; nothing is stored by this module.
"""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

MB = 2**20
IMAGE_MAX_BYTES = 5 * MB
PDF_MAX_BYTES = 10 * MB

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)
_EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


class UploadRejected(ValueError):
    """The file is not accepted; the message is translated and shown to the user."""


def checked_upload(upload: UploadedFile, kinds: tuple[str, ...] = ("pdf", "jpg", "png")) -> str:
    """The file's real kind ("pdf", "jpg" or "png"), if it is one of `kinds`, matches its name and fits
    the limit (images up to 5 MB, PDF up to 10 MB)."""
    head = upload.read(8)
    upload.seek(0)
    kind = next((k for signature, k in _SIGNATURES if head.startswith(signature)), None)
    if kind is None or kind not in kinds:
        raise UploadRejected(_("The file must be a JPEG or PNG image or a PDF document."))
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in _EXTENSIONS[kind]:
        raise UploadRejected(
            _("The file is not what its name claims: its content is %(kind)s.") % {"kind": kind.upper()}
        )
    limit = PDF_MAX_BYTES if kind == "pdf" else IMAGE_MAX_BYTES
    if not upload.size or upload.size > limit:
        raise UploadRejected(_("The file is too large: at most %(mb)d MB for this kind of file.") % {"mb": limit // MB})
    if kind != "pdf":
        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:
            raise UploadRejected(_("The image is damaged or not a real JPEG or PNG image.")) from None
        finally:
            upload.seek(0)
    return kind
