from django.urls import path

from tandem.mentorships import views

app_name = "mentorships"
urlpatterns = [
    path("", views.mentorship_list, name="list"),
    path("try/<int:user_pk>/", views.tryout_new, name="tryout_new"),
    path("questions/<int:pk>/answer/", views.tryout_answer, name="tryout_answer"),
    path("questions/<int:pk>/let-go/", views.tryout_let_go, name="tryout_let_go"),
    path("questions/<int:pk>/withdraw/", views.tryout_withdraw, name="tryout_withdraw"),
    path("ask/<int:user_pk>/", views.request_new, name="request_new"),
    path("invite/<int:user_pk>/", views.invite_new, name="invite_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/think/", views.request_think, name="request_think"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<int:pk>/", views.mentorship_detail, name="detail"),
    path("<int:pk>/agreement/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/agreement/<int:number>/sign/", views.agreement_sign, name="agreement_sign"),
    path("<int:pk>/agreement/history/", views.agreement_history, name="agreement_history"),
    path("<int:pk>/review/", views.review_start, name="review_start"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/pause/", views.mentorship_pause, name="pause"),
    path("<int:pk>/resume/", views.mentorship_resume, name="resume"),
    path("<int:pk>/end/", views.mentorship_end, name="end"),
    path("<int:pk>/closing/", views.closing_add, name="closing"),
]
