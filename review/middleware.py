from django.db import transaction
from django.utils.encoding import iri_to_uri
from wagtail.models import Site

from .feedback import bound_request
from .models import Withdrawal
from .views import withdrawn_notice


class WithdrawnNoticeMiddleware:
    """A withdrawn item's address answers with a notice and the reason (410), not a bare 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method != "GET":
            return response
        site = Site.find_for_request(request)
        withdrawal = (
            Withdrawal.objects.filter(
                # Decoded like request.path; rows stored before were percent-encoded.
                path__in={request.path, iri_to_uri(request.path)},
                site_id=getattr(site, "pk", None),
                page__live=False,
            )
            .select_related("successor")
            .first()
        )
        if withdrawal is None:
            return response
        notice = withdrawn_notice(request, withdrawal)
        notice.render()
        return notice


class AtomicAdminPostMiddleware:
    """Every POST to the Wagtail admin runs in one transaction.

    Wagtail's admin publishes in steps that are not one transaction: the page is saved live,
    then the `page_published` receivers run (the 索引号, caches) and the log entry is written.
    A failure between them would leave a live item without its index number or log entry.
    The view is called here (process_view, this middleware last) inside `atomic`, so an
    exception rolls back everything the request wrote; Django's ATOMIC_REQUESTS would do the
    same for every request, public GETs included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.path_info.startswith("/admin/"):
            return None
        # The request is bound for the workflow tasks' messages (review.feedback).
        with transaction.atomic(), bound_request(request):
            return view_func(request, *view_args, **view_kwargs)
