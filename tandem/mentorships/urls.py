from django.urls import URLPattern, URLResolver

app_name = "mentorships"
urlpatterns: list[URLPattern | URLResolver] = []
