from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signals that keep the API's validators current, connected in every process.
        from django.contrib import admin

        from articles import checks  # noqa: F401
        from articles.admin import register as register_admins
        from articles.api import caching  # noqa: F401
        from articles.services.workflow import register_history

        register_history()
        # After `negotiations` (earlier in INSTALLED_APPS) registered the record's pages.
        register_admins(admin.site)
