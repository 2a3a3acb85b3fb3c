"""URL map of Selfdirect."""

from django.urls import include, path

from selfdirect.access import views as access_views
from selfdirect.api.urls import api
from selfdirect.operations import health
from selfdirect.portal import audit_views, queue_views
from selfdirect.portal import views as portal_views

urlpatterns = [
    path("", portal_views.start, name="start"),
    path("home/", portal_views.home, name="home"),
    path("queues/", queue_views.work_queues, name="work_queues"),
    path("caseload-figures/", portal_views.caseload_statistics, name="caseload_statistics"),
    path("healthz", health.healthz, name="healthz"),
    path("accessibility/", portal_views.accessibility, name="accessibility"),
    path("cookies/", portal_views.cookies, name="cookies"),
    path("carers/", portal_views.carers_information, name="carers_information"),
    path("help/", portal_views.help_index, name="help"),
    path("help/<slug:topic>/", portal_views.help_topic, name="help_topic"),
    path("guides/<slug:role>/", portal_views.guide, name="guide"),
    path("privacy/", portal_views.privacy, name="privacy"),
    path("who-has-looked/", audit_views.looks_choose, name="record_looks_choose"),
    path("who-has-looked/<int:person_id>/", audit_views.looks, name="record_looks"),
    path("audit-trail/", include("selfdirect.portal.audit_urls")),
    path("jobs/", include("selfdirect.operations.urls")),
    path("accounts/login/", access_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", access_views.sign_out, name="logout"),
    path("accounts/", include("selfdirect.access.account_urls")),
    path("admin/", include("selfdirect.access.urls")),
    path("admin/", include("selfdirect.access.admin_urls")),
    path("account/api-tokens/", include("selfdirect.access.token_urls")),
    path("admin/questionnaires/", include("selfdirect.assessment.admin_urls")),
    path("admin/ras/", include("selfdirect.allocation.ras_admin_urls")),
    path("people/", include("selfdirect.people.urls")),
    path("assessments/", include("selfdirect.assessment.urls")),
    path("budgets/", include("selfdirect.allocation.urls")),
    path("plans/", include("selfdirect.planning.urls")),
    path("casework/", include("selfdirect.casework.urls")),
    path("holding/", include("selfdirect.budgets.urls")),
    path("ledger/", include("selfdirect.ledger.urls")),
    path("invoices/", include("selfdirect.invoices.urls")),
    path("messages/", include("selfdirect.notify.urls")),
    path("your-money/", include("selfdirect.portal.money_urls")),
    path("provider/referrals/", include("selfdirect.peers.provider_urls")),
    path("provider/", include("selfdirect.portal.provider_urls")),
    path("recovery/", include("selfdirect.recovery.urls")),
    path("changes/", include("selfdirect.changes.urls")),
    path("charging/", include("selfdirect.charging.urls")),
    path("monitoring/", include("selfdirect.monitoring.urls")),
    path("payments/", include("selfdirect.payments.urls")),
    path("employers/", include("selfdirect.employers.urls")),
    path("directory/", include("selfdirect.directory.urls")),
    path("market/", include("selfdirect.market.urls")),
    path("returns/", include("selfdirect.returns.urls")),
    path("evaluation/", include("selfdirect.evaluation.urls")),
    path("evaluation/", include("selfdirect.evaluation.urls_ibsen")),
    path("peers/", include("selfdirect.peers.urls")),
    path("surveys/", include("selfdirect.surveys.urls")),
    path("api/", api.urls),
]

handler404 = "selfdirect.portal.views.not_found"
handler403 = "selfdirect.portal.views.forbidden"
handler500 = "selfdirect.portal.views.server_error"
