"""The attacks of issue 18, replayed as requests: a signed-in member of one unit reaching
another unit's unpublished documents, images and draft titles. Each test also makes the
same request for what the user may see (a positive control), so it cannot pass only because
the request was malformed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Task
from wagtail.test.utils.form_data import nested_form_data, streamfield

from disclosure_pages.models import FormDownloadPage
from security.models import TOTPDevice
from tests.factories import add_item
from tests.test_isolation import add_draft, add_image, catalogue, refused, text, unit

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
SECRET = "wombat secret draft"


def private_document(slug, title):
    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 not yet public\n", name=f"{slug}-private.pdf"),
        collection=unit(slug).collection,
    )


SERVED = (200, 302)  # streamed, or redirected to the storage


def download(client, document):
    return client.get(document.url, HTTP_HOST="localhost").status_code


def all_messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


# --- Finding 2: unpublished documents ---------------------------------------------------------


def test_admin_api_lists_only_documents_the_user_may_choose(client_for):
    theirs = private_document("czj", "wombat czj private")
    mine = private_document("fgw", "wombat fgw private")
    client = client_for("fgw-editor")

    def listed(document):
        response = client.get("/admin/api/main/documents/", {"title": document.title})
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert listed(mine) == {mine.pk}, "positive control: own documents are listed"
    assert listed(theirs) == set()
    detail = client_for("fgw-editor").get(f"/admin/api/main/documents/{theirs.pk}/")
    assert detail.status_code == 404


def test_staff_download_only_the_unpublished_documents_they_may_choose(client_for):
    theirs = private_document("czj", "wombat czj private")
    mine = private_document("fgw", "wombat fgw private")
    client = client_for("fgw-editor")
    assert download(client, theirs) == 404
    assert download(Client(), mine) == 404  # anonymous


def test_staff_download_their_own_units_unpublished_document(client_for, settings):
    # The in-memory test storage keeps no file on disk: let Wagtail redirect to its URL (on a
    # real installation the file is streamed).
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    mine = private_document("fgw", "wombat fgw private")
    assert download(client_for("fgw-editor"), mine) in SERVED


def test_an_unverified_second_factor_downloads_nothing_unpublished(user_named):
    """Signed in with the password only: outside the admin the session is anonymous."""
    mine = private_document("fgw", "wombat fgw private")
    client = Client()
    client.force_login(user_named("fgw-editor"))
    TOTPDevice.objects.create(user=user_named("fgw-editor"), secret="JBSWY3DPEHPK3PXP")
    assert download(client, mine) == 404
    assert client.get("/admin/").status_code == 302  # the admin asks for the code


# --- Finding 3: workflow views ---------------------------------------------------------------


def workflow_urls(page):
    task = Task.objects.order_by("pk").first()
    return [
        ("get", reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk])),
        ("post", reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", 1])),
        (
            "get",
            reverse(
                "wagtailadmin_pages:collect_workflow_action_data", args=[page.pk, "approve", 1]
            ),
        ),
        ("get", reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[page.pk])),
        ("get", reverse("wagtailadmin_pages:workflow_history", args=[page.pk])),
        ("get", reverse("wagtailadmin_pages:history", args=[page.pk])),
        ("get", reverse("wagtailadmin_pages:revisions_index", args=[page.pk])),
    ]


@pytest.mark.parametrize("index", range(7))
def test_workflow_views_do_not_reveal_other_units_draft_titles(client_for, index):
    draft = add_draft("czj", SECRET)
    own = add_draft("fgw", "wombat own draft")
    client = client_for("fgw-editor")

    method, url = workflow_urls(draft)[index]
    response = getattr(client, method)(url, follow=True)
    assert SECRET not in text(response)
    assert SECRET not in all_messages(response)
    assert refused(getattr(client, method)(url))

    # Positive control: the same view for the own draft is not refused (Wagtail answers: the
    # page is not in moderation, the history…). The preview of a task the user does not
    # moderate is refused by Wagtail itself, without naming the page.
    method, url = workflow_urls(own)[index]
    if index:
        assert not refused(getattr(client, method)(url))


# --- Finding 6: the explorer of a unit above ---------------------------------------------------


@pytest.mark.parametrize(
    ("username", "own", "below"),
    [("hegang-editor", "hegang", "luobei-jyj"), ("luobei-editor", "luobei", "luobei-jyj")],
)
def test_the_explorer_does_not_open_at_a_sub_units_draft(client_for, username, own, below):
    draft = add_draft(below, SECRET)
    client = client_for(username)
    for name in ("wagtailadmin_explore", "wagtailadmin_explore_results"):
        response = client.get(reverse(name, args=[draft.pk]), follow=True)
        assert SECRET not in text(response)
    assert refused(client.get(reverse("wagtailadmin_explore", args=[draft.pk])))
    # The sub-unit's public catalogue may be named (its draft title is its public title).
    assert client.get(reverse("wagtailadmin_explore", args=[catalogue(below).pk])).status_code
    # Positive control: a draft of the own unit opens with its title.
    mine = add_draft(own, "wombat own draft")
    response = client.get(reverse("wagtailadmin_explore", args=[mine.pk]))
    assert response.status_code == 200 and "wombat own draft" in text(response)


# --- Finding 5: the public images API ----------------------------------------------------------


def test_public_images_api_lists_only_published_images(client):
    hidden = add_image("fgw", "wombat unreviewed image")

    def listed():
        response = client.get("/api/v2/images/", {"title": hidden.title}, HTTP_HOST="localhost")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert listed() == set()
    detail = client.get(f"/api/v2/images/{hidden.pk}/", HTTP_HOST="localhost")
    assert detail.status_code == 404

    # Positive control: once a live page shows it, it is listed.
    page = add_item(FormDownloadPage, "fgw", body=[("image", hidden)])
    assert page.live
    assert listed() == {hidden.pk}


# --- Finding 7: attaching another unit's private document by id --------------------------------


def edit_form_data(page, user, **streams):
    """What the edit form posts for `page` unchanged, with the given StreamFields."""
    from wagtail.blocks.base import BlockField

    form = type(page).get_edit_handler().get_form_class()(instance=page, for_user=user)
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, BlockField):
            data.update(nested_form_data({name: streamfield(streams.get(name, []))}))
            continue
        value = form[name].value()
        if value in (None, False, ""):
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, datetime.datetime | datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    for name in form.formsets:
        data.update(
            {
                f"{name}-TOTAL_FORMS": "0",
                f"{name}-INITIAL_FORMS": "0",
                f"{name}-MIN_NUM_FORMS": "0",
                f"{name}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def attach(client, page, user, document):
    data = edit_form_data(
        page, user, attachments=[("attachment", {"document": document.pk, "title": ""})]
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)


def test_another_units_private_document_cannot_be_attached_by_id(client_for, user_named):
    editor = user_named("fgw-editor")
    page = add_item(FormDownloadPage, "fgw", publish=False, user=editor, title="wombat form")
    revisions = page.revisions.count()
    theirs = private_document("czj", "wombat czj private")
    client = client_for("fgw-editor")

    response = attach(client, page, editor, theirs)
    assert "wombat czj private" in all_messages(response)  # named in the error
    assert page.revisions.count() == revisions
    latest = FormDownloadPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert not [block for block in latest.attachments if block.value["document"] == theirs]

    # Positive control: the own unit's document is attached.
    mine = private_document("fgw", "wombat fgw private")
    attach(client, page, editor, mine)
    assert page.revisions.count() == revisions + 1
    latest = FormDownloadPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [block.value["document"].pk for block in latest.attachments] == [mine.pk]


# --- Low: history views of requests, complaints and filings -----------------------------------


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_history_of_another_units_records_is_refused(client_for, kind):
    from citizen_services import services
    from tests.citizen_helpers import application_data

    if kind == "request":
        record = services.submit_application(unit("czj"), application_data())
        url_name = "citizen_services_informationrequest_modeladmin_history"
    else:
        record = services.submit_complaint(
            unit("czj"),
            {"category": "complaint", "name": "李四", "phone": "13987654321", "subject": "收费"},
        )
        url_name = "citizen_services_complaint_modeladmin_history"
    url = reverse(url_name, args=[record.pk])

    response = client_for("fgw-editor").get(url)
    assert refused(response)
    assert record.tracking_code not in text(response)
    # Positive control: the unit's own editor reads it.
    response = client_for("czj-editor").get(url)
    assert response.status_code == 200 and record.tracking_code in text(response)


# --- A crawl: every admin view that names a page, aimed at another unit's draft ----------------


def admin_page_views():
    """(url name, URL kwargs) of every admin view taking a page's id in its path."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = {}

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, space, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                converters = getattr(pattern.pattern, "converters", {})
                if route.startswith("admin/") and {"page_id", "parent_page_id"} & set(converters):
                    name = ":".join(filter(None, [namespace, pattern.name]))
                    found[name] = dict(converters)

    walk(get_resolver().url_patterns, "", "")
    return found


