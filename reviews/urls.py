from django.urls import path

from reviews.views import (
    anonymisation,
    decision,
    learning,
    publication,
    rapid_review,
    referral,
    reports,
    retention,
    summaries,
)

app_name = "reviews"

urlpatterns = [
    # Referral, the case record, its clocks and timeline (views/referral.py)
    path("", referral.review_list, name="list"),
    path("new/", referral.review_new, name="new"),
    path("<int:pk>/", referral.review_detail, name="detail"),
    path("<int:pk>/timeline/", referral.review_timeline, name="timeline"),
    path("<int:pk>/details/", referral.review_edit, name="edit"),
    path("<int:pk>/children/add/", referral.child_add, name="child_add"),
    path("<int:pk>/children/<int:child_pk>/remove/", referral.child_remove, name="child_remove"),
    path("<int:pk>/criteria/", referral.criteria, name="criteria"),
    path("<int:pk>/close/", referral.close_not_notifiable, name="close"),
    path("<int:pk>/notification/", referral.notification, name="notification"),
    path("<int:pk>/partners-informed/", referral.partners_informed, name="partners_informed"),
    # The rapid review (views/rapid_review.py)
    path("<int:pk>/rapid-review/", rapid_review.rapid_review_edit, name="rapid_review"),
    path("<int:pk>/rapid-review/meetings/add/", rapid_review.meeting_add, name="meeting_add"),
    path(
        "<int:pk>/rapid-review/actions/add/",
        rapid_review.immediate_action_add,
        name="immediate_action_add",
    ),
    path(
        "<int:pk>/agency-summaries/add/",
        rapid_review.summary_request_add,
        name="summary_request_add",
    ),
    path("<int:pk>/recommendation/", rapid_review.recommendation, name="recommendation"),
    path("<int:pk>/sign-off/", rapid_review.sign_off, name="sign_off"),
    path("<int:pk>/send/", rapid_review.send, name="send"),
    path("<int:pk>/panel-response/", rapid_review.panel_response, name="panel_response"),
    path("<int:pk>/rapid-review.pdf", rapid_review.rapid_review_pdf, name="rapid_review_pdf"),
    # Agency summaries as agencies see them (views/summaries.py)
    path("agency-summaries/", summaries.summary_list, name="summary_list"),
    path("agency-summaries/<int:pk>/", summaries.summary_detail, name="summary_detail"),
    path("agency-summaries/<int:pk>/file/", summaries.summary_file, name="summary_file"),
    # The Independent Chair's decision and what follows (views/decision.py)
    path("<int:pk>/decision/", decision.decision_record, name="decision"),
    path("<int:pk>/decision/change/", decision.decision_change, name="decision_change"),
    path("<int:pk>/notices/<str:recipient>/", decision.notice_record, name="notice"),
    path("<int:pk>/other-learning/", decision.other_learning, name="other_learning"),
    path(
        "<int:pk>/other-learning/close/",
        decision.other_learning_close,
        name="other_learning_close",
    ),
    path("settings/clocks/", decision.clock_settings, name="clock_settings"),
    # The report, its anonymisation, publication and learning (issue 6): each module declares
    # its own patterns.
    *reports.urlpatterns,
    *anonymisation.urlpatterns,
    *publication.urlpatterns,
    *learning.urlpatterns,
    *retention.urlpatterns,
]
