"""Write operations of the exchanges: receive a list, match and propose, review, apply.

Nothing in the registry changes when a list arrives: each difference becomes a proposed change on
its row, and only a reviewer of the region accepting it applies it, through the registry's own
services (elders.services, assessments.services), with the list named in the file's history.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import in_scope, restrict
from eldercare.planner import analyze
from elders.choices import DisabilityGrade, EconomicStatus, LivingArrangement, Status
from elders.models import Elder
from elders.policy import registry_settings
from elders.rules import age_on
from regions.models import Region
from regions.scope import account_prefix, user_region_code

from . import rules
from .choices import Change, Decision, ExchangeStatus, Kind, Outcome
from .files import read_table
from .models import Exchange, ExchangeRow, Via

_CHUNK = 5_000
# A list longer than this changes the rows table enough to mislead the planner (eldercare.planner).
_ANALYZE_AFTER = 1_000
MAX_UPLOAD_MB = 50


def _check_period(period: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period or ""):
        raise ValidationError({"period": _("Give the month of the list as YYYY-MM.")})
    return period


def receive_exchange(
    *,
    acting_user,
    kind: str,
    content: bytes,
    filename: str,
    source: str,
    period: str = "",
    via: str = Via.PAGE,
    region_code: str | None = None,
) -> Exchange:
    """Store a list and check it (a Celery task: at once in development and tests)."""
    if not acting_user.has_perm("exchanges.add_exchange"):
        raise PermissionDenied(_("You may not receive exchanges."))
    if kind not in Kind.values:
        raise ValidationError(
            {
                "kind": _("Unknown kind %(kind)s; one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(Kind.values)}
            }
        )
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Name the source of the list (e.g. 市社会救助系统).")})
    if len(source) > 100:
        raise ValidationError({"source": _("The source's name is longer than 100 characters.")})
    period = _check_period(period or f"{timezone.localdate():%Y-%m}")
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError({"file": _("The file is larger than %(n)d MB.") % {"n": MAX_UPLOAD_MB}})
    if not filename.lower().endswith((".xlsx", ".csv", ".txt")):
        raise ValidationError({"file": _("Send an Excel workbook (.xlsx) or a CSV file.")})
    code = region_code or user_region_code(acting_user)
    if not code:
        raise ValidationError({"region": _("Name the region the list covers.")})
    region = Region.objects.filter(code=code).first()
    if region is None or not in_scope(acting_user, region.code):
        raise ValidationError(
            {"region": _("%(code)s is outside your region of responsibility.") % {"code": code}}
        )
    exchange = Exchange(
        kind=kind,
        source=source,
        period=period,
        filename=filename[-200:],
        checksum=hashlib.sha256(content).hexdigest(),
        region=region,
        via=via,
        received_by=acting_user,
    )
    exchange.file.save(re.sub(r"[^\w.\-]", "_", filename)[-80:], ContentFile(content), save=False)
    exchange.save()
    from .tasks import process_exchange_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        process_exchange_task.delay(exchange.pk)
    else:
        transaction.on_commit(lambda: process_exchange_task.delay(exchange.pk))
    exchange.refresh_from_db()
    return exchange


# --- match, compare, propose ---------------------------------------------------------------------


class _Snapshot:
    """What matching needs of a file (one query for the whole list)."""

    FIELDS = (
        "pk",
        "id_number",
        "name",
        "residence_id",
        "status",
        "death_date",
        "economic_status",
        "disability_grade",
        "birth_date",
    )

    def __init__(self, row: dict):
        self.__dict__.update(row)


def _elders_by_id(numbers: Iterable[str]) -> dict[str, _Snapshot]:
    numbers = list(numbers)
    found = {}
    for start in range(0, len(numbers), _CHUNK):
        for row in Elder.objects.filter(id_number__in=numbers[start : start + _CHUNK]).values(
            *_Snapshot.FIELDS
        ):
            found[row["id_number"]] = _Snapshot(row)
    return found


def _min_age(code: str, cache: dict) -> int:
    city = code[:4]
    if city not in cache:
        cache[city] = registry_settings(code).min_age
    return cache[city]


def process_exchange(exchange: Exchange) -> Exchange:
    """Check every row, match it to the registry by ID number, compare, and propose each difference."""
    today = timezone.localdate()
    try:
        with exchange.file.open("rb") as fh:
            headers, body = read_table(fh.read(), exchange.filename)
        keys, missing = rules.header_keys(exchange.kind, headers)
        if missing:
            raise ValidationError(
                {
                    "file": _("The heading row lacks the columns %(cols)s; use the template of this kind.")
                    % {"cols": "、".join(missing)}
                }
            )
    except ValidationError as exc:
        exchange.status = ExchangeStatus.FAILED
        exchange.message = "; ".join(m for ms in exc.message_dict.values() for m in ms)[:300]
        exchange.save(update_fields=["status", "message"])
        return exchange

    checked = []
    for line, cells in body:
        by_key = {key: cells[i] if i < len(cells) else "" for i, key in keys.items()}
        checked.append((line, by_key, rules.check_row(exchange.kind, by_key, today=today)))

    numbers = {c.values["id_number"] for _l, _c, c in checked if "id_number" in c.values}
    elders = _elders_by_id(numbers)
    communities = dict(
        Region.objects.filter(
            code__in={c.values["community"] for _l, _k, c in checked if "community" in c.values},
            level="village",
        ).values_list("code", "name")
    )
    pending = set()
    for start in range(0, len(numbers), _CHUNK):
        chunk = list(numbers)[start : start + _CHUNK]
        for number, change, proposal in ExchangeRow.objects.filter(
            id_number__in=chunk, decision=Decision.PENDING
        ).values_list("id_number", "change", "proposal"):
            pending.add((number, change, _key(proposal)))
    results = set()
    if exchange.kind == Kind.ASSESSMENTS:
        from assessments.models import RecognisedResult

        results = {
            (e, s, a.isoformat(), g)
            for e, s, a, g in RecognisedResult.objects.filter(
                elder_id__in=[e.pk for e in elders.values()]
            ).values_list("elder_id", "source", "assessed_on", "grade")
        }

    prefix = exchange.region.prefix
    seen: dict[str, int] = {}
    ages: dict = {}
    rows = []
    for line, cells, check in checked:
        row = ExchangeRow(
            exchange=exchange,
            line=line,
            id_number=(cells.get("id_number") or "")[:40],
            name=(cells.get("name") or "")[:60],
            cells=cells,
            values=check.values,
            errors=check.errors,
            region_id=exchange.region_id,
        )
        number = check.values.get("id_number")
        if number and number in seen:
            check.errors.append(
                {
                    "field": "身份证号",
                    "message": _("The ID number appears again on line %(n)d.") % {"n": seen[number]},
                }
            )
        elif number:
            seen[number] = line
        if check.errors:
            row.outcome = Outcome.INVALID
            row.reason = "; ".join(f"{e['field']}: {e['message']}" for e in check.errors)[:300]
        else:
            _compare(row, exchange, elders.get(number), prefix, communities, results, today, ages)
            if row.outcome == Outcome.PROPOSED and (number, row.change, _key(row.proposal)) in pending:
                row.outcome = Outcome.ALREADY_PROPOSED
                row.reason = _("The same change waits for review from an earlier exchange.")
                row.change, row.proposal = "", {}
            if row.outcome == Outcome.PROPOSED:
                row.decision = Decision.PENDING
                pending.add((number, row.change, _key(row.proposal)))
        rows.append(row)
    with transaction.atomic():
        ExchangeRow.objects.bulk_create(rows, batch_size=2_000)
        _recount(exchange)
    if len(rows) > _ANALYZE_AFTER:
        analyze(ExchangeRow)  # the review and accept-all steps join these rows to the registry
    return exchange


def _key(proposal: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in proposal.items()))


def _compare(row, exchange, elder, prefix, communities, results, today, ages) -> None:
    """Fill the row's outcome, reason and proposal from the list's values and the file."""
    v = row.values
    kind = exchange.kind
    if elder is None:
        _not_in_registry(row, exchange, prefix, communities, today, ages)
        return
    row.elder_id = elder.pk
    if not elder.residence_id.startswith(prefix):
        row.elder_id = None
        row.outcome = Outcome.OUTSIDE
        row.reason = _("The file with this ID number is kept by a region outside this exchange's.")
        return
    row.region_id = elder.residence_id
    if v["name"] != re.sub(r"\s+", "", elder.name):
        row.outcome = Outcome.CONFLICT
        row.reason = _("The name on the list (%(list)s) differs from the file (%(file)s).") % {
            "list": v["name"],
            "file": elder.name,
        }
        return

    def propose(change: str, **proposal) -> None:
        row.outcome = Outcome.PROPOSED
        row.change = change
        row.proposal = proposal

    def same(reason: str) -> None:
        row.outcome = Outcome.NO_CHANGE
        row.reason = reason

    if kind == Kind.DEATHS:
        if elder.status == Status.DECEASED:
            if elder.death_date and elder.death_date.isoformat() == v["death_date"]:
                same(_("The file already records this death."))
            else:
                row.outcome = Outcome.CONFLICT
                row.reason = _("The file records another date of death (%(d)s).") % {"d": elder.death_date}
        else:
            propose(Change.DECEASED, on=v["death_date"])
    elif elder.status == Status.DECEASED:
        row.outcome = Outcome.CONFLICT
        row.reason = _("The file records this person as deceased.")
    elif kind == Kind.SOCIAL_ASSISTANCE:
        ended = bool(v.get("end_date")) and v["end_date"] < today.isoformat()
        if ended:
            if elder.economic_status == v["category"]:
                propose(Change.ECONOMIC_STATUS, status=EconomicStatus.ORDINARY, since=v["end_date"])
            else:
                same(_("The assistance has ended and the file does not record it."))
        elif elder.economic_status == v["category"]:
            same(_("The file already records this economic status."))
        else:
            propose(Change.ECONOMIC_STATUS, status=v["category"], since=v["start_date"])
    elif kind == Kind.DISABILITY:
        if elder.disability_grade == v["grade"]:
            same(_("The file already records this disability grade."))
        else:
            propose(
                Change.DISABILITY_GRADE,
                grade=v["grade"],
                certificate=v["certificate"],
                kind=v["disability_kind"],
            )
    elif kind == Kind.HOUSEHOLD:
        if v["move"] == "out":
            if elder.status == Status.MOVED:
                same(_("The file already records the move away."))
            else:
                propose(Change.MOVED_AWAY, on=v["moved_on"])
        else:
            target = v["community"]
            if target not in communities or not target.startswith(prefix):
                row.outcome = Outcome.NOT_FOUND
                row.reason = _("The community %(code)s is not one of this exchange's region.") % {
                    "code": target
                }
            elif elder.residence_id == target and elder.status == Status.REGISTERED:
                same(_("The file already lives in this community."))
            else:
                propose(
                    Change.RESIDENCE,
                    community=target,
                    community_name=communities[target],
                    on=v["moved_on"],
                    address=v.get("address", ""),
                )
    elif kind == Kind.ASSESSMENTS:
        if (elder.pk, v["source"], v["assessed_on"], int(v["grade"])) in results:
            same(_("This result is already recognised."))
        else:
            propose(
                Change.RECOGNISED_RESULT,
                source=v["source"],
                assessed_on=v["assessed_on"],
                grade=int(v["grade"]),
                valid_until=v["valid_until"],
                document=v.get("document", ""),
            )


def _not_in_registry(row, exchange, prefix, communities, today, ages) -> None:
    v = row.values
    row.outcome = Outcome.NOT_FOUND
    if exchange.kind in (Kind.DEATHS, Kind.ASSESSMENTS) or v.get("move") == "out":
        row.reason = _("No file has this ID number.")
        return
    community = v.get("community")
    if not community:
        row.reason = _("No file has this ID number, and the list names no community to register them in.")
        return
    if community not in communities or not community.startswith(prefix):
        row.reason = _(
            "No file has this ID number, and %(code)s is not a community of this exchange's region."
        ) % {"code": community}
        return
    row.region_id = community
    born = date.fromisoformat(f"{v['id_number'][6:10]}-{v['id_number'][10:12]}-{v['id_number'][12:14]}")
    minimum = _min_age(community, ages)
    if age_on(born, today) < minimum:
        row.reason = _(
            "No file has this ID number; at %(age)d this person is younger than the registry's %(min)d."
        ) % {"age": age_on(born, today), "min": minimum}
        return
    if exchange.kind == Kind.SOCIAL_ASSISTANCE and v.get("end_date") and v["end_date"] < today.isoformat():
        row.reason = _("No file has this ID number, and the assistance has ended.")
        return
    proposal = {
        "community": community,
        "community_name": communities[community],
        "name": v["name"],
        "address": v.get("address", ""),
    }
    if exchange.kind == Kind.SOCIAL_ASSISTANCE:
        proposal.update(economic_status=v["category"], since=v["start_date"])
    elif exchange.kind == Kind.DISABILITY:
        proposal.update(disability_grade=v["grade"])
    row.outcome = Outcome.PROPOSED
    row.change = Change.REGISTER
    row.proposal = proposal
    row.reason = _("Not in the registry: a new file in this community is proposed.")


def _recount(exchange: Exchange) -> None:
    counts = ExchangeRow.objects.filter(exchange=exchange).aggregate(
        rows=Count("pk"),
        invalid=Count("pk", filter=Q(outcome=Outcome.INVALID)),
        matched=Count("pk", filter=Q(elder__isnull=False)),
        proposed=Count("pk", filter=Q(outcome=Outcome.PROPOSED)),
        accepted=Count("pk", filter=Q(decision=Decision.ACCEPTED)),
        rejected=Count("pk", filter=Q(decision=Decision.REJECTED)),
        pending=Count("pk", filter=Q(decision=Decision.PENDING)),
    )
    pending = counts.pop("pending")
    for name, value in counts.items():
        setattr(exchange, name, value)
    exchange.status = ExchangeStatus.IN_REVIEW if pending else ExchangeStatus.CLOSED
    exchange.save(update_fields=[*counts, "status"])


# --- review and apply ----------------------------------------------------------------------------


def _require_reviewer(acting_user) -> None:
    if not acting_user.has_perm("exchanges.change_exchangerow"):
        raise PermissionDenied(_("You may not review exchanges."))


def review_row(*, acting_user, row: ExchangeRow, decision: str, comment: str = "") -> ExchangeRow:
    """Accept (apply now) or reject one proposed change, with the reviewer's comment."""
    _require_reviewer(acting_user)
    if not restrict(ExchangeRow.objects.filter(pk=row.pk), acting_user).exists():
        raise PermissionDenied(_("This row is outside your region of responsibility."))
    if decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise ValidationError({"decision": _("Accept or reject.")})
    if len(comment) > 300:
        raise ValidationError({"comment": _("The comment is longer than 300 characters.")})
    with transaction.atomic():
        row = _decide(row.pk, acting_user, decision, comment)
        _recount(row.exchange)
    return row


