from celery import shared_task

from .models import Exchange


@shared_task(name="exchanges.process_exchange")
def process_exchange_task(exchange_id: int) -> dict:
    """Check a received list: match, compare, propose (services.process_exchange)."""
    from .services import process_exchange

    exchange = process_exchange(Exchange.objects.select_related("region").get(pk=exchange_id))
    return {"status": exchange.status, "rows": exchange.rows, "proposed": exchange.proposed}


@shared_task(name="exchanges.scan_drop_folder")
def scan_drop_folder_task() -> dict:
    """Every few minutes: take the lists other systems placed in the drop folder."""
    from .dropfolder import scan_drop_folder

    return scan_drop_folder()


@shared_task(name="exchanges.accept_all")
def accept_all_task(exchange_id: int, user_id: int, comment: str = "") -> dict:
    """Accept and apply every pending change of an exchange the reviewer may see."""
    from django.contrib.auth import get_user_model

    from .services import accept_all

    user = get_user_model().objects.get(pk=user_id)
    return accept_all(acting_user=user, exchange=Exchange.objects.get(pk=exchange_id), comment=comment)


@shared_task(name="exchanges.check_load")
def check_load_task(load_id: int) -> dict:
    """Stage a registry load by COPY and check it in SQL (exchanges/bulk.py)."""
    from .bulk import check_load
    from .models import BulkLoad

    load = check_load(BulkLoad.objects.select_related("created_by").get(pk=load_id))
    return {"status": load.status, "rows": load.rows, "bad_rows": load.bad_rows}


@shared_task(name="exchanges.apply_load")
def apply_load_task(load_id: int) -> dict:
    """Write a confirmed registry load's good rows."""
    from .bulk import apply_load
    from .models import BulkLoad

    load = apply_load(BulkLoad.objects.get(pk=load_id))
    return {"status": load.status, "loaded": load.loaded}
