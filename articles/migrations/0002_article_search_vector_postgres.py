"""On PostgreSQL, keep Article.search_vector current with a trigger and index it with GIN.

Weights: headline A, dek B, body C. On other databases the column stays empty and the
API's search falls back to a simpler match.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.headline, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.dek, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector_trigger
  BEFORE INSERT OR UPDATE OF headline, dek, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();
CREATE INDEX articles_article_search_vector_gin ON articles_article USING gin (search_vector);
UPDATE articles_article SET headline = headline;
"""

BACKWARD = """
DROP INDEX IF EXISTS articles_article_search_vector_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
