"""The review's pages, one list of patterns per stage of the process (each stage's views module
declares its own)."""

from reviews import changes, queue_views
from reviews import views as case
from reviews.clocks import calendar_views as calendar
from reviews.clocks import views as clocks
from reviews.decision import views as decision
from reviews.learning import views as learning
from reviews.monitoring import views as monitoring
from reviews.other_learning import views as other_learning
from reviews.publication import views as publication
from reviews.rapid_review import summary_views as agency_summaries
from reviews.rapid_review import views as rapid_review
from reviews.referral import views as referral
from reviews.report import anonymisation_views as anonymisation
from reviews.report import views as report
from reviews.retention import views as retention
from reviews.terms import views as terms
from reviews.yearly import views as yearly

app_name = "reviews"

urlpatterns = [
    *case.urlpatterns,
    *referral.urlpatterns,
    *rapid_review.urlpatterns,
    *agency_summaries.urlpatterns,
    *decision.urlpatterns,
    *terms.urlpatterns,
    *monitoring.urlpatterns,
    *other_learning.urlpatterns,
    *clocks.urlpatterns,
    *report.urlpatterns,
    *anonymisation.urlpatterns,
    *publication.urlpatterns,
    *learning.urlpatterns,
    *retention.urlpatterns,
    *queue_views.urlpatterns,
    *changes.urlpatterns,
    *calendar.urlpatterns,
    *yearly.urlpatterns,
]
