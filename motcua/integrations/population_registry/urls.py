from django.urls import path

from . import views

app_name = "fake_population_registry"
urlpatterns = [path("citizens/lookup", views.lookup, name="lookup")]
