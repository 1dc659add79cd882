"""Uploads are checked by content: documents and images in the admin, citizens' attachments."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from citizen_services.models import InformationRequest
from tests.citizen_helpers import APPLY_HOST, APPLY_URL, application_data, small_pdf

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def pdf_bytes():
    return small_pdf().getvalue()


def png_bytes(size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "word/document.xml": '<?xml version="1.0"?><w:document/>',
        }
    )


def bomb_png():
    # 48 million one-bit pixels compress to a few kilobytes.
    return png_bytes(size=(8000, 6000), mode="1")


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


HOSTILE_DOCUMENTS = {
    "html_as_pdf": ("通知.pdf", HTML),
    "svg_as_pdf": ("图.pdf", SVG_WITH_SCRIPT),
    "text_as_docx": ("报告.docx", b"just text"),
    "zip_as_docx": ("报告.docx", zip_bytes({"a.txt": "x"})),
    "html_as_txt": ("说明.txt", HTML),
    "traversal_zip": ("材料.zip", zip_bytes({"../../etc/cron.d/evil": "x"})),
    "absolute_zip": ("材料.zip", zip_bytes({"/etc/passwd": "x"})),
    "windows_zip": ("材料.zip", zip_bytes({"C:\\Windows\\evil.dll": "x"})),
    "zip_bomb": ("材料.zip", zip_bytes({"zeros.bin": b"\0" * (20 * 1024 * 1024)})),
    "fake_doc": ("旧格式.doc", b"MZ\x90\x00executable"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_DOCUMENTS))
def test_hostile_documents_are_refused(client_for, kind):
    name, content = HOSTILE_DOCUMENTS[kind]
    response = upload_document(client_for("admin"), name, content)
    assert response.status_code == 200
    assert response.context["form"].errors.get("file"), kind
    assert not get_document_model().objects.filter(title=name).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("规划.pdf", pdf_bytes()),
        ("报告.docx", docx_bytes()),
        ("数据.csv", "名称,数量\n学校,12\n".encode()),
        ("材料.zip", zip_bytes({"附件/表1.csv": "a,b"})),
    ],
)
def test_legitimate_documents_are_accepted(client_for, name, content):
    response = upload_document(client_for("admin"), name, content)
    assert response.status_code == 302, response.context["form"].errors
    assert get_document_model().objects.filter(title=name).exists()


def test_the_multiple_uploader_checks_content_too(client_for):
    response = client_for("admin").post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("通知.pdf", HTML),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert json.loads(response.content)["success"] is False
    assert not get_document_model().objects.filter(title="通知").exists()


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("svg", "logo.svg", SVG_WITH_SCRIPT),
        ("svg_as_png", "logo.png", SVG_WITH_SCRIPT),
        ("html_as_jpg", "photo.jpg", HTML),
        ("bomb", "huge.png", bomb_png()),
    ],
)
def test_hostile_images_are_refused(client_for, kind, name, content):
    response = upload_image(client_for("admin"), name, content)
    assert response.status_code == 200
    assert response.context["form"].errors.get("file"), kind
    assert not get_image_model().objects.filter(title=name).exists()


def test_a_legitimate_png_is_accepted(client_for):
    response = upload_image(client_for("admin"), "合影.png", png_bytes())
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="合影.png").exists()


def named(content, name):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("材料.pdf", HTML),
        ("图.svg", SVG_WITH_SCRIPT),
        ("图.png", SVG_WITH_SCRIPT),
        ("大图.png", bomb_png()),
        ("材料.zip", zip_bytes({"../evil": "x"})),
    ],
)
def test_citizen_attachments_are_checked_by_content(client, name, content):
    response = client.post(
        APPLY_URL,
        {**application_data(), "attachments": [named(content, name)]},
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not InformationRequest.objects.exists()


def test_citizen_attachments_accept_a_real_pdf_and_png(client):
    response = client.post(
        APPLY_URL,
        {
            **application_data(),
            "attachments": [small_pdf(), named(png_bytes(), "照片.png")],
        },
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 302
    assert InformationRequest.objects.get().attachments.count() == 2
