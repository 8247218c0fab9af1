from django.urls import path

from partnership import views

app_name = "partnership"

urlpatterns = [
    path("board/", views.meeting_list, name="meetings"),
    path("board/changes/", views.compare_dates, name="compare"),
    path("board/<int:pk>/", views.meeting_detail, name="meeting"),
    path("board/<int:pk>/changes/", views.meeting_changes_view, name="meeting_changes"),
    path("board/<int:pk>/pack/", views.issued_pack, name="issued_pack"),
    path("board/<int:pk>/pack.pdf", views.issued_pack_pdf, name="issued_pack_pdf"),
    path("duties/", views.duty_list, name="duties"),
    path("duties/<int:pk>/", views.duty_occurrence, name="duty_occurrence"),
    path("duties/<int:pk>/evidence/", views.duty_evidence, name="duty_evidence"),
    path("priorities/<int:pk>/outcomes/", views.priority_outcomes, name="priority_outcomes"),
    path("indicators/<int:pk>/record/", views.indicator_record, name="indicator_record"),
]
