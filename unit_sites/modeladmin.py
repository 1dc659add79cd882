"""Pieces for the apps' ModelAdmin registers (wagtail_modeladmin).

wagtail_modeladmin's history view (`…/history/<pk>/`) checks no permission at all: any admin
user who names a record's id reads its log, with the record's title (an application's tracking
code, a complaint's subject). `ScopedHistoryView` opens a record's history only to users whose
listing shows that record (the admin's `get_queryset`, which scopes records to the units the
user handles)."""

from wagtail_modeladmin.views import HistoryView


class ScopedHistoryView(HistoryView):
    def check_action_permitted(self, user):
        if not self.permission_helper.user_can_list(user):
            return False
        listed = self.model_admin.get_queryset(self.request)
        return listed.filter(pk=self.instance.pk).exists()
