"""Pages about how a budget is held: agreements, statements, pools and notices."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.budgets import notice_views, pool_views, views

app_name = "budgets"
urlpatterns: list[URLPattern | URLResolver] = []

# How a plan's budget is held: direct payments, ISFs, third-party accounts and statements.
urlpatterns += [
    path("plans/<int:plan_id>/", views.holding, name="holding"),
    path(
        "plans/<int:plan_id>/direct-payment/new/",
        views.direct_payment_new,
        name="direct_payment_new",
    ),
    path(
        "direct-payments/<int:agreement_id>/end/",
        views.direct_payment_end,
        name="direct_payment_end",
    ),
    path(
        "plans/<int:plan_id>/agreements/new/", views.fund_agreement_new, name="fund_agreement_new"
    ),
    path(
        "agreements/<int:agreement_id>/agree/",
        views.fund_agreement_agree,
        name="fund_agreement_agree",
    ),
    path(
        "agreements/<int:agreement_id>/statements/new/",
        views.fund_statement_new,
        name="fund_statement_new",
    ),
]

# Budgets pooled for a shared activity, and written notice before a reduction or a stop.
urlpatterns += [
    path("pools/", pool_views.pool_list, name="pools"),
    path("pools/new/", pool_views.pool_new, name="pool_new"),
    path("pools/<int:pool_id>/", pool_views.pool_detail, name="pool"),
    path("pools/<int:pool_id>/shares/new/", pool_views.pool_share_new, name="pool_share_new"),
    path(
        "pools/<int:pool_id>/shares/<int:share_id>/end/",
        pool_views.pool_share_end,
        name="pool_share_end",
    ),
    path("plans/<int:plan_id>/notices/new/", notice_views.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notice_views.notice_detail, name="notice"),
    path("notices/<int:notice_id>/letter.pdf", notice_views.notice_letter, name="notice_letter"),
    path("notices/<int:notice_id>/withdraw/", notice_views.notice_withdraw, name="notice_withdraw"),
]
