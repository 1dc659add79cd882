"""Helpers for the citizen-services tests: a citizen's valid application, and the admin URLs."""

import io

from django.urls import reverse

APPLY_URL = "/luobei-jyj/ysqgk/"
APPLY_HOST = "luobei.localhost"
REGISTER_URL = "citizen_services_informationrequest_modeladmin_index"
INSPECT_URL = "citizen_services_informationrequest_modeladmin_inspect"


def id_number(first17="23040219900307123"):
    """A resident ID number with a valid GB 11643 check digit (built, not a real person's)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    return first17 + check


PERSON_ID = id_number()


def application_data(**changes):
    data = {
        "applicant_type": "natural",
        "name": "张三",
        "contact_person": "",
        "id_type": "id_card",
        "id_number": PERSON_ID,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "黑龙江省鹤岗市萝北县凤翔镇1号",
        "description": "2025年萝北县义务教育阶段学校布局调整方案及其论证材料",
        "purpose": "了解子女就学安排",
        "delivery_form": "electronic",
        "delivery_method": "online",
        "website": "",
    }
    data.update(changes)
    return data


def event_url(request, kind):
    return reverse("citizen_request_event", args=[request.pk, kind])


def inspect_url(request):
    return reverse(INSPECT_URL, args=[request.pk])


def jpeg_with_exif(size=(64, 48)):
    """A small JPEG carrying EXIF (camera make and GPS), as a phone would produce."""
    from PIL import Image

    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (45.0, 30.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    buffer.name = "身份证.jpg"
    buffer.seek(0)
    return buffer


def small_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张三", "/Title": "secret title"})
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.name = "材料.pdf"
    buffer.seek(0)
    return buffer


def assert_denied(response):
    """Wagtail's admin answers a PermissionDenied with 403 or a redirect to the dashboard."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    ), response.status_code
