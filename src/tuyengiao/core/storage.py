from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed files after collectstatic; plain names before it (tests, dev)."""

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected yet: WhiteNoise serves it from the finders
            return name


class UploadStorage(FileSystemStorage):
    """Where uploads are kept (MEDIA_ROOT), which is never a public folder: a stored file has
    no URL. The view that finds its object in the user's scope sends it (`core.files.download`),
    so a link to an upload can only be a link to that view."""

    def url(self, name):
        raise ValueError(
            "An uploaded file has no public URL: link to the view that sends it "
            "(tuyengiao.core.files.download)."
        )


def uploads_are_not_public(app_configs=None, **kwargs):
    """WhiteNoise serves whatever lies in STATIC_ROOT and the static folders: uploads kept
    there would be served to anyone, outside every scope."""
    media = Path(settings.MEDIA_ROOT).resolve()
    public = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for entry in filter(None, public):
        folder = Path(entry[1] if isinstance(entry, list | tuple) else entry).resolve()
        if media == folder or folder in media.parents:
            return [
                checks.Error(
                    f"MEDIA_ROOT ({media}) lies in the static folder {folder}: uploaded files "
                    "would be served to anyone.",
                    hint="Keep MEDIA_ROOT outside STATIC_ROOT and STATICFILES_DIRS.",
                    id="tuyengiao.E001",
                )
            ]
    return []
