from django.urls import path

from . import public_views

urlpatterns = [
    path("rate/<int:page_id>/", public_views.rate_page, name="citizen_rate"),
]