def crawl_kwargs(converters, page):
    kwargs = {}
    for name, converter in converters.items():
        if name in ("page_id", "parent_page_id"):
            kwargs[name] = page.pk
        elif type(converter).__name__ == "IntConverter":
            kwargs[name] = 1
        elif name == "action_name":
            kwargs[name] = "approve"
        elif name == "content_type_app_name":
            kwargs[name] = "disclosure_pages"
        elif name == "content_type_model_name":
            kwargs[name] = "newspage"
        else:
            kwargs[name] = "x"
    return kwargs


@pytest.mark.parametrize("username", ["fgw-editor", "czj-reviewer", "hegang-editor"])
def test_crawl_of_admin_page_views_reveals_no_other_units_draft(client_for, username):
    views = admin_page_views()
    assert len(views) > 20, "the crawl finds the admin's page views"
    assert "wagtailadmin_pages:workflow_preview" in views
    draft = add_draft("luobei-jyj", SECRET)
    client = client_for(username)
    leaks = []
    for name, converters in sorted(views.items()):
        url = reverse(name, kwargs=crawl_kwargs(converters, draft))
        for method in (client.get, client.post):
            response = method(url, follow=True)
            if SECRET in text(response) or SECRET in all_messages(response):
                leaks.append(f"{method.__name__.upper()} {url}")
    assert not leaks
