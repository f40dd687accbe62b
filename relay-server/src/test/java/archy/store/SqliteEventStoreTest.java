package archy.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real SQLite file, fresh for every test. */
class SqliteEventStoreTest extends EventStoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected Database openDatabase() {
    return Database.open("sqlite", dataDir);
  }
}
