from wagtail.models import Site

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
                path=request.path, site_id=getattr(site, "pk", None), page__live=False
            )
            .select_related("successor")
            .first()
        )
        if withdrawal is None:
            return response
        notice = withdrawn_notice(request, withdrawal)
        notice.render()
        return notice
