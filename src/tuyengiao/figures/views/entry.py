"""entry pages of periodic figures."""

urlpatterns: list = []
