from django.utils.translation import get_language


def localised(thai: str, english: str) -> str:
    """The English text for English readers when there is one, else the Thai."""
    return english if get_language() == "en" and english else thai