def _decide(pk: int, acting_user, decision: str, comment: str) -> ExchangeRow:
    """One decision in the caller's transaction; a refused change keeps the row pending with why."""
    row = ExchangeRow.objects.select_for_update(of=("self",)).select_related("exchange").get(pk=pk)
    if row.decision != Decision.PENDING:
        raise ValidationError(_("This row has been reviewed already."))
    if decision == Decision.ACCEPTED:
        try:
            with transaction.atomic():
                _apply(row, acting_user)
        except (ValidationError, PermissionDenied) as exc:
            row.apply_error = "; ".join(_messages(exc))[:300]
            row.save(update_fields=["apply_error"])
            raise ValidationError(row.apply_error) from None
    row.decision = decision
    row.decided_by = acting_user
    row.decided_at = timezone.now()
    row.comment = comment
    row.apply_error = ""
    row.save(update_fields=["decision", "decided_by", "decided_at", "comment", "apply_error"])
    return row


def accept_all(*, acting_user, exchange: Exchange, comment: str = "") -> dict[str, int]:
    """Accept every pending proposal of the exchange the reviewer may see. Deaths and moves away
    (a death list, a household list) are applied together, set-based: a constant number of
    statements whatever the list's length, with change_status's rules. The other changes are each
    applied through their service in their own transaction. One the registry refuses stays pending
    with the reason."""
    _require_reviewer(acting_user)
    if not restrict(Exchange.objects.filter(pk=exchange.pk), acting_user).exists():
        raise PermissionDenied(_("This exchange is outside your region of responsibility."))
    if len(comment) > 300:
        raise ValidationError({"comment": _("The comment is longer than 300 characters.")})
    pending = restrict(ExchangeRow.objects.filter(exchange=exchange, decision=Decision.PENDING), acting_user)
    done = failed = 0
    if connection.vendor == "postgresql":  # SQLite (a developer's quick start) goes row by row
        with transaction.atomic():
            done, failed = _accept_status_changes(
                pending.filter(change__in=list(STATUS_CHANGES)), acting_user, exchange, comment
            )
        pending = pending.exclude(change__in=list(STATUS_CHANGES))
    pks = list(pending.order_by("line").values_list("pk", flat=True))
    for pk in pks:
        try:
            with transaction.atomic():
                _decide(pk, acting_user, Decision.ACCEPTED, comment)
            done += 1
        except ValidationError:
            failed += 1
    _recount(exchange)
    exchange.refresh_from_db()
    return {"accepted": done, "failed": failed}


