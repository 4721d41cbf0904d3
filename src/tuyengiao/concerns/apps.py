from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "tuyengiao.concerns"
    verbose_name = _("Dư luận xã hội")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import record_sources, restructure  # noqa: F401  (restructure: org signals)

        record_sources.connect()
        from .models import Topic
        from .queries import forget_topics

        post_save.connect(forget_topics, sender=Topic, dispatch_uid="concerns.forget_topics")
        post_delete.connect(forget_topics, sender=Topic, dispatch_uid="concerns.forget_topics_d")
