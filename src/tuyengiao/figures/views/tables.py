"""tables pages of periodic figures."""

urlpatterns: list = []
