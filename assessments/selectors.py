"""Which ability grade counts, and who is due for re-assessment. Set-based throughout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.scope import restrict
from elders.models import Elder

from .choices import AssessmentStatus, RequestStatus
from .models import Assessment, AssessmentRequest, RecognisedResult


@dataclass(frozen=True)
class CurrentGrade:
    grade: int
    assessed_on: date
    valid_until: date
    source: str  # "own" or a RecognisedSource value
    assessment_id: int | None


def _own_valid(on: date):
    return Assessment.objects.filter(
        elder=OuterRef("pk"), status=AssessmentStatus.CONFIRMED, assessed_on__lte=on, valid_until__gte=on
    ).order_by("-assessed_on", "-id")


def _recognised_valid(on: date):
    return RecognisedResult.objects.filter(
        elder=OuterRef("pk"), assessed_on__lte=on, valid_until__gte=on
    ).order_by("-assessed_on", "-id")


@lru_cache(maxsize=8)
def grade_expression(on: date):
    """The newest confirmed, still valid result on a date, own or recognised, as one expression.

    Built once per date and process (building it is about 1.5 ms of Python, a good part of a
    list page): Django copies an expression as it resolves it into a query, so one instance
    serves every query of the day.

    An expired result does not count; a department's recognised result counts when no own
    assessment is newer (mutual recognition instead of a duplicate assessment). Two
    correlated subqueries, each refusing to answer when the other source is newer.
    """
    own, rec = _own_valid(on), _recognised_valid(on)
    own_unless_newer_rec = own.filter(
        ~Exists(
            RecognisedResult.objects.filter(
                elder=OuterRef("elder"),
                assessed_on__lte=on,
                valid_until__gte=on,
                assessed_on__gt=OuterRef("assessed_on"),
            )
        )
    )
    rec_unless_newer_own = rec.filter(
        ~Exists(
            Assessment.objects.filter(
                elder=OuterRef("elder"),
                status=AssessmentStatus.CONFIRMED,
                assessed_on__lte=on,
                valid_until__gte=on,
                assessed_on__gte=OuterRef("assessed_on"),
            )
        )
    )
    return Coalesce(
        Subquery(own_unless_newer_rec.values("grade")[:1], output_field=IntegerField()),
        Subquery(rec_unless_newer_own.values("grade")[:1], output_field=IntegerField()),
    )


def annotate_grade(queryset: QuerySet[Elder], on: date) -> QuerySet[Elder]:
    """Add `ability_grade` to each row (selected: for lists that show it)."""
    return queryset.annotate(ability_grade=grade_expression(on))


def alias_grade(queryset: QuerySet[Elder], on: date) -> QuerySet[Elder]:
    """Make `ability_grade` filterable without selecting it (conditions filter on it)."""
    return queryset.alias(ability_grade=grade_expression(on))


# Moved on by every save or delete of an assessment or a recognised result in this process
# (assessments.apps): a grade remembered on an elder instance is never read back once this
# process has written one. Another process's write is as unseen by an instance already loaded as
# a change to the elder's own columns.
_writes = [0]


def grades_written(**kwargs) -> None:
    _writes[0] += 1


def current_grade(elder: Elder, on: date) -> CurrentGrade | None:
    """The grade that counts for the elder on a date, kept on the instance: the elder file's
    sections (entitlements, subsidies, facilities, the conditions they explain) each ask for it,
    which was four pairs of queries on one page."""
    written, remembered = elder.__dict__.get("_current_grades", (None, {}))
    if written != _writes[0]:
        remembered = {}
        elder.__dict__["_current_grades"] = (_writes[0], remembered)
    if on not in remembered:
        remembered[on] = _current_grade(elder, on)
    return remembered[on]


def _current_grade(elder: Elder, on: date) -> CurrentGrade | None:
    own = (
        Assessment.objects.filter(
            elder=elder, status=AssessmentStatus.CONFIRMED, assessed_on__lte=on, valid_until__gte=on
        )
        .order_by("-assessed_on", "-id")
        .first()
    )
    rec = (
        RecognisedResult.objects.filter(elder=elder, assessed_on__lte=on, valid_until__gte=on)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if rec is not None and (own is None or rec.assessed_on > own.assessed_on):
        return CurrentGrade(rec.grade, rec.assessed_on, rec.valid_until, rec.source, None)
    if own is not None:
        return CurrentGrade(own.grade, own.assessed_on, own.valid_until, "own", own.pk)
    return None


def assessments_in_scope(user) -> QuerySet[Assessment]:
    return restrict(Assessment.objects.select_related("elder", "elder__residence", "created_by"), user)


def due_assessments(on: date, *, within_days: int = 30) -> QuerySet[Assessment]:
    """Each elder's latest confirmed assessment that expires within N days or has expired.

    One query: a newer confirmed assessment of the same elder takes an assessment off the
    list, and so does a newer valid recognised result; only registered elders are listed.
    """
    newer_own = Assessment.objects.filter(
        elder=OuterRef("elder"), status=AssessmentStatus.CONFIRMED, assessed_on__gt=OuterRef("assessed_on")
    )
    newer_recognised = RecognisedResult.objects.filter(
        elder=OuterRef("elder"),
        assessed_on__gt=OuterRef("assessed_on"),
        valid_until__gt=on + timedelta(days=within_days),
    )
    return (
        Assessment.objects.select_related("elder", "elder__residence")
        .filter(
            status=AssessmentStatus.CONFIRMED,
            valid_until__lte=on + timedelta(days=within_days),
            elder__status="registered",
        )
        .filter(~Exists(newer_own), ~Exists(newer_recognised))
        .order_by("valid_until", "id")
    )


def due_list(user, on: date, *, within_days: int = 30) -> QuerySet[Assessment]:
    """The due list a user may see (the schedule task works on `due_assessments`)."""
    return restrict(due_assessments(on, within_days=within_days), user)


def open_requests(user) -> QuerySet[AssessmentRequest]:
    """The assessors' queue: registered elders still waiting (a death or a move takes an elder
    off it at once, whatever the request's row still says)."""
    return restrict(
        AssessmentRequest.objects.filter(
            status=RequestStatus.OPEN, elder__status="registered"
        ).select_related("elder", "elder__residence", "requested_by"),
        user,
    ).order_by("requested_at")


