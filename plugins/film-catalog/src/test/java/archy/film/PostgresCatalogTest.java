package archy.film;

import archy.testing.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The catalog contract on PostgreSQL: a fresh schema per test, dropped afterwards. */
class PostgresCatalogTest extends CatalogContract {
  private PostgresSchema schema;

  @BeforeEach
  void createSchema() {
    schema = PostgresSchema.create();
  }

  @AfterEach
  void dropSchema() throws Exception {
    schema.close();
  }

  @Override
  String storage() {
    return "[storage]\nurl = \"" + schema.storageUrl() + "\"\n";
  }
}
