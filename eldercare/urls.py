from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from assessments.api import AssessmentViewSet
from eldercare import pwa
from eldercare.health import healthz
from eldercare.schema import DocsView, SchemaView
from eldercare.tokens import ObtainTokenView, RevokeTokenView
from elders.api import ElderViewSet
from exchanges.api import ExchangeViewSet
from facilities.api import FacilityViewSet, FamilyCareBedViewSet, ResidencyViewSet, WaitlistEntryViewSet
from homecare.api import (
    EmergencyCallViewSet,
    FlagViewSet,
    HospitalStayViewSet,
    OrderViewSet,
    StatementViewSet,
)
from plans.api import TargetViewSet, TaskAssignmentViewSet, TaskViewSet
from regions.api import RegionViewSet
from regions.views import PasswordChangeView
from reports.api import MonthlyStatViewSet
from services.api import (
    CaregiverViewSet,
    CatalogueItemViewSet,
    CatalogueViewSet,
    EntitlementsView,
    FollowUpViewSet,
    ProviderViewSet,
    ServiceRecordViewSet,
    VisitViewSet,
)
from subsidies.api import (
    ApplicationViewSet,
    BatchViewSet,
    EligibilityView,
    EntitlementViewSet,
    GapView,
    PaymentViewSet,
)
from supervision.api import (
    ComplaintViewSet,
    EstateRoomCheckViewSet,
    InspectionPlanViewSet,
    InspectionViewSet,
    OperatorReviewViewSet,
    RectificationOrderViewSet,
    ResidentialEstateViewSet,
    ServiceRatingViewSet,
    StarApplicationViewSet,
    SupervisionTaskViewSet,
)
from workforce.api import AdviserViewSet, TrainingSessionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("elders", ElderViewSet, basename="elder")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("visits", VisitViewSet, basename="visit")
router.register("follow-ups", FollowUpViewSet, basename="followup")
router.register("catalogues", CatalogueViewSet, basename="catalogue")
router.register("catalogue-items", CatalogueItemViewSet, basename="catalogueitem")
router.register("providers", ProviderViewSet, basename="provider")
router.register("caregivers", CaregiverViewSet, basename="caregiver")
router.register("service-records", ServiceRecordViewSet, basename="servicerecord")
router.register("stats", MonthlyStatViewSet, basename="stat")
router.register("targets", TargetViewSet, basename="target")
router.register("tasks", TaskViewSet, basename="task")
router.register("task-assignments", TaskAssignmentViewSet, basename="taskassignment")
router.register("training-sessions", TrainingSessionViewSet, basename="trainingsession")
router.register("advisers", AdviserViewSet, basename="adviser")
router.register("subsidy-applications", ApplicationViewSet, basename="subsidyapplication")
router.register("entitlements", EntitlementViewSet, basename="entitlement")
router.register("payments", PaymentViewSet, basename="payment")
router.register("disbursement-batches", BatchViewSet, basename="disbursementbatch")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("residencies", ResidencyViewSet, basename="residency")
router.register("waitlist-entries", WaitlistEntryViewSet, basename="waitlistentry")
router.register("family-care-beds", FamilyCareBedViewSet, basename="familycarebed")
router.register("exchanges", ExchangeViewSet, basename="exchange")
router.register("inspection-plans", InspectionPlanViewSet, basename="inspectionplan")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("rectification-orders", RectificationOrderViewSet, basename="rectificationorder")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("service-ratings", ServiceRatingViewSet, basename="servicerating")
router.register("supervision-tasks", SupervisionTaskViewSet, basename="supervisiontask")
router.register("residential-estates", ResidentialEstateViewSet, basename="residentialestate")
router.register("estate-room-checks", EstateRoomCheckViewSet, basename="estateroomcheck")
router.register("operator-reviews", OperatorReviewViewSet, basename="operatorreview")
router.register("star-applications", StarApplicationViewSet, basename="starapplication")
router.register("service-orders", OrderViewSet, basename="serviceorder")
router.register("service-flags", FlagViewSet, basename="serviceflag")
router.register("settlement-statements", StatementViewSet, basename="settlementstatement")
router.register("emergency-calls", EmergencyCallViewSet, basename="emergencycall")
router.register("hospital-stays", HospitalStayViewSet, basename="hospitalstay")

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", pwa.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password-change"),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/auth/token/revoke/", RevokeTokenView.as_view(), name="api-token-revoke"),
    path("api/v1/elders/<int:pk>/entitlements/", EntitlementsView.as_view(), name="elder-entitlements"),
    path("api/v1/elders/<int:pk>/eligibility/", EligibilityView.as_view(), name="elder-eligibility"),
    path("api/v1/subsidy-gaps/", GapView.as_view(), name="subsidy-gaps"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("assessments/", include("assessments.urls")),
    path("visits/", include("services.urls")),
    path("dashboard/", include("reports.urls")),
    path("plans/", include("plans.urls")),
    path("supervision/", include("supervision.urls")),
    path("facilities/", include("facilities.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("homecare/", include("homecare.urls")),
    path("staff/", include("regions.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include((pwa.urlpatterns, "pwa"))),
    path("", include("notifications.urls")),
    path("", include("elders.urls")),
]
