from django.urls import path

from tandem.attachments import views

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
