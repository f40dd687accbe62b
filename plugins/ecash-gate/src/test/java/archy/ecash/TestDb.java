package archy.ecash;

import archy.store.Database;
import archy.store.Migrations;
import archy.testing.PostgresSchema;
import java.nio.file.Path;

/**
 * ecash-gate's tables on a real database: a SQLite file in a test directory, or a fresh schema on the real
 * PostgreSQL server. {@link #another()} opens a second connection pool on the same database, standing in for a
 * second process.
 */
public final class TestDb implements AutoCloseable {
  public final Database database;
  public final Db db;
  private final String storage;
  private final Path dir;
  private final PostgresSchema schema;

  private TestDb(String storage, Path dir, PostgresSchema schema) {
    this.storage = storage;
    this.dir = dir;
    this.schema = schema;
    this.database = Database.open(storage, dir);
    this.db = new Db(database.dataSource(), database.dialect());
    Migrations.apply(database.dataSource(), database.dialect(), "ecash-gate", TestDb.class.getClassLoader());
  }

  public static TestDb sqlite(Path dir) {
    return new TestDb("sqlite", dir, null);
  }

  /** Skipped (or failed under CI) when PostgreSQL is not running; see {@link PostgresSchema}. */
  public static TestDb postgres(Path dir) {
    PostgresSchema schema = PostgresSchema.create();
    return new TestDb(schema.storageUrl(), dir, schema);
  }

  public TestDb another() {
    return new TestDb(storage, dir, null);
  }

  @Override
  public void close() throws Exception {
    database.close();
    if (schema != null) schema.close();
  }
}
