"""define pages of periodic figures."""

urlpatterns: list = []
