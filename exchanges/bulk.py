"""Registry loads at database speed (PostgreSQL): a city's first 台账, hundreds of thousands of rows.

The file is staged by COPY into an unlogged table (psycopg 3's copy), checked set-based in SQL with
the rules and the very messages of the row-by-row import (elders.services.import_elders: the ID
number's checks in the order elders.rules.parse_id_number makes them, the residence, the choices,
the registry's minimum age, duplicates in the file, the importer's scope), and nothing is written
until the operator confirms the good rows. Then one INSERT writes the files, one more their
history (with the source as the change reason), and the visit status is caught up set-based. A
number already in the registry is refused with the registry's own duplicate message, whichever
street keeps it.

The columns are the registry import's (its codes, or the fields' names as headings): ID number,
name, residence, living arrangement, economic status (required), address, phone.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.scope import in_scope
from eldercare.planner import analyze
from elders.choices import EconomicStatus, LivingArrangement
from elders.models import Elder, duplicate_message
from elders.policy import registry_settings
from regions.models import Region
from regions.scope import account_prefix, user_region_code
from services.models import VisitStatus
from services.services import note_target_groups

from .files import read_table
from .models import BulkLoad, LoadError, LoadStatus

COLUMNS = ("id_number", "name", "residence", "living_arrangement", "economic_status", "address", "phone")
REQUIRED = ("id_number", "name", "residence", "living_arrangement", "economic_status")
ERRORS_ON_PAGE = 1_000
_SENTINEL = "987654321"


def column_labels() -> dict[str, str]:
    """The heading a person reads for each column (the field's name in the active language)."""
    return {c: str(Elder._meta.get_field(c).verbose_name) for c in COLUMNS}


def _heading_keys() -> dict[str, str]:
    """Headings accepted for each column: the import's code, or the field's name in Chinese or English."""
    keys = {c: c for c in COLUMNS}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            keys.update({label: c for c, label in column_labels().items()})
    return keys


def _stage(load: BulkLoad) -> str:
    return f"exchanges_stage_{int(load.pk)}"


def _checked(load: BulkLoad) -> str:
    return f"exchanges_checked_{int(load.pk)}"


def receive_load(*, acting_user, content: bytes, filename: str, source: str) -> BulkLoad:
    """Store the file and check it in the background (at once in development and tests)."""
    if not acting_user.has_perm("elders.import_elder"):
        raise PermissionDenied(_("You may not import the registry."))
    if connection.vendor != "postgresql":
        raise ValidationError(_("Registry loads at database speed need PostgreSQL; use the registry import."))
    source = (source or "").strip()
    if not source or len(source) > 100:
        raise ValidationError({"source": _("Name the source of the list (e.g. 市社会救助系统).")})
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Send an Excel workbook (.xlsx) or a CSV file.")})
    code = user_region_code(acting_user) or "".ljust(12, "0")
    region = Region.objects.filter(code=code).first() or Region.objects.order_by("code").first()
    load = BulkLoad(source=source, filename=filename[-200:], region=region, created_by=acting_user)
    load.file.save(f"load-{timezone.now():%Y%m%d%H%M%S}{filename[-5:]}", ContentFile(content), save=False)
    load.save()
    from .tasks import check_load_task

    if _eager():
        check_load_task.delay(load.pk)
    else:
        transaction.on_commit(lambda: check_load_task.delay(load.pk))
    load.refresh_from_db()
    return load


def _eager() -> bool:
    from django.conf import settings

    return settings.CELERY_TASK_ALWAYS_EAGER


def _progress(load: BulkLoad, percent: int, status: str | None = None) -> None:
    load.progress = percent
    fields = ["progress"]
    if status:
        load.status = status
        fields.append("status")
    # Outside the job's transaction, so the page sees it move.
    BulkLoad.objects.filter(pk=load.pk).update(**{f: getattr(load, f) for f in fields})


def _header_and_stream(load: BulkLoad) -> tuple[list[str], io.BytesIO | None, list | None, str]:
    with load.file.open("rb") as fh:
        content = fh.read()
    if load.filename.lower().endswith(".xlsx"):
        headers, body = read_table(content, load.filename)
        return headers, None, body, "UTF8"
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        content[: 1 << 20].decode("utf-8")
        encoding = "UTF8"
    except UnicodeDecodeError:
        encoding = "GB18030"
    first = content.split(b"\n", 1)[0].decode("utf-8" if encoding == "UTF8" else "gb18030", errors="replace")
    headers = next(csv.reader([first.strip("\r")]))
    return [h.strip() for h in headers], io.BytesIO(content), None, encoding


def check_load(load: BulkLoad) -> BulkLoad:
    """Stage the file by COPY and check every row in SQL; the errors are kept with their lines."""
    _progress(load, 5, LoadStatus.CHECKING)
    try:
        headers, stream, rows, encoding = _header_and_stream(load)
    except ValidationError as exc:
        return _fail(load, " ".join(exc.messages))
    accepted = _heading_keys()
    labels = column_labels()
    unknown = [h for h in headers if h not in accepted]
    headers = [accepted.get(h, h) for h in headers]
    missing = [labels[c] for c in REQUIRED if c not in headers]
    if unknown or missing:
        return _fail(
            load,
            _("The heading row must name the columns %(cols)s (unknown: %(unknown)s; missing: %(missing)s).")
            % {
                "cols": "、".join(labels.values()),
                "unknown": "、".join(unknown) or "-",
                "missing": "、".join(missing) or "-",
            },
        )
    stage = _stage(load)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cols = ", ".join(f'"{c}" text' for c in COLUMNS)
        # Lines as the spreadsheet numbers them: the heading is line 1, COPY keeps the file's order.
        cursor.execute(
            f"CREATE UNLOGGED TABLE {stage} (line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), {cols})"
        )
        names = ", ".join(f'"{h}"' for h in headers)
        raw = cursor.cursor  # psycopg 3's cursor: COPY ... FROM STDIN
        try:
            if stream is not None:
                sql = (
                    f"COPY {stage} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING '{encoding}')"
                )
                with raw.copy(sql) as copy:
                    while chunk := stream.read(1 << 20):
                        copy.write(chunk)
            else:
                with raw.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
                    for _line, cells in rows:
                        copy.write_row([*cells[: len(headers)], *[""] * (len(headers) - len(cells))])
        except Exception as exc:  # noqa: BLE001 - a malformed CSV is the sender's to fix
            return _fail(load, _("The file cannot be read as CSV: %(error)s") % {"error": str(exc)[:200]})
    _progress(load, 40)
    with transaction.atomic():
        validate(load)
    _progress(load, 100)
    return load


def _fail(load: BulkLoad, message: str) -> BulkLoad:
    load.status = LoadStatus.FAILED
    load.message = message[:300]
    load.save(update_fields=["status", "message"])
    return load


def _messages() -> dict[str, str]:
    """The row path's messages in the active language, with their placeholders for SQL to fill."""
    field = Elder._meta.get_field

    def too_long(name: str) -> str:
        limit = field(name).max_length
        return str(MaxLengthValidator(limit).message % {"limit_value": limit, "show_value": int(_SENTINEL)})

    return {
        "len": _("An ID number has 18 characters; this one has %(n)d."),
        "format": _("An ID number is 17 digits followed by a digit or X."),
        "date": _("The birth date in the ID number (%(d)s) is not a real date."),
        "future": _("The birth date in the ID number is in the future."),
        "early": _("The birth date in the ID number is implausibly early."),
        "check": _(
            "The check character of this ID number is wrong (expected %(c)s); please re-check every digit."
        ),
        "twice": _("The ID number %(number)s appears twice in the file (first on line %(line)d)."),
        "no_region": _("No region has the code %(code)s."),
        "not_village": _("The residence must be a community or village."),
        "outside": _("%(region)s is outside your region of responsibility."),
        "young": _("The registry holds people aged %(age)d or over; this person is %(actual)d."),
        "choice": _("'%(value)s' is not one of: %(codes)s."),
        "blank": str(field("name").error_messages["blank"]),
        "null": str(field("residence").error_messages["null"]),
        "name_long": too_long("name"),
        "address_long": too_long("address"),
        "phone_long": too_long("phone"),
    }


def _choice_table(choices) -> tuple[list[str], list[str], str]:
    texts, codes = [], []
    for code, label in choices:
        for text in {code, str(label)}:
            texts.append(text)
            codes.append(code)
        with translation.override("zh-hans"):
            texts.append(str(label))
            codes.append(code)
    # The message names the labels a person types, as the row path's does, never the codes.
    return texts, codes, "、".join(str(label) for _code, label in choices)


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Memory for the job's sorts and hashes (one job's transaction, not the server's setting): the
# duplicate check and the inserts' sort then stay in memory at a city's size.
_WORK_MEM = "256MB"


# The column of each message in validate's array of messages, in the array's order.
_ERROR_FIELDS = (
    "id_number",  # blank
    "id_number",  # length, format, birth date, check character
    "id_number",  # twice in the file
    "name",
    "name",
    "address",
    "phone",
    "residence",  # blank or unknown
    "residence",  # not a community
    "residence",  # outside the importer's region
    "living_arrangement",
    "economic_status",
    "id_number",  # younger than the registry's minimum age
)


def _tune(cursor) -> None:
    cursor.execute(f"SET LOCAL work_mem = '{_WORK_MEM}'")
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{_WORK_MEM}'")
    # Every row's values are distinct: a memo of the per-row subqueries only hashes them twice.
    cursor.execute("SET LOCAL enable_memoize = off")


def validate(load: BulkLoad) -> None:
    """Every rule of the row path as a few set-based statements over the staged rows: one pass
    builds the checked table, one more writes every error (no statement per rule or per row)."""
    stage, checked = _stage(load), _checked(load)
    m = _messages()
    today = timezone.localdate()
    # The check character from the number's bytes (digits once the format is right): cheaper than
    # seventeen substrings and casts per row.
    weighted = " + ".join(f"(get_byte(n.b, {i}) - 48) * {w}" for i, w in enumerate(_WEIGHTS))
    la_texts, la_codes, la_list = _choice_table(LivingArrangement.choices)
    es_texts, es_codes, es_list = _choice_table(EconomicStatus.choices)
    prefix = account_prefix(load.created_by) or ""
    with connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {checked}")
        # One pass over the staged rows: normalised values, the birth date and the check character;
        # a number's first line only for numbers the file holds twice (a hash of the file's numbers,
        # not a sort of every row). Each step is a LATERAL subquery with OFFSET 0, so its values are
        # computed once per row: inlined, the number's normalisation and format test were computed
        # again for every digit of the check sum.
        cursor.execute(
            f"""
            CREATE UNLOGGED TABLE {checked} AS
            WITH twice AS (
                SELECT upper(btrim(coalesce(id_number, ''))) AS dv, min(line) AS first_line FROM {stage}
                WHERE upper(btrim(coalesce(id_number, ''))) <> ''
                GROUP BY 1 HAVING count(*) > 1
            )
            SELECT s.line, s.v, s.name, s.res, s.la, s.es, s.address, s.phone, f.fmt_ok, d.y, d.m, d.dd, d.b,
              d.chk,
              CASE WHEN d.y >= 1 AND d.m BETWEEN 1 AND 12 AND d.dd >= 1
                        AND d.dd <= CASE WHEN d.m IN (4, 6, 9, 11) THEN 30
                                         WHEN d.m = 2 THEN CASE WHEN (d.y %% 4 = 0 AND d.y %% 100 <> 0)
                                                                     OR d.y %% 400 = 0 THEN 29 ELSE 28 END
                                         ELSE 31 END
                   THEN make_date(d.y, d.m, d.dd) END AS birth,
              la_map.code AS la_code, es_map.code AS es_code,
              r.code AS region_code, r.level AS region_level,
              twice.first_line
            FROM (
                SELECT line, upper(btrim(coalesce(id_number, ''))) AS v, btrim(coalesce(name, '')) AS name,
                       regexp_replace(btrim(coalesce(residence, '')), '\\.0$', '') AS res,
                       btrim(coalesce(living_arrangement, '')) AS la, btrim(coalesce(economic_status, '')) AS es,
                       coalesce(address, '') AS address, coalesce(phone, '') AS phone
                FROM {stage} OFFSET 0
            ) s
            CROSS JOIN LATERAL (SELECT s.v ~ '^[0-9]{{17}}[0-9X]$' AS fmt_ok OFFSET 0) f
            CROSS JOIN LATERAL (SELECT CASE WHEN f.fmt_ok THEN convert_to(s.v, 'UTF8') END AS b OFFSET 0) n
            CROSS JOIN LATERAL (
                SELECT n.b AS b,
                  (get_byte(n.b, 6) - 48) * 1000 + (get_byte(n.b, 7) - 48) * 100
                    + (get_byte(n.b, 8) - 48) * 10 + get_byte(n.b, 9) - 48 AS y,
                  (get_byte(n.b, 10) - 48) * 10 + get_byte(n.b, 11) - 48 AS m,
                  (get_byte(n.b, 12) - 48) * 10 + get_byte(n.b, 13) - 48 AS dd,
                  substr('10X98765432', (({weighted}) %% 11) + 1, 1) AS chk
                OFFSET 0
            ) d
            LEFT JOIN twice ON twice.dv = s.v
            LEFT JOIN (SELECT DISTINCT ON (t) t, c AS code FROM unnest(%s::text[], %s::text[]) AS x(t, c)) la_map
                   ON la_map.t = s.la
            LEFT JOIN (SELECT DISTINCT ON (t) t, c AS code FROM unnest(%s::text[], %s::text[]) AS x(t, c)) es_map
                   ON es_map.t = s.es
            LEFT JOIN regions_region r ON r.code = s.res
            """,
            [la_texts, la_codes, es_texts, es_codes],
        )
        cursor.execute(f"ALTER TABLE {checked} ADD PRIMARY KEY (line)")
        cursor.execute(f"ANALYZE {checked}")
        # The registry's minimum age of each city that has rows (a few cities, read from the packs).
        cursor.execute(
            f"SELECT DISTINCT substr(region_code, 1, 4) FROM {checked} WHERE region_level = 'village'"
        )
        cities = [row[0] for row in cursor.fetchall()]
        ages = {c: registry_settings(c.ljust(12, "0")).min_age for c in cities}
        # Every rule's message of a row from one scan, as an array (a rule that holds gives NULL);
        # only rows with a message are unnested. Within a line the errors keep the rules' order.
        cursor.execute(
            f"""
            INSERT INTO exchanges_loaderror (load_id, line, field, message)
            SELECT %(load)s, x.line, e.field, e.message
            FROM (
              SELECT c.line, ARRAY[
              CASE WHEN c.v = '' THEN %(blank)s END,
              CASE
                  WHEN length(c.v) <> 18 THEN replace(%(len)s, '%%(n)d', length(c.v)::text)
                  WHEN NOT c.fmt_ok THEN %(format)s
                  WHEN c.birth IS NULL THEN replace(%(date)s, '%%(d)s', substr(c.v, 7, 8))
                  WHEN c.birth > %(today)s THEN %(future)s
                  WHEN c.y < 1880 THEN %(early)s
                  WHEN substr(c.v, 18, 1) <> c.chk THEN replace(%(check)s, '%%(c)s', c.chk)
                END,
              CASE WHEN c.line <> c.first_line
                  THEN replace(replace(%(twice)s, '%%(number)s', c.v), '%%(line)d', c.first_line::text) END,
              CASE WHEN c.name = '' THEN %(blank)s END,
              CASE WHEN length(c.name) > 50
                  THEN replace(%(name_long)s, %(sentinel)s, length(c.name)::text) END,
              CASE WHEN length(c.address) > 200
                  THEN replace(%(address_long)s, %(sentinel)s, length(c.address)::text) END,
              CASE WHEN length(c.phone) > 20
                  THEN replace(%(phone_long)s, %(sentinel)s, length(c.phone)::text) END,
              CASE
                  WHEN c.res = '' THEN %(null)s
                  WHEN c.region_code IS NULL THEN replace(%(no_region)s, '%%(code)s', c.res)
                END,
              CASE WHEN c.region_level <> 'village' THEN %(not_village)s END,
              CASE WHEN NOT starts_with(c.region_code, %(prefix)s)
                  THEN replace(%(outside)s, '%%(region)s', c.region_code) END,
              CASE
                  WHEN c.la = '' THEN %(blank)s
                  WHEN c.la_code IS NULL
                  THEN replace(replace(%(choice)s, '%%(value)s', c.la), '%%(codes)s', %(la_list)s)
                END,
              CASE
                  WHEN c.es = '' THEN %(blank)s
                  WHEN c.es_code IS NULL
                  THEN replace(replace(%(choice)s, '%%(value)s', c.es), '%%(codes)s', %(es_list)s)
                END,
              -- Completed years as elders.rules.age_on counts them (29 February ages on 1 March).
              CASE WHEN a.min_age IS NOT NULL AND c.birth IS NOT NULL AND c.birth <= %(today)s
                                  AND c.y >= 1880 AND substr(c.v, 18, 1) = c.chk
                                  AND %(ty)s - c.y - CASE WHEN (%(tm)s, %(td)s) < (c.m, c.dd) THEN 1 ELSE 0 END
                                      < a.min_age
                  THEN replace(replace(%(young)s, '%%(age)d', a.min_age::text), '%%(actual)d',
                       (%(ty)s - c.y - CASE WHEN (%(tm)s, %(td)s) < (c.m, c.dd) THEN 1 ELSE 0 END)::text)
                END
              ] AS messages
              FROM {checked} c
              LEFT JOIN unnest(%(cities)s::text[], %(ages)s::int[]) AS a(city, min_age)
                     ON a.city = substr(c.region_code, 1, 4) AND c.region_level = 'village'
              OFFSET 0
            ) x
            CROSS JOIN LATERAL unnest(%(fields)s::text[], x.messages) AS e(field, message)
            WHERE num_nonnulls(VARIADIC x.messages) > 0 AND e.message IS NOT NULL
            """,
            {
                **m,
                "load": load.pk,
                "today": today,
                "ty": today.year,
                "tm": today.month,
                "td": today.day,
                "sentinel": _SENTINEL,
                "prefix": prefix,
                "la_list": la_list,
                "es_list": es_list,
                "cities": list(ages),
                "ages": list(ages.values()),
                "fields": list(_ERROR_FIELDS),
            },
        )
        # A number already in the registry is refused, whichever street keeps it: the registry's
        # own message, naming the community (few rows: built here).
        cursor.execute(f"SELECT c.line, e.id FROM {checked} c JOIN elders_elder e ON e.id_number = c.v")
        existing = cursor.fetchall()
    if existing:
        elders = Elder.objects.select_related("residence").in_bulk([pk for _l, pk in existing])
        LoadError.objects.bulk_create(
            [
                LoadError(load=load, line=line, field="id_number", message=duplicate_message(elders[pk]))
                for line, pk in existing
            ],
            batch_size=5_000,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {checked}")
        total = cursor.fetchone()[0]
    load.rows = total
    load.bad_rows = LoadError.objects.filter(load=load).values("line").distinct().count()
    load.status = LoadStatus.CHECKED
    load.progress = 100
    load.save(update_fields=["rows", "bad_rows", "status", "progress"])


def confirm_load(*, acting_user, load: BulkLoad) -> BulkLoad:
    """The operator confirms: the good rows are written (in the background)."""
    if not acting_user.has_perm("elders.import_elder") or not in_scope(acting_user, load.region_id):
        raise PermissionDenied(_("You may not import the registry."))
    if load.status != LoadStatus.CHECKED:
        raise ValidationError(_("This load is not waiting for confirmation."))
    load.confirmed_by = acting_user
    load.confirmed_at = timezone.now()
    load.status = LoadStatus.LOADING
    load.progress = 0
    load.save(update_fields=["confirmed_by", "confirmed_at", "status", "progress"])
    from .tasks import apply_load_task

    if _eager():
        apply_load_task.delay(load.pk)
    else:
        transaction.on_commit(lambda: apply_load_task.delay(load.pk))
    load.refresh_from_db()
    return load


def apply_load(load: BulkLoad) -> BulkLoad:
    """Write the good rows as new files with their history, in one transaction."""
    checked = _checked(load)
    now = timezone.now()
    today = timezone.localdate()
    user = load.confirmed_by_id
    reason = f"据 {load.source} 台账导入"
    with transaction.atomic():
        with connection.cursor() as cursor:
            _tune(cursor)
            _progress(load, 10)
            # The files and their history in one statement: no round trip of the new ids. The good
            # rows are those without an error (an anti-join on the load's errors).
            cursor.execute(
                f"""
                WITH new AS (
                    INSERT INTO elders_elder (id_number, name, sex, birth_date, residence_id, hukou_region_id,
                        address, phone, living_arrangement, economic_status, disability_grade, is_left_behind,
                        is_family_planning_special, is_childless_widowed, is_veteran, is_special_contribution,
                        status, status_date, death_date, registered_on, notes, created_at, updated_at,
                        created_by_id)
                    SELECT v, name, CASE WHEN get_byte(b, 16) %% 2 = 1 THEN 'male' ELSE 'female' END, birth,
                        region_code, NULL, address, phone, la_code, es_code, 0, false, false, false, false, false,
                        'registered', NULL, NULL, %(today)s, '', %(now)s, %(now)s, %(user)s
                    FROM {checked} c
                    WHERE NOT EXISTS (SELECT 1 FROM exchanges_loaderror x WHERE x.load_id = %(load)s AND x.line = c.line)
                    ORDER BY line
                    ON CONFLICT (id_number) DO NOTHING
                    RETURNING *
                ), history AS (
                    INSERT INTO elders_historicalelder (id, id_number, name, sex, birth_date, address, phone,
                        living_arrangement, economic_status, disability_grade, is_left_behind,
                        is_family_planning_special, is_childless_widowed, is_veteran, is_special_contribution,
                        status, status_date, death_date, registered_on, notes, created_at, history_date,
                        history_change_reason, history_type, created_by_id, history_user_id, hukou_region_id,
                        residence_id)
                    SELECT id, id_number, name, sex, birth_date, address, phone, living_arrangement,
                        economic_status, disability_grade, is_left_behind, is_family_planning_special,
                        is_childless_widowed, is_veteran, is_special_contribution, status, status_date,
                        death_date, registered_on, notes, created_at, %(now)s, %(reason)s, '+', created_by_id,
                        %(user)s, hukou_region_id, residence_id
                    FROM new
                )
                SELECT count(*), min(id), max(id) FROM new
                """,
                {"today": today, "now": now, "user": user, "load": load.pk, "reason": reason},
            )
            written, first, last = cursor.fetchone()
        _progress(load, 70)
        # The stored visit target group of the new files only (set-based, one statement per city),
        # in the same transaction: the due list never shows the load half done.
        if written:
            note_target_groups(Elder.objects.filter(pk__range=(first, last), created_at=now))
        load.loaded = written
        load.status = LoadStatus.DONE
        load.progress = 95
        load.save(update_fields=["loaded", "status", "progress"])
    discard_staging(load)
    analyze(Elder, Elder.history.model, VisitStatus)
    _progress(load, 100)
    return load


def discard_staging(load: BulkLoad) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_stage(load)}")
        cursor.execute(f"DROP TABLE IF EXISTS {_checked(load)}")


def errors_workbook(load: BulkLoad) -> bytes:
    """Every bad row's errors, with its sheet line (formula-safe)."""
    from openpyxl import Workbook

    from eldercare.spreadsheets import append_row, workbook_bytes

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "errors"
    append_row(sheet, [_("Line"), _("Column"), _("Message")])
    labels = column_labels()
    for line, fieldname, message in (
        LoadError.objects.filter(load=load)
        .order_by("line", "id")
        .values_list("line", "field", "message")
        .iterator(chunk_size=10_000)
    ):
        append_row(sheet, [line, labels.get(fieldname, fieldname), message])
    return workbook_bytes(book)