# The changes accept_all applies set-based, and the status each one records.
STATUS_CHANGES = {Change.DECEASED: Status.DECEASED, Change.MOVED_AWAY: Status.MOVED}


def _accept_status_changes(rows, acting_user, exchange: Exchange, comment: str) -> tuple[int, int]:
    """Deaths and moves away of many rows in one statement: the rows and their files locked, the
    rules of elders.services.change_status and save_elder checked in SQL with their messages (the
    file still in the reviewer's region, the date not in the future, the registry's minimum age,
    death not before birth), the files changed, their history written with the list as the reason,
    the rows decided; a refused row stays pending with the reason. Then the stored visit status of
    the changed files (one statement per city)."""
    from services.services import note_target_groups

    picked = list(rows.order_by().values_list("pk", "elder__residence_id"))
    if not picked:
        return 0, 0
    ids = [pk for pk, _residence in picked]
    prefix = account_prefix(acting_user)
    if prefix is None or not acting_user.has_perm("elders.change_elder"):
        refused = ExchangeRow.objects.filter(pk__in=ids).update(
            apply_error=_("You may not change elders' files.")
        )
        return 0, refused
    today = timezone.localdate()
    now = timezone.now()
    cities = sorted({residence[:4] for _pk, residence in picked if residence})
    ages = {city: registry_settings(city.ljust(12, "0")).min_age for city in cities}
    history = Elder.history.model
    tracked = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    cols = ", ".join(tracked)
    upd_cols = ", ".join(f"u.{c}" for c in tracked)
    # Completed years on the reference date as elders.rules.age_on counts them.
    age = (
        "(date_part('year', ref.on_date)::int - date_part('year', e.birth_date)::int"
        " - CASE WHEN (date_part('month', ref.on_date), date_part('day', ref.on_date))"
        " < (date_part('month', e.birth_date), date_part('day', e.birth_date)) THEN 1 ELSE 0 END)"
    )
    sql = f"""
        WITH cand AS (
            SELECT r.id AS row_id, e.id AS elder_id, (r.proposal ->> 'on')::date AS on_date,
                   st.status AS status,
                   CASE
                     WHEN NOT starts_with(e.residence_id, %(prefix)s) THEN %(scope)s
                     WHEN (r.proposal ->> 'on')::date > %(today)s THEN %(future)s
                     ELSE nullif(concat_ws('; ',
                       CASE WHEN a.min_age IS NOT NULL AND {age} < a.min_age
                            THEN replace(replace(%(young)s, '%%(age)d', a.min_age::text),
                                         '%%(actual)d', ({age})::text) END,
                       CASE WHEN st.status = %(deceased)s AND (r.proposal ->> 'on')::date < e.birth_date
                            THEN %(before_birth)s END
                     ), '')
                   END AS error
            FROM exchanges_exchangerow r
            JOIN elders_elder e ON e.id = r.elder_id
            JOIN unnest(%(changes)s::text[], %(statuses)s::text[]) AS st(change, status) ON st.change = r.change
            CROSS JOIN LATERAL (SELECT CASE WHEN e.registered_on >= e.birth_date THEN e.registered_on
                                            ELSE %(today)s END AS on_date) ref
            LEFT JOIN unnest(%(cities)s::text[], %(ages)s::int[]) AS a(city, min_age)
                   ON a.city = substr(e.residence_id, 1, 4)
            JOIN unnest(%(ids)s::bigint[]) AS picked(id) ON picked.id = r.id
            WHERE r.decision = %(pending)s
            FOR UPDATE OF r, e
        ), ok AS (
            SELECT * FROM cand WHERE error IS NULL
        ), changed AS (
            UPDATE elders_elder e
               SET status = ok.status, status_date = ok.on_date,
                   death_date = CASE WHEN ok.status = %(deceased)s THEN ok.on_date END, updated_at = %(now)s
              FROM ok WHERE e.id = ok.elder_id
            RETURNING e.*
        ), history AS (
            INSERT INTO {history._meta.db_table} ({cols}, history_date, history_change_reason, history_type,
                                                  history_user_id)
            SELECT {upd_cols}, %(now)s, %(reason)s, '~', %(user)s FROM changed u
        ), decided AS (
            UPDATE exchanges_exchangerow r
               SET decision = %(accepted)s, decided_by_id = %(user)s, decided_at = %(now)s,
                   comment = %(comment)s, apply_error = ''
              FROM ok WHERE r.id = ok.row_id
            RETURNING r.id
        ), refused AS (
            UPDATE exchanges_exchangerow r SET apply_error = left(cand.error, 300)
              FROM cand WHERE r.id = cand.row_id AND cand.error IS NOT NULL
            RETURNING r.id
        )
        SELECT (SELECT count(*) FROM decided), (SELECT count(*) FROM refused)
    """  # noqa: S608 - our own tables and columns
    params = {
        "prefix": prefix,
        "scope": _("You may not change elders' files."),
        "future": _("The date is in the future."),
        "young": _("The registry holds people aged %(age)d or over; this person is %(actual)d."),
        "before_birth": _("The date of death is before the birth date."),
        "deceased": Status.DECEASED,
        "today": today,
        "now": now,
        "changes": list(STATUS_CHANGES),
        "statuses": list(STATUS_CHANGES.values()),
        "cities": list(ages),
        "ages": list(ages.values()),
        "pending": Decision.PENDING,
        "accepted": Decision.ACCEPTED,
        "reason": exchange.reason[:100],
        "user": acting_user.pk,
        "comment": comment,
        "ids": ids,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        done, refused = cursor.fetchone()
    if done:
        note_target_groups(
            Elder.objects.filter(
                pk__in=ExchangeRow.objects.filter(
                    exchange=exchange, decision=Decision.ACCEPTED, decided_at=now
                ).values("elder_id")
            )
        )
    return done, refused


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


def _apply(row: ExchangeRow, acting_user) -> None:
    """Apply one accepted proposal through the registry's services, naming the list."""
    from elders import services as elder_services

    reason = row.exchange.reason
    p = row.proposal
    if row.change == Change.REGISTER:
        data = {
            "id_number": row.values["id_number"],
            "name": p["name"],
            "residence": Region.objects.get(code=p["community"]),
            "address": p.get("address", ""),
            # The list does not say how the person lives: the community checks it on the first visit.
            "living_arrangement": LivingArrangement.WITH_OTHERS,
            "economic_status": p.get("economic_status", EconomicStatus.ORDINARY),
            "disability_grade": p.get("disability_grade", DisabilityGrade.NONE),
            "notes": _("Registered from an exchange (%(reason)s); living arrangement to be checked.")
            % {"reason": reason},
        }
        elder = elder_services.register_elder(acting_user=acting_user, reason=reason, **data)
        row.elder = elder
        row.save(update_fields=["elder"])
        return
    elder = Elder.objects.select_for_update().get(pk=row.elder_id)
    if row.change == Change.DECEASED:
        elder_services.change_status(
            elder=elder,
            status=Status.DECEASED,
            on=date.fromisoformat(p["on"]),
            acting_user=acting_user,
            reason=reason,
        )
    elif row.change == Change.MOVED_AWAY:
        elder_services.change_status(
            elder=elder,
            status=Status.MOVED,
            on=date.fromisoformat(p["on"]),
            acting_user=acting_user,
            reason=reason,
        )
    elif row.change == Change.ECONOMIC_STATUS:
        elder_services.update_elder(
            elder=elder,
            acting_user=acting_user,
            reason=f"{reason}（自 {p['since']}）",
            economic_status=p["status"],
        )
    elif row.change == Change.DISABILITY_GRADE:
        elder_services.update_elder(
            elder=elder,
            acting_user=acting_user,
            reason=f"{reason}（残疾证 {p['certificate']} {p['kind']}）",
            disability_grade=int(p["grade"]),
        )
    elif row.change == Change.RESIDENCE:
        if elder.status != Status.REGISTERED:
            elder = elder_services.change_status(
                elder=elder,
                status=Status.REGISTERED,
                on=date.fromisoformat(p["on"]),
                acting_user=acting_user,
                reason=reason,
            )
        changes = {"residence": Region.objects.get(code=p["community"])}
        if p.get("address"):
            changes["address"] = p["address"]
        elder_services.update_elder(elder=elder, acting_user=acting_user, reason=reason, **changes)
    elif row.change == Change.RECOGNISED_RESULT:
        from assessments.services import record_recognised_result

        record_recognised_result(
            acting_user=acting_user,
            elder=elder,
            source=p["source"],
            assessed_on=date.fromisoformat(p["assessed_on"]),
            grade=int(p["grade"]),
            valid_until=date.fromisoformat(p["valid_until"]),
            document=p.get("document", ""),
            reason=reason,
        )
    else:  # pragma: no cover - every change of choices.Change is handled above
        raise ValidationError(_("Unknown change."))
