from django.urls import path

from tandem.binder import views

app_name = "binder"
urlpatterns = [
    path("", views.binder_home, name="home"),
    path("entries/", views.entry_add, name="entry_add"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/share/", views.entry_share, name="entry_share"),
    path("entries/<int:pk>/urgent/", views.entry_urgent, name="entry_urgent"),
    path("entries/<int:pk>/agenda/", views.entry_agenda, name="entry_agenda"),
    path("entries/<int:pk>/answered/", views.entry_answered, name="entry_answered"),
    path("entries/<int:pk>/reply/", views.entry_reply, name="entry_reply"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("search/", views.binder_search, name="search"),
    path("export/", views.binder_export, name="export"),
    path("export.md", views.binder_export_markdown, name="export_md"),
    path("shared/<int:mentorship_pk>/", views.shared_binder, name="shared"),
    path("together/<int:mentorship_pk>/", views.together, name="together"),
    path("together/<int:mentorship_pk>/assignments/", views.assignment_new, name="assignment_new"),
    path("together/<int:mentorship_pk>/critiques/", views.critique_new, name="critique_new"),
    path("together/<int:mentorship_pk>/resources/", views.resource_new, name="resource_new"),
    path("together/<int:mentorship_pk>/thanks/", views.appreciation_new, name="appreciation_new"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/files/", views.assignment_files, name="assignment_files"),
    path("critiques/<int:pk>/", views.critique_detail, name="critique"),
    path("critiques/<int:pk>/files/", views.critique_files, name="critique_files"),
]
