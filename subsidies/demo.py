"""The demo city's subsidies: two elder schemes a bureau can try at once.

温州's document and the national list give no amounts, so the demo sets them as a bureau would,
and says so in the scheme's name and legal basis (「演示金额」): the free home-care service of
温州 (applied for, reviewed street → district) and the national list's 高龄津贴 (免申即享, enrolled
automatically, paid by the monthly roll). Applications stand at every review step, and the
allowance's recipients have months owed, so the city can run a roll from the page at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.periods import closed_periods
from elders.demo import demo_seeder
from elders.models import Elder

from . import services
from .models import Application, Entitlement, Scheme
from .selectors import eligible_elders

DEMO_MARK = "（演示金额）"
DEMO_BASIS = "【演示金额】文件未规定金额，此为演示环境中由民政局设定的示例值，正式使用前须按本地标准重新设定。"
# The free home-care service: hours bought as a monthly service credit (yuan).
HOME_CARE_AMOUNT = "200.00"
HIGH_AGE_CODE = "NAT-HIGH-AGE"
HIGH_AGE_BANDS = (("80", "89", "50"), ("90", "99", "100"), ("100", None, "300"))


def _mark(scheme: Scheme) -> None:
    if not scheme.name.endswith(DEMO_MARK):
        scheme.name = f"{scheme.name}{DEMO_MARK}"
    if DEMO_BASIS not in scheme.legal_basis:
        scheme.legal_basis = f"{DEMO_BASIS}\n{scheme.legal_basis}"


def _reset(elder_filter: dict) -> None:
    elders = Elder.objects.filter(**elder_filter)
    Entitlement.objects.filter(elder__in=elders).delete()
    Application.objects.filter(elder__in=elders).delete()


@demo_seeder("subsidies", order=45, reset=_reset)
def seed_subsidies(*, seed: int, elder_filter: dict) -> int:
    User = get_user_model()
    staff = {u.username: u for u in User.objects.filter(username__in=["city", "street", "district", "worker", "worker2"])}
    today = timezone.localdate()

    home = Scheme.objects.get(code="WZ-FREE-HOME-CARE")
    home.amount_rule = {"kind": "fixed", "amount": HOME_CARE_AMOUNT}
    home.review_levels = ["street", "district"]
    home.notice_days = None
    home.active, home.inactive_reason = True, ""
    _mark(home)
    services.save_scheme(scheme=home, acting_user=staff["city"])

    # The national list leaves the allowance's standard to the locality. The scheme is national
    # (no region), so the portal's administrator sets it; the demo city is the only one here.
    high_age = Scheme.objects.get(code=HIGH_AGE_CODE)
    high_age.amount_rule = {
        "kind": "by_age_band",
        "bands": [{"min": int(lo), "max": int(hi) if hi else None, "amount": amount} for lo, hi, amount in HIGH_AGE_BANDS],
    }
    high_age.active, high_age.inactive_reason = True, ""
    _mark(high_age)
    services.save_scheme(scheme=high_age, acting_user=User.objects.get(username="admin"))

    # The two workers' communities: applications at every step of the review.
    workers = {"330302006044": staff["worker"], "330302006045": staff["worker2"]}
    candidates = list(
        eligible_elders(home, today)
        .filter(**elder_filter, residence_id__in=workers)
        .order_by("-residence_id", "pk")[:8]
    )
    # The steps that matter first: a small demo city may hold only a few candidates.
    steps = ("at_street", "at_district", "returned", "approved", "approved", "at_street", "at_district", "refused")
    made = 0
    for elder, step in zip(candidates, steps, strict=False):
        application = services.submit_application(
            acting_user=workers[elder.residence_id],
            scheme=home,
            elder=elder,
            payee_name=elder.name,
            payee_account=f"6222{seed % 10_000:04d}{elder.pk:010d}",
        )
        made += 1
        if step == "at_street":
            continue
        if step == "returned":
            services.review_application(
                acting_user=staff["street"], application=application, decision="reject", comment="缺少户口簿复印件，请补充后重新提交"
            )
            continue
        services.review_application(acting_user=staff["street"], application=application, decision="approve")
        if step == "at_district":
            continue
        decision = "reject" if step == "refused" else "approve"
        comment = "经核实家庭有赡养能力，不符合条件" if step == "refused" else ""
        services.review_application(
            acting_user=staff["district"], application=application, decision=decision, comment=comment
        )

    # 高龄津贴 enrols its elders itself; the demo's recipients are owed three months, so the city
    # has a roll to run (and cross-checks to decide) the moment the demo is built.
    services.enrol_and_stop(on=today)
    Entitlement.objects.filter(scheme__in=[home, high_age], elder__notes=elder_filter.get("notes")).update(
        first_period=closed_periods(today, 3)[0]
    )
    return made + Entitlement.objects.filter(scheme=high_age).count()

