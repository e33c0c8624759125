from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signals that keep the API's validators current, connected in every process.
        from articles import checks  # noqa: F401
        from articles.api import caching  # noqa: F401
        from articles.services.workflow import register_history

        register_history()
