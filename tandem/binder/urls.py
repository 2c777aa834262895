from django.urls import URLPattern, URLResolver

app_name = "binder"
urlpatterns: list[URLPattern | URLResolver] = []
