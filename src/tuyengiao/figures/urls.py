from .views import define, entry, excel, tables

app_name = "figures"
urlpatterns = [
    *entry.urlpatterns,
    *tables.urlpatterns,
    *define.urlpatterns,
    *excel.urlpatterns,
]
