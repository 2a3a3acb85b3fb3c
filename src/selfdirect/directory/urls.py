"""The directory of services: search and read (anyone), providers' listings, approvals."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.directory import staff_views, views

app_name = "directory"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("your-services/", views.listing, name="listing"),
    path("your-services/<uuid:service_id>/", views.listing_edit, name="listing_edit"),
    path("services/<uuid:service_id>/review/", views.review_new, name="review_new"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/decide/", views.review_decide, name="review_decide"),
    path("reviews/<int:review_id>/reply/", views.review_reply, name="review_reply"),
    path(
        "for-plan/<int:plan_id>/lines/<int:line_id>/",
        views.choose_for_line,
        name="choose_for_line",
    ),
    path(
        "locations/<uuid:location_id>/registration/",
        views.registration,
        name="registration",
    ),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:change_id>/decide/", views.change_decide, name="change_decide"),
    # Council staff keep the directory (staff_views).
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/new/", staff_views.service_new, name="service_new"),
    path("staff/<uuid:service_id>/", staff_views.service_edit, name="service_edit"),
    path("staff/<uuid:service_id>/remove/", staff_views.service_remove, name="service_remove"),
    path("terms/", staff_views.terms, name="terms"),
    path("terms/new/", staff_views.term_new, name="term_new"),
    path("terms/<uuid:term_id>/", staff_views.term_edit, name="term_edit"),
    path("terms/<uuid:term_id>/remove/", staff_views.term_remove, name="term_remove"),
]
