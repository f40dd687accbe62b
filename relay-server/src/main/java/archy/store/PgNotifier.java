package archy.store;

import archy.nostr.Event;
import archy.threads.CoreThreads;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events across relay processes sharing one PostgreSQL schema.
 *
 * <p>Writers add {@code pg_notify(channel, "<seq>")} to their transaction (delivered at commit), and a
 * listener reads the rows it is told of from the events table. A notification carries no event: any login
 * to the database may NOTIFY the channel, so its payload is only a hint of where to look. What reaches
 * subscribers is what the table holds (stored by a process that verified it and ran the relay's policies),
 * and the listener's cursor ({@code lastSeen}, where a reconnect's catch-up starts) moves only past rows it
 * read, so a forged seq can neither inject an event nor make the catch-up skip real ones. One dedicated
 * connection, outside the pool, runs LISTEN on its own thread: while it waits for notifications nothing
 * else may use it; each wake-up reads every announced row in one query.
 */
final class PgNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgNotifier.class);
  /**
   * A seq is taken at insert but seen at commit, so a lower seq can commit after a higher one; on reconnect
   * we read back this far and skip the seqs in {@link #known}.
   */
  private static final long LOOK_BACK = 1_000;
  private static final long KEEPALIVE_MILLIS = 15_000;
  /** Rows in our database were verified by the process that stored them; only the id is rechecked. */
  private static final EventParser TRUSTED = new EventParser((signature, message, publicKey) -> true);

  private final String jdbcUrl;
  private final String channel;
  /** Tells our LISTEN connection apart in {@code pg_stat_activity}. */
  private final String instanceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  private final Consumer<Event> deliver;
  /** Events at or before this seq existed before we started: history, not news. */
  private final long floor;
  /** Seqs this instance wrote or already delivered, from {@code lastSeen - LOOK_BACK} on. */
  private final ConcurrentSkipListSet<Long> known = new ConcurrentSkipListSet<>();
  private final CountDownLatch listening = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;
  private long lastSeen;
  private int sincePrune;

  private PgNotifier(String jdbcUrl, String channel, long floor, Consumer<Event> deliver) {
    this.jdbcUrl = jdbcUrl;
    this.channel = channel;
    this.floor = floor;
    this.lastSeen = floor;
    this.deliver = deliver;
    this.thread = CoreThreads.unstarted("archy-store-listen", this::run);
  }

  /** Starts listening on the channel of the pool's current schema; waits briefly for the first LISTEN. */
  static PgNotifier start(DataSource dataSource, String jdbcUrl, Consumer<Event> deliver) throws SQLException {
    String schema;
    long maxSeq;
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_schema(), (SELECT coalesce(max(seq), 0) FROM events)")) {
      rs.next();
      schema = rs.getString(1) == null ? "public" : rs.getString(1);
      maxSeq = rs.getLong(2);
    }
    PgNotifier notifier = new PgNotifier(jdbcUrl, channelFor(schema), maxSeq, deliver);
    notifier.thread.start();
    try {
      if (!notifier.listening.await(5, TimeUnit.SECONDS)) log.warn("LISTEN is not established yet; retrying");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return notifier;
  }

  /** One channel per schema, so relays (and test runs) in different schemas never hear each other. */
  static String channelFor(String schema) {
    String channel = "archy_events_" + schema;
    if (schema.matches("[a-z0-9_]+") && channel.length() <= 63) return channel;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
      return "archy_events_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String channel() {
    return channel;
  }

  /** How the LISTEN connection shows in {@code pg_stat_activity}. */
  String applicationName() {
    return "archy-listen-" + instanceId;
  }

  /** Called by the writer for each row it inserts, before commit, so we never echo our own events. */
  void markOwn(long seq) {
    known.add(seq);
  }

  static String payload(long seq) {
    return Long.toString(seq);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close(); // ends a wait in getNotifications at once instead of after its timeout
      } catch (SQLException e) {
        log.debug("closing the LISTEN connection failed", e);
      }
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long backoff = 250;
    while (running) {
      try (Connection c = DriverManager.getConnection(jdbcUrl)) {
        connection = c;
        if (!running) return;
        c.setClientInfo("ApplicationName", applicationName());
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN \"" + channel + "\"");
        }
        catchUp(c);
        listening.countDown();
        backoff = 250;
        listen(c);
      } catch (SQLException e) {
        if (!running) return;
        log.warn("PostgreSQL LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private void listen(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long quietSince = System.currentTimeMillis();
    while (running) {
      PGNotification[] notifications = pg.getNotifications(500);
      if (notifications != null && notifications.length > 0) {
        readAnnounced(c, notifications);
        quietSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - quietSince > KEEPALIVE_MILLIS) {
        // A silently dropped connection (no FIN) never fails getNotifications: probe it.
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
        quietSince = System.currentTimeMillis();
      }
    }
  }

  /** Reads the rows the notifications name and delivers those not seen yet, in seq order. */
  private void readAnnounced(Connection c, PGNotification[] notifications) throws SQLException {
    List<Long> wanted = new ArrayList<>(notifications.length);
    long oldest = Math.max(floor, lastSeen - LOOK_BACK);
    for (PGNotification n : notifications) {
      long seq;
      try {
        seq = Long.parseLong(n.getParameter());
      } catch (NumberFormatException e) {
        log.debug("ignoring a malformed notification on {}", channel);
        continue;
      }
      // History (at or below the floor, or older than we track) is never announced as news.
      if (seq <= oldest) continue;
      if (known.contains(seq)) advance(seq); // ours, or read before: known seqs are real rows
      else wanted.add(seq);
    }
    if (wanted.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, json FROM events WHERE seq = ANY(?) ORDER BY seq")) {
      ps.setArray(1, c.createArrayOf("bigint", wanted.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // Rows missing are replaced or deleted since, or never existed (a forged seq): nothing to announce.
          seen(rs.getLong(1), rs.getString(2));
        }
      }
    }
  }

  /** A row read from the table: moves the cursor and delivers the event unless we had it already. */
  private void seen(long seq, String json) {
    advance(seq);
    if (known.add(seq)) deliver(json);
  }

  /** Moves the catch-up cursor to {@code seq}, which must be a row that exists (never a notification's word). */
  private void advance(long seq) {
    lastSeen = Math.max(lastSeen, seq);
    if (++sincePrune >= 1024) {
      sincePrune = 0;
      known.headSet(lastSeen - LOOK_BACK).clear();
    }
  }

  /** Rows committed while we were not listening (at start, or after a dropped connection). */
  private void catchUp(Connection c) throws SQLException {
    long from = Math.max(floor, lastSeen - LOOK_BACK);
    c.setAutoCommit(false); // lets the driver stream with a cursor instead of reading every row at once
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seq, json FROM events WHERE seq > ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY seq")) {
      ps.setFetchSize(256);
      ps.setLong(1, from);
      ps.setLong(2, System.currentTimeMillis() / 1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) seen(rs.getLong(1), rs.getString(2));
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void deliver(String json) {
    Event event;
    try {
      event = TRUSTED.parse(json);
    } catch (InvalidEventException e) {
      log.warn("ignoring a stored event that does not parse: {}", e.getMessage());
      return;
    }
    try {
      deliver.accept(event);
    } catch (RuntimeException e) {
      log.warn("remote event listener failed on {}", event.id(), e);
    }
  }
}
