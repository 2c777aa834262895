from django.urls import path

from tandem.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.settings_view, name="settings"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("data/", views.personal_data_view, name="personal_data"),
    path("data/export/", views.personal_data_export_view, name="personal_data_export"),
    path(
        "data/export/<int:pk>/",
        views.personal_data_export_state_view,
        name="personal_data_export_state",
    ),
    path(
        "data/export/<int:pk>/download/",
        views.personal_data_download_view,
        name="personal_data_download",
    ),
    path("delete/", views.account_delete_view, name="delete"),
]
