"""Being written."""

urlpatterns = []
