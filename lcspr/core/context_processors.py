from django.conf import settings


def partnership(request):
    """The partnership's name for the header, titles and footer of every page."""
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "PARTNERSHIP_SHORT_NAME": settings.PARTNERSHIP_SHORT_NAME,
    }
