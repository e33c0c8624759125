"""Search in any script (see articles/search.py).

PostgreSQL: the search-vector trigger now reads the article's language. Japanese, Chinese and
Korean articles have their text (NFKC-normalised) split at script boundaries: the Latin part is
indexed with the English configuration as before, each run of Han, kana or Hangul as
overlapping bigrams (the last character alone), at consecutive positions so that a phrase of
bigrams matches exactly that run. Other articles are indexed exactly as before. No extension,
no dictionary: the bigrams are built in SQL. The trigger also fires when the language changes.

SQLite: an FTS5 table with the trigram tokenizer over headline, dek and body, external content
(the article table holds the text), kept by triggers on every insert, update and delete, so
every write path (services, importer, admin, bulk writes) keeps it current. Where the SQLite
library has no trigram tokenizer nothing is created; search falls back to substrings and the
system check articles.W010 says so.

The character class and the language list are frozen copies of articles.search.CJK_CLASS and
CJK_LANGUAGES; tests/articles/test_search_scripts.py checks they agree.
"""

import sqlite3

from django.db import migrations

CJK_CLASS = (
    "\u3005-\u3007"
    "\u3040-\u309f"
    "\u30a0-\u30ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uac00-\ud7af"
    "\uf900-\ufaff"
)
CJK_LANGUAGES = ("ja", "zh", "ko")

PG_FORWARD = """
CREATE FUNCTION articles_cjk_bigrams(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(string_agg('''' || gram || ''':' || least(pos, 16383), ' '), '')::tsvector
  FROM (
    SELECT substr(run, i, 2) AS gram, row_number() OVER (ORDER BY n, i) AS pos
    FROM (
      SELECT m[1] AS run, n
      FROM regexp_matches(doc, '([CLASS]+)', 'g') WITH ORDINALITY AS t(m, n)
    ) AS runs,
    LATERAL generate_series(1, char_length(run)) AS i
  ) AS grams
$$;

CREATE FUNCTION articles_search_document(doc text, cjk boolean) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cjk THEN
      to_tsvector('pg_catalog.english',
                  regexp_replace(normalize(coalesce(doc, ''), NFKC), '[CLASS]+', ' ', 'g'))
      || articles_cjk_bigrams(normalize(coalesce(doc, ''), NFKC))
    ELSE to_tsvector('pg_catalog.english', coalesce(doc, ''))
  END
$$;

CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
DECLARE
  cjk boolean := split_part(lower(coalesce(NEW.language, '')), '-', 1) IN (LANGUAGES);
BEGIN
  NEW.search_vector :=
    setweight(articles_search_document(NEW.headline, cjk), 'A') ||
    setweight(articles_search_document(NEW.dek, cjk), 'B') ||
    setweight(articles_search_document(NEW.body, cjk), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_search_vector_trigger ON articles_article;
CREATE TRIGGER articles_article_search_vector_trigger
  BEFORE INSERT OR UPDATE OF headline, dek, body, language ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();
UPDATE articles_article SET headline = headline
  WHERE split_part(lower(language), '-', 1) IN (LANGUAGES);
"""

PG_BACKWARD = """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.headline, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.dek, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER articles_article_search_vector_trigger ON articles_article;
CREATE TRIGGER articles_article_search_vector_trigger
  BEFORE INSERT OR UPDATE OF headline, dek, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();
DROP FUNCTION articles_search_document(text, boolean);
DROP FUNCTION articles_cjk_bigrams(text);
UPDATE articles_article SET headline = headline
  WHERE split_part(lower(language), '-', 1) IN (LANGUAGES);
"""

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
         headline, dek, body,
         content='articles_article', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
         INSERT INTO articles_article_fts(rowid, headline, dek, body)
         VALUES (new.id, new.headline, new.dek, new.body);
       END""",
    """CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
         INSERT INTO articles_article_fts(articles_article_fts, rowid, headline, dek, body)
         VALUES ('delete', old.id, old.headline, old.dek, old.body);
       END""",
    """CREATE TRIGGER articles_article_fts_update
         AFTER UPDATE OF headline, dek, body ON articles_article BEGIN
         INSERT INTO articles_article_fts(articles_article_fts, rowid, headline, dek, body)
         VALUES ('delete', old.id, old.headline, old.dek, old.body);
         INSERT INTO articles_article_fts(rowid, headline, dek, body)
         VALUES (new.id, new.headline, new.dek, new.body);
       END""",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def _pg(sql):
    languages = ", ".join(f"'{code}'" for code in CJK_LANGUAGES)
    return sql.replace("CLASS", CJK_CLASS).replace("LANGUAGES", languages)


def _sqlite_has_trigram():
    try:
        probe = sqlite3.connect(":memory:")
        try:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        finally:
            probe.close()
    except sqlite3.Error:
        return False
    return True


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_pg(PG_FORWARD))
    elif vendor == "sqlite" and _sqlite_has_trigram():
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_pg(PG_BACKWARD))
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_headline_by_editor_help_text")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
