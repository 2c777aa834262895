"""The site's URLs plus one view that fails, to see the 500 page people get."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tandem.urls import urlpatterns as site_patterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_patterns]