def awaiting_confirmation(user) -> QuerySet[AssessmentRequest]:
    """Requests whose assessment is submitted and waits for the second signature."""
    return restrict(
        AssessmentRequest.objects.filter(status=RequestStatus.SUBMITTED).select_related(
            "elder", "elder__residence", "assessment", "assessment__created_by"
        ),
        user,
    ).order_by("requested_at")


def awaiting_my_confirmation(user) -> QuerySet[Assessment]:
    """Submitted assessments that name the user as the second assessor ("待我确认"): listed among
    its assessors and not the one who recorded it. Read from the assessments, not the requests:
    one recorded from the elder's file, without a request, waits for the signature too."""
    return restrict(
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, assessors=user)
        .exclude(created_by=user)
        .select_related("elder", "elder__residence"),
        user,
    ).order_by("assessed_on", "pk")


def _of_elder(q: Q) -> Q:
    """A condition on Elder as a condition on a result's elder (lookups prefixed with `elder__`).

    Only field lookups can be moved: an expression, or an F() naming another of the elder's
    fields, would silently keep pointing at the result's own columns, so those are refused."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_of_elder(child))
        elif isinstance(child, tuple) and not isinstance(child[1], F):
            children.append((f"elder__{child[0]}", child[1]))
        else:
            raise TypeError(f"grades_by_residence takes field lookups on Elder, not {child!r}")
    return Q(*children, _connector=q.connector, _negated=q.negated)


def grades_by_residence(on: date, elders: Q) -> dict[str, dict[int, int]]:
    """Village code -> grade -> number of the elders meeting the condition `elders` (on Elder's
    fields) with that current grade.

    The same rule as `grade_expression`, counted from the results' side: a city has far
    fewer valid results than elders, so this scans results instead of asking every elder. The
    condition is asked of the elder joined for the village (not as `elder IN (...)`, which
    PostgreSQL answered by a second lookup of every result's elder: 2.5 s of the figure's 2.7 s
    at 2,000,000 elders).
    """
    from django.db.models import Count

    own_valid = Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, assessed_on__lte=on, valid_until__gte=on
    )
    rec_valid = RecognisedResult.objects.filter(assessed_on__lte=on, valid_until__gte=on)
    newer_own = own_valid.filter(elder=OuterRef("elder")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    among = _of_elder(elders)
    own = own_valid.filter(among).filter(
        ~Exists(newer_own),
        ~Exists(rec_valid.filter(elder=OuterRef("elder"), assessed_on__gt=OuterRef("assessed_on"))),
    )
    newer_rec = rec_valid.filter(elder=OuterRef("elder")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    rec = rec_valid.filter(among).filter(
        ~Exists(newer_rec),
        ~Exists(own_valid.filter(elder=OuterRef("elder"), assessed_on__gte=OuterRef("assessed_on"))),
    )
    out: dict[str, dict[int, int]] = {}
    for source in (own, rec):
        for row in source.values("elder__residence_id", "grade").annotate(n=Count("id")).order_by():
            bucket = out.setdefault(row["elder__residence_id"], {})
            bucket[row["grade"]] = bucket.get(row["grade"], 0) + row["n"]
    return out
