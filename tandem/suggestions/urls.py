from django.urls import URLPattern, URLResolver, path

from tandem.suggestions import views

app_name = "suggestions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.find, name="find"),
    path("mentors/<int:mentor_pk>/save/", views.mentor_save, name="save"),
    path("mentors/<int:mentor_pk>/dismiss/", views.mentor_dismiss, name="dismiss"),
    path("marks/<int:pk>/undo/", views.mark_undo, name="undo"),
]
