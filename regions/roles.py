"""What each role may do. The groups in the database follow this table after every migrate."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import Role

_VIEW_REGIONS = ["regions.view_region"]
_REGISTRY_WRITE = [
    "elders.view_elder",
    "elders.add_elder",
    "elders.change_elder",
    "elders.view_eldercontact",
    "elders.add_eldercontact",
    "elders.change_eldercontact",
    "elders.delete_eldercontact",
]
_REGISTRY_READ = ["elders.view_elder", "elders.view_eldercontact"]
_POLICY_READ = ["policies.view_policypack", "policies.view_policysection"]
_ASSESSMENT_READ = [
    "assessments.view_assessment",
    "assessments.view_recognisedresult",
    "assessments.view_assessmentrequest",
]
_ASSESSMENT_REQUEST = ["assessments.add_assessmentrequest", "assessments.change_assessmentrequest"]
_ASSESSMENT_WRITE = ["assessments.add_assessment", "assessments.change_assessment"]
_RECOGNISED_WRITE = ["assessments.add_recognisedresult"]
_VISITS_READ = ["services.view_visit", "services.view_followup"]
_VISITS_WRITE = ["services.add_visit"]
_FOLLOW_UP_CLOSE = ["services.change_followup"]
_CATALOGUE_READ = ["services.view_catalogue", "services.view_catalogueitem"]
_CATALOGUE_WRITE = [
    "services.change_catalogue",
    "services.add_catalogue",
    "services.add_catalogueitem",
    "services.change_catalogueitem",
    "services.delete_catalogueitem",
]
_PROVIDERS_READ = ["services.view_provider", "services.view_caregiver", "services.view_creditrecord"]
_PROVIDERS_WRITE = [
    "services.add_provider",
    "services.change_provider",
    "services.add_creditrecord",
    "services.change_creditrecord",
    "services.add_caregiver",
    "services.change_caregiver",
    "services.view_providerstaff",
    "services.add_providerstaff",
]
_RECORDS_READ = ["services.view_servicerecord"]
_RECORDS_WRITE = ["services.add_servicerecord"]
_SCHEMES_READ = ["subsidies.view_scheme", "subsidies.view_regionalparameter"]
_SCHEMES_WRITE = [
    "subsidies.change_scheme",
    "subsidies.add_regionalparameter",
    "subsidies.change_regionalparameter",
]
_APPLICATIONS_READ = [
    "subsidies.view_application",
    "subsidies.view_entitlement",
    "subsidies.view_reviewstep",
    "subsidies.view_payment",
    "subsidies.view_disbursementbatch",
]
_APPLICATIONS_SUBMIT = ["subsidies.add_application"]
# A new payee or bank account for a live subsidy (a lost card): the community, and its street.
_PAYEE_CHANGE = ["subsidies.change_entitlement"]
_APPLICATIONS_REVIEW = ["subsidies.change_application"]
_BATCH_APPROVE = [
    "subsidies.change_disbursementbatch",
    # Deciding the roll's cross-checks (pay or exclude) is part of approving it.
    "subsidies.view_rollcheck",
    "subsidies.change_rollcheck",
]
# Running (or re-running) a month's roll from the pages, and following its progress.
_ROLL_RUN = ["subsidies.add_rollrun", "subsidies.view_rollrun"]
_FACILITIES_READ = [
    "facilities.view_facility",
    "facilities.view_bed",
    "facilities.view_starrating",
    "facilities.view_statuschange",
    "facilities.view_residency",
    "facilities.view_waitlistentry",
    "facilities.view_waitlistevent",
    "facilities.view_familycarebed",
    "facilities.view_communityprofile",
]
_FACILITIES_WRITE = [
    "facilities.add_facility",
    "facilities.change_facility",
    "facilities.add_bed",
    "facilities.change_bed",
    "facilities.add_starrating",
    "facilities.add_communityprofile",
    "facilities.change_communityprofile",
]
_RESIDENTS_WRITE = ["facilities.add_residency", "facilities.change_residency"]
# The bed inventory (rooms and beds): bureau staff of the region and the operator's own staff (the
# service checks that the facility is one they manage).
_BEDS_WRITE = ["facilities.add_bed", "facilities.change_bed"]
_WAITLIST_APPLY = ["facilities.add_waitlistentry"]
_WAITLIST_MANAGE = ["facilities.change_waitlistentry"]
_FAMILY_BEDS_WRITE = ["facilities.add_familycarebed", "facilities.change_familycarebed"]
_REPORTS_READ = ["reports.view_monthlystat", "reports.view_statrun"]
_PLANS_READ = [
    "plans.view_target",
    "plans.view_task",
    "plans.view_taskassignment",
    "plans.view_taskupdate",
    "regions.view_department",
]
# Reporting progress on a task; the service also requires the account to belong to the unit.
_PLANS_REPORT = ["plans.add_taskupdate"]
_WORKFORCE_READ = ["workforce.view_trainingsession", "workforce.view_adviser"]
_SUPERVISION_READ = [
    "supervision.view_checklist",
    "supervision.view_checklistitem",
    "supervision.view_inspectionplan",
    "supervision.view_inspection",
    "supervision.view_inspectionresult",
    "supervision.view_finding",
    "supervision.view_rectificationorder",
    "supervision.view_caseaction",
    "supervision.view_complaint",
    "supervision.view_servicerating",
    "supervision.view_supervisiontask",
    "supervision.view_residentialestate",
    "supervision.view_estateroomcheck",
    "supervision.view_operatorreview",
    "supervision.view_starapplication",
    "supervision.view_starscoresheet",
]
# Estates and their yearly room checks, 公建民营 operators' reviews and the contract decision, and
# handling star applications (assigning evaluators, the result, publication): city and district.
_SUPERVISION_DISTRICT = [
    "supervision.add_residentialestate",
    "supervision.change_residentialestate",
    "supervision.add_estateroomcheck",
    "supervision.add_operatorreview",
    "supervision.change_operatorreview",
    "supervision.change_starapplication",
]
# Scoring a star application as one of its evaluators (district and street officers).
_STARS_EVALUATE = ["supervision.add_starscoresheet"]
# Taking in complaints (every office, the worker pages included) and handling them (city, district, street).
_COMPLAINTS_FILE = ["supervision.view_complaint", "supervision.add_complaint"]
_COMPLAINTS_HANDLE = ["supervision.change_complaint", "supervision.change_supervisiontask"]
# Ratings are recorded on the elder's behalf by the worker or the provider's caregiver account.
_RATINGS_WRITE = ["supervision.view_servicerating", "supervision.add_servicerating"]
# Making a yearly plan and drawing it (city and district); inspecting and the case (district, street).
_SUPERVISION_PLAN = ["supervision.add_inspectionplan", "supervision.change_inspectionplan"]
_SUPERVISION_INSPECT = ["supervision.add_inspectionresult", "supervision.add_caseaction"]
# An operator's account sees and answers its own orders (the service checks whose they are).
_SUPERVISION_OPERATOR = [
    "supervision.view_rectificationorder",
    "supervision.view_finding",
    *_RATINGS_WRITE,
    # Its own star applications and reviews (the binding to its provider keeps them its own).
    "supervision.view_starapplication",
    "supervision.add_starapplication",
    "supervision.view_operatorreview",
]
_WORKFORCE_WRITE = [
    "workforce.add_trainingsession",
    "workforce.change_trainingsession",
    "workforce.add_adviser",
    "workforce.change_adviser",
]
# Home services (homecare/): orders, the home's location and PIN, findings, statements, calls.
_HOMECARE_READ = [
    "homecare.view_order",
    "homecare.view_flag",
    "homecare.view_contractprice",
    "homecare.view_allowancemonth",
    "homecare.view_emergencycall",
    "homecare.view_duty",
    "homecare.view_hospitalstay",
]
_HOMECARE_ORDER = ["homecare.add_order"]
_HOMECARE_ELDER_SIDE = [
    "homecare.add_homelocation",
    "homecare.add_confirmationpin",
    "homecare.add_hospitalstay",
    "homecare.change_hospitalstay",
]
# A provider's staff set the home's location and the PIN of the elders their provider serves.
_HOMECARE_PROVIDER_ELDER_SIDE = ["homecare.add_homelocation", "homecare.add_confirmationpin"]
_HOMECARE_DELIVER = ["homecare.change_order"]
_HOMECARE_STATEMENTS_READ = ["homecare.view_statement", "homecare.view_statementline"]
_HOMECARE_DECIDE = [
    "homecare.change_flag",
    "homecare.change_statement",
    "homecare.add_contractprice",
    "homecare.change_contractprice",
    "homecare.add_duty",
    "homecare.change_duty",
]
_CALLS_TAKE = ["homecare.add_emergencycall"]
_CALLS_ANSWER = ["homecare.change_emergencycall"]

# Other departments' lists (exchanges): receiving one, and reviewing its proposed changes.
_EXCHANGES_READ = ["exchanges.view_exchange", "exchanges.view_exchangerow"]
_EXCHANGES_WRITE = ["exchanges.add_exchange", "exchanges.change_exchangerow"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITY_ADMIN: [
        *_HOMECARE_READ,
        *_HOMECARE_ORDER,
        *_HOMECARE_ELDER_SIDE,
        *_HOMECARE_STATEMENTS_READ,
        *_HOMECARE_DECIDE,
        *_CALLS_TAKE,
        *_CALLS_ANSWER,
        *_VIEW_REGIONS,
        *_COMPLAINTS_FILE,
        *_COMPLAINTS_HANDLE,
        *_SUPERVISION_PLAN,
        *_SUPERVISION_READ,
        *_SUPERVISION_DISTRICT,
        *_EXCHANGES_READ,
        *_EXCHANGES_WRITE,
        "regions.change_region",
        "regions.view_staffprofile",
        "regions.add_staffprofile",
        "regions.change_staffprofile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "audit.view_accesslog",
        *_REGISTRY_WRITE,
        "elders.import_elder",
        "elders.export_elder",
        *_POLICY_READ,
        "policies.change_policysection",
        *_ASSESSMENT_READ,
        *_ASSESSMENT_REQUEST,
        *_RECOGNISED_WRITE,
        *_VISITS_READ,
        *_FOLLOW_UP_CLOSE,
        *_CATALOGUE_READ,
        *_CATALOGUE_WRITE,
        *_PROVIDERS_READ,
        *_PROVIDERS_WRITE,
        *_RECORDS_READ,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_WORKFORCE_READ,
        *_WORKFORCE_WRITE,
        *_PLANS_REPORT,
        "regions.add_department",
        "regions.change_department",
        *_SCHEMES_READ,
        *_SCHEMES_WRITE,
        *_APPLICATIONS_READ,
        *_APPLICATIONS_REVIEW,
        *_BATCH_APPROVE,
        *_ROLL_RUN,
        *_FACILITIES_READ,
        *_FACILITIES_WRITE,
        *_RESIDENTS_WRITE,
        *_WAITLIST_MANAGE,
        *_FAMILY_BEDS_WRITE,
    ],
    Role.DISTRICT_OFFICER: [
        *_HOMECARE_READ,
        *_HOMECARE_ORDER,
        *_HOMECARE_ELDER_SIDE,
        *_HOMECARE_STATEMENTS_READ,
        *_HOMECARE_DECIDE,
        *_CALLS_TAKE,
        *_CALLS_ANSWER,
        *_VIEW_REGIONS,
        *_COMPLAINTS_FILE,
        *_COMPLAINTS_HANDLE,
        *_SUPERVISION_PLAN,
        *_SUPERVISION_INSPECT,
        *_SUPERVISION_READ,
        *_SUPERVISION_DISTRICT,
        *_STARS_EVALUATE,
        *_EXCHANGES_READ,
        *_EXCHANGES_WRITE,
        "regions.view_staffprofile",
        # The district manages its streets' and communities' accounts on the staff pages (not
        # the admin's account screen, which stays the city's).
        "regions.add_staffprofile",
        "regions.change_staffprofile",
        *_REGISTRY_WRITE,
        "elders.import_elder",
        "elders.export_elder",
        *_POLICY_READ,
        *_ASSESSMENT_READ,
        *_ASSESSMENT_REQUEST,
        *_RECOGNISED_WRITE,
        *_VISITS_READ,
        *_FOLLOW_UP_CLOSE,
        *_CATALOGUE_READ,
        *_CATALOGUE_WRITE,
        *_PROVIDERS_READ,
        *_PROVIDERS_WRITE,
        *_RECORDS_READ,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_WORKFORCE_READ,
        *_WORKFORCE_WRITE,
        *_PLANS_REPORT,
        *_SCHEMES_READ,
        *_APPLICATIONS_READ,
        *_APPLICATIONS_REVIEW,
        *_BATCH_APPROVE,
        *_ROLL_RUN,
        *_FACILITIES_READ,
        *_FACILITIES_WRITE,
        *_RESIDENTS_WRITE,
        *_WAITLIST_MANAGE,
        *_FAMILY_BEDS_WRITE,
    ],
    Role.STREET_OFFICER: [
        *_HOMECARE_READ,
        *_HOMECARE_ORDER,
        *_HOMECARE_ELDER_SIDE,
        *_HOMECARE_STATEMENTS_READ,
        *_CALLS_TAKE,
        *_CALLS_ANSWER,
        *_VIEW_REGIONS,
        *_COMPLAINTS_FILE,
        *_COMPLAINTS_HANDLE,
        *_RATINGS_WRITE,
        *_SUPERVISION_INSPECT,
        *_SUPERVISION_READ,
        *_STARS_EVALUATE,
        *_EXCHANGES_READ,
        *_EXCHANGES_WRITE,
        "regions.view_staffprofile",
        *_REGISTRY_WRITE,
        "elders.export_elder",
        *_POLICY_READ,
        *_ASSESSMENT_READ,
        *_ASSESSMENT_REQUEST,
        *_RECOGNISED_WRITE,
        *_VISITS_READ,
        *_VISITS_WRITE,
        *_FOLLOW_UP_CLOSE,
        *_CATALOGUE_READ,
        *_PROVIDERS_READ,
        *_RECORDS_READ,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_WORKFORCE_READ,
        *_WORKFORCE_WRITE,
        *_PLANS_REPORT,
        *_SCHEMES_READ,
        *_APPLICATIONS_READ,
        *_APPLICATIONS_REVIEW,
        *_PAYEE_CHANGE,
        *_FACILITIES_READ,
        *_WAITLIST_APPLY,
        *_WAITLIST_MANAGE,
        *_FAMILY_BEDS_WRITE,
    ],
    Role.COMMUNITY_WORKER: [
        *_HOMECARE_READ,
        *_HOMECARE_ORDER,
        *_HOMECARE_ELDER_SIDE,
        *_CALLS_TAKE,
        *_CALLS_ANSWER,
        *_VIEW_REGIONS,
        *_COMPLAINTS_FILE,
        *_RATINGS_WRITE,
        *_REGISTRY_WRITE,
        *_ASSESSMENT_READ,
        *_ASSESSMENT_REQUEST,
        *_VISITS_READ,
        *_VISITS_WRITE,
        *_FOLLOW_UP_CLOSE,
        *_CATALOGUE_READ,
        *_RECORDS_READ,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_SCHEMES_READ,
        *_APPLICATIONS_READ,
        *_APPLICATIONS_SUBMIT,
        *_PAYEE_CHANGE,
        *_FACILITIES_READ,
        *_WAITLIST_APPLY,
    ],
    Role.ASSESSOR: [
        *_VIEW_REGIONS,
        *_REGISTRY_READ,
        *_ASSESSMENT_READ,
        *_ASSESSMENT_WRITE,
        *_CATALOGUE_READ,
    ],
    Role.LEADER: [
        *_HOMECARE_READ,
        *_HOMECARE_STATEMENTS_READ,
        *_VIEW_REGIONS,
        *_SUPERVISION_READ,
        *_EXCHANGES_READ,
        *_REGISTRY_READ,
        *_POLICY_READ,
        *_ASSESSMENT_READ,
        *_VISITS_READ,
        *_CATALOGUE_READ,
        *_PROVIDERS_READ,
        *_RECORDS_READ,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_WORKFORCE_READ,
        *_SCHEMES_READ,
        *_APPLICATIONS_READ,
        *_FACILITIES_READ,
    ],
    Role.PROVIDER_STAFF: [
        *_HOMECARE_READ,
        *_HOMECARE_ORDER,
        *_HOMECARE_PROVIDER_ELDER_SIDE,
        *_HOMECARE_DELIVER,
        *_HOMECARE_STATEMENTS_READ,
        *_CALLS_ANSWER,
        *_VIEW_REGIONS,
        *_SUPERVISION_OPERATOR,
        *_REGISTRY_READ,
        *_CATALOGUE_READ,
        *_PROVIDERS_READ,
        *_RECORDS_READ,
        *_RECORDS_WRITE,
        "services.add_caregiver",
        "services.change_caregiver",
        *_FACILITIES_READ,
        *_RESIDENTS_WRITE,
        *_BEDS_WRITE,
    ],
    Role.DEPARTMENT_STAFF: [
        *_VIEW_REGIONS,
        *_REPORTS_READ,
        *_PLANS_READ,
        *_PLANS_REPORT,
    ],
}

# Roles that work in the Django admin (bureau, district and street staff).
ADMIN_ROLES = {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STREET_OFFICER}

# Roles that need full ID numbers and phones; everyone else sees them masked in lists.
PERSONAL_DATA_ROLES = {
    Role.CITY_ADMIN,
    Role.DISTRICT_OFFICER,
    Role.STREET_OFFICER,
    Role.COMMUNITY_WORKER,
    Role.ASSESSOR,
}

# The level of the region each role is responsible for.
ROLE_LEVELS = {
    Role.CITY_ADMIN: ("province", "city"),
    Role.DISTRICT_OFFICER: ("county",),
    Role.STREET_OFFICER: ("town",),
    Role.COMMUNITY_WORKER: ("village",),
    Role.ASSESSOR: ("city", "county", "town", "village"),
    Role.LEADER: ("province", "city", "county", "town", "village"),
    Role.PROVIDER_STAFF: ("city", "county", "town", "village"),
    Role.DEPARTMENT_STAFF: ("province", "city", "county", "town"),
}

ROLE_LEVEL_ERROR = _("A %(role)s is responsible for a region at level: %(levels)s.")


def sync_role_groups(**kwargs) -> None:
    """Make one group per role holding exactly the permissions of ROLE_PERMISSIONS."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    sender = kwargs.get("app_config")
    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return

    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    by_name = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={p.split(".")[0] for p in wanted}
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role.value))
        group.permissions.set([by_name[p] for p in perms if p in by_name])
