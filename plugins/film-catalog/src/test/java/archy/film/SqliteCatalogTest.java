package archy.film;

/** The catalog contract on the embedded SQLite database. */
class SqliteCatalogTest extends CatalogContract {
  @Override
  String storage() {
    return "";
  }
}
