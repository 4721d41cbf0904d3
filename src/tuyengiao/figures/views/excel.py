"""excel pages of periodic figures."""

urlpatterns: list = []
