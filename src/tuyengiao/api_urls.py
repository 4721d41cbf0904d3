"""The REST API: /api/directives/, /api/steps/, periodic figures (/api/indicators/,
/api/data-sets/, /api/reports/, /api/table/; see figures/api.py), public concerns
(/api/concern-topics/, /api/concern-reports/, /api/concerns/; see concerns/api.py), the bodies
concerns are forwarded to (/api/bodies/; concerns/api_bodies.py), oversight (/api/work-areas/,
/api/inspection-plans/, /api/inspections/, /api/conclusions/, /api/recommendations/,
/api/conferences/; see oversight/api.py), outreach (/api/speakers/, /api/speaker-sessions/,
/api/exemplary-models/, /api/replications/; outreach/api.py), reading a text (/api/extract/;
narratives/api.py), political-theory training
(/api/programmes/, /api/political-centres/, /api/training-plans/, /api/training-classes/,
/api/training-plan-vs-actual/; training/api.py), the narrative reports
(/api/narrative-reports/; narratives/api.py) and the OpenAPI schema at
/api/schema/.

The schema is served as YAML (JSON with ?format=json) to signed-in users; no documentation page
is served, since Swagger UI and ReDoc load from a CDN and many offices sit on closed networks.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from tuyengiao.concerns.api import ConcernReportViewSet, ConcernTopicViewSet, ConcernViewSet
from tuyengiao.concerns.api_bodies import BodyViewSet
from tuyengiao.directives.api import DirectiveViewSet, StepViewSet
from tuyengiao.figures.api import DataSetViewSet, IndicatorViewSet, ReportViewSet, TableView
from tuyengiao.narratives.api import ExtractView, NarrativeReportViewSet
from tuyengiao.outreach.api import (
    ExemplarViewSet,
    OutreachSessionViewSet,
    ReplicationViewSet,
    SpeakerViewSet,
)
from tuyengiao.oversight.api import (
    ConclusionViewSet,
    ConferenceViewSet,
    InspectionViewSet,
    PlanViewSet,
    RecommendationViewSet,
    WorkAreaViewSet,
)
from tuyengiao.training.api import (
    CentreViewSet,
    ClassViewSet,
    PlanVsActualView,
    ProgrammeViewSet,
    TrainingPlanViewSet,
)

app_name = "api"

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")
router.register("steps", StepViewSet, basename="step")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("data-sets", DataSetViewSet, basename="data-set")
router.register("reports", ReportViewSet, basename="report")
router.register("concern-topics", ConcernTopicViewSet, basename="concern-topic")
router.register("concern-reports", ConcernReportViewSet, basename="concern-report")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("bodies", BodyViewSet, basename="body")
router.register("work-areas", WorkAreaViewSet, basename="work-area")
router.register("inspection-plans", PlanViewSet, basename="inspection-plan")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("conclusions", ConclusionViewSet, basename="conclusion")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("speaker-sessions", OutreachSessionViewSet, basename="speaker-session")
router.register("exemplary-models", ExemplarViewSet, basename="exemplary-model")
router.register("replications", ReplicationViewSet, basename="replication")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("political-centres", CentreViewSet, basename="political-centre")
router.register("training-plans", TrainingPlanViewSet, basename="training-plan")
router.register("training-classes", ClassViewSet, basename="training-class")
router.register("narrative-reports", NarrativeReportViewSet, basename="narrative-report")

urlpatterns = [
    *router.urls,
    path("table/", TableView.as_view(), name="table"),
    path("extract/", ExtractView.as_view(), name="extract"),
    path(
        "training-plan-vs-actual/",
        PlanVsActualView.as_view(),
        name="training-plan-vs-actual",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

# DRF answers 401/403 itself; LoginRequiredMiddleware must not redirect API calls to the
# login page (DRF >= 3.16 marks its views so; this keeps 3.15 right too).
for pattern in urlpatterns:
    login_not_required(pattern.callback)
