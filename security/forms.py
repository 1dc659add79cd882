from django import forms
from django.core.files.uploadedfile import UploadedFile
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from . import lockout
from .uploads import check_document, check_image


class LoginForm(WagtailLoginForm):
    """Wagtail's login form (WAGTAILADMIN_USER_LOGIN_FORM) that says when a name or an address
    is locked out, without checking the password."""

    def clean(self):
        username = self.cleaned_data.get("username")
        lock = lockout.current_lock(username, lockout.client_ip(self.request))
        if lock is not None:
            raise forms.ValidationError(lock.message, code=f"locked_{lock.kind}")
        return super().clean()


class SafeDocumentForm(BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE: a document's content must match its extension."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            check_document(file)
        return file


class SafeImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: no SVG/HTML, no pixel bombs."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            check_image(file)
        return file
