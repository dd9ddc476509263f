from celery import shared_task

from cctv.two_factor.password_reset import send_reset_mail


@shared_task(acks_late=True)
def send_password_reset(*, email: str, domain: str, use_https: bool, language: str, templates: dict) -> int:
    return send_reset_mail(email=email, domain=domain, use_https=use_https, language=language, templates=templates)
