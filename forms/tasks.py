from celery import shared_task

from forms import staging


@shared_task(acks_late=True)
def purge_staged_uploads() -> int:
    return staging.purge_older_than()
