from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin with the desk's site (`newsroom.admin_site.NewsroomAdminSite`)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
