from django.urls import path

from tandem.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("badge/", views.unread_badge, name="badge"),
    path("<str:kind>/<int:pk>/", views.thread_page, name="thread"),
    path("<str:kind>/<int:pk>/messages/", views.thread_messages, name="messages"),
]
