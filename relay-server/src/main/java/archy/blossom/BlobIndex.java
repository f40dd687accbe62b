package archy.blossom;

import archy.plugin.BlobInfo;
import archy.store.Dialect;
import archy.store.StoreException;
import archy.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The blob rows in the node database (component "blossom"): one row per blob with both hashes, one row
 * per owner claim (BUD-12: a blob goes when its last owner deletes it), and BUD-09 reports. Same SQL on
 * SQLite and PostgreSQL except the row lock taken before a claim is removed.
 */
final class BlobIndex {
  private static final String COLUMNS = "b.sha256, b.blake3, b.size, b.type, b.created";

  /** A blob in an owner's list, with the time that owner uploaded it. */
  record Owned(BlobInfo blob, long uploaded) {}

  enum Removal { NOT_OWNER, CLAIM_REMOVED, LAST_CLAIM_REMOVED }

  private final DataSource db;
  private final Dialect dialect;

  BlobIndex(DataSource db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  Optional<BlobInfo> bySha256(String sha256) {
    return one("SELECT " + COLUMNS + " FROM blossom_blobs b WHERE b.sha256 = ?", sha256);
  }

  Optional<BlobInfo> byBlake3(String blake3) {
    return one("SELECT " + COLUMNS + " FROM blossom_blobs b WHERE b.blake3 = ?", blake3);
  }

  /** How many of these BLAKE3 addresses are held: one {@code IN} query per 500 (bind-variable limits). */
  /**
   * How many of these blobs are held: entry i is known by {@code sha256s[i]}, {@code blake3s[i]} or both (null
   * where unknown). Rows are counted, so a blob named by both of its hashes counts once.
   */
  int countHeld(List<String> sha256s, List<String> blake3s) {
    if (sha256s.size() != blake3s.size()) throw new IllegalArgumentException("the hash lists differ in length");
    int held = 0;
    try (Connection c = db.getConnection()) {
      for (int from = 0; from < sha256s.size(); from += 400) {
        int to = Math.min(sha256s.size(), from + 400);
        List<String> shas = sha256s.subList(from, to).stream().filter(java.util.Objects::nonNull).toList();
        List<String> b3s = blake3s.subList(from, to).stream().filter(java.util.Objects::nonNull).toList();
        if (shas.isEmpty() && b3s.isEmpty()) continue;
        String where = (shas.isEmpty() ? "" : "sha256 IN (" + String.join(", ", Collections.nCopies(shas.size(), "?")) + ")")
            + (shas.isEmpty() || b3s.isEmpty() ? "" : " OR ")
            + (b3s.isEmpty() ? "" : "blake3 IN (" + String.join(", ", Collections.nCopies(b3s.size(), "?")) + ")");
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM blossom_blobs WHERE " + where)) {
          int i = 1;
          for (String h : shas) ps.setString(i++, h);
          for (String h : b3s) ps.setString(i++, h);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            held += rs.getInt(1);
          }
        }
      }
      return held;
    } catch (SQLException e) {
      throw new StoreException("counting held blobs failed", e);
    }
  }

  /** Those of these sha256 hashes that have no row: one {@code IN} query per 500. */
  List<String> missing(List<String> sha256s) {
    List<String> missing = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      for (int from = 0; from < sha256s.size(); from += 500) {
        List<String> chunk = sha256s.subList(from, Math.min(sha256s.size(), from + 500));
        Set<String> held = new HashSet<>();
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM blossom_blobs WHERE sha256 IN (" + marks + ")")) {
          for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) held.add(rs.getString(1));
          }
        }
        for (String sha256 : chunk) if (!held.contains(sha256)) missing.add(sha256);
      }
      return missing;
    } catch (SQLException e) {
      throw new StoreException("looking up blobs failed", e);
    }
  }

  /**
   * Records the blob (unless a row exists) and, when {@code owner} is given, the owner's claim, in one
   * transaction. Returns whether the blob row is new.
   */
  boolean record(BlobInfo blob, String owner, long now) {
    try {
      return Transaction.run(db, c -> {
        boolean created;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blossom_blobs (sha256, blake3, size, type, created) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
          ps.setString(1, blob.sha256());
          ps.setString(2, blob.blake3());
          ps.setLong(3, blob.size());
          ps.setString(4, blob.type());
          ps.setLong(5, blob.created());
          created = ps.executeUpdate() == 1;
        }
        if (owner != null) {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO blossom_owners (sha256, pubkey, uploaded) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, blob.sha256());
            ps.setString(2, owner);
            ps.setLong(3, now);
            ps.executeUpdate();
          }
        }
        return created;
      });
    } catch (SQLException e) {
      throw new StoreException("recording blob " + blob.sha256() + " failed", e);
    }
  }

  /** When {@code pubkey} claimed the blob, or empty when it holds no claim. */
  Optional<Long> uploadedBy(String sha256, String pubkey) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT uploaded FROM blossom_owners WHERE sha256 = ? AND pubkey = ?")) {
      ps.setString(1, sha256);
      ps.setString(2, pubkey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading a blob claim failed", e);
    }
  }

  /** Total size of the blobs {@code pubkey} owns (a blob owned by several keys counts for each). */
  long ownedBytes(String pubkey) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(b.size), 0) FROM blossom_owners o "
             + "JOIN blossom_blobs b ON b.sha256 = o.sha256 WHERE o.pubkey = ?")) {
      ps.setString(1, pubkey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("reading a quota failed", e);
    }
  }

  /**
   * One page of an owner's blobs, newest upload first (ties by sha256, descending), strictly after the
   * cursor blob when one is given (BUD-12). An unknown cursor gives an empty page.
   */
  List<Owned> list(String pubkey, String cursor, int limit, long since, long until) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", o.uploaded FROM blossom_owners o "
        + "JOIN blossom_blobs b ON b.sha256 = o.sha256 WHERE o.pubkey = ? AND o.uploaded >= ? AND o.uploaded <= ?");
    List<Object> args = new ArrayList<>(List.of(pubkey, since, until));
    if (cursor != null) {
      Optional<Long> at = uploadedBy(cursor, pubkey);
      if (at.isEmpty()) return List.of();
      sql.append(" AND (o.uploaded < ? OR (o.uploaded = ? AND o.sha256 < ?))");
      args.addAll(List.of(at.get(), at.get(), cursor));
    }
    sql.append(" ORDER BY o.uploaded DESC, o.sha256 DESC LIMIT ?");
    args.add(limit);
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
      List<Owned> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Owned(blob(rs), rs.getLong(6)));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("listing blobs failed", e);
    }
  }

  /** Removes {@code pubkey}'s claim; the blob row goes too when no claim remains. */
  Removal removeClaim(String sha256, String pubkey) {
    try {
      return Transaction.run(db, c -> {
        if (dialect == Dialect.POSTGRESQL) {
          // Two owners deleting at once must not each see the other's claim and both keep the blob.
          try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM blossom_blobs WHERE sha256 = ? FOR UPDATE")) {
            lock.setString(1, sha256);
            lock.executeQuery().close();
          }
        }
        Removal result;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM blossom_owners WHERE sha256 = ? AND pubkey = ?")) {
          ps.setString(1, sha256);
          ps.setString(2, pubkey);
          result = ps.executeUpdate() == 0 ? Removal.NOT_OWNER : Removal.CLAIM_REMOVED;
        }
        if (result == Removal.CLAIM_REMOVED && deleteIfUnowned(c, sha256)) result = Removal.LAST_CLAIM_REMOVED;
        return result;
      });
    } catch (SQLException e) {
      throw new StoreException("removing a blob claim failed", e);
    }
  }

  /**
   * Up to {@code limit} blobs due for deletion: stored before {@code allBefore} (every blob), or before
   * {@code unownedBefore} with no owner. A bound of 0 disables that rule.
   */
  List<String> due(long allBefore, long unownedBefore, int limit) {
    String sql = "SELECT b.sha256 FROM blossom_blobs b WHERE b.created < ? OR (b.created < ? AND NOT EXISTS "
        + "(SELECT 1 FROM blossom_owners o WHERE o.sha256 = b.sha256)) LIMIT ?";
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, allBefore);
      ps.setLong(2, unownedBefore);
      ps.setInt(3, limit);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("finding expired blobs failed", e);
    }
  }

  /** Deletes the blob row and its claims. */
  void forget(String sha256) {
    try (Connection c = db.getConnection();
         PreparedStatement owners = c.prepareStatement("DELETE FROM blossom_owners WHERE sha256 = ?");
         PreparedStatement blob = c.prepareStatement("DELETE FROM blossom_blobs WHERE sha256 = ?")) {
      owners.setString(1, sha256);
      owners.executeUpdate();
      blob.setString(1, sha256);
      blob.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("deleting blob " + sha256 + " failed", e);
    }
  }

  /** Stores one BUD-09 report line per reported hash; a repeated event adds nothing. */
  int report(String eventId, String reporter, List<List<String>> hashesAndTypes, String content, String eventJson,
             long now) {
    int added = 0;
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO blossom_reports (event_id, reporter, sha256, report_type, content, event, received) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (List<String> x : hashesAndTypes) {
        ps.setString(1, eventId);
        ps.setString(2, reporter);
        ps.setString(3, x.get(0));
        ps.setString(4, x.get(1));
        ps.setString(5, content);
        ps.setString(6, eventJson);
        ps.setLong(7, now);
        added += ps.executeUpdate();
      }
      return added;
    } catch (SQLException e) {
      throw new StoreException("storing a report failed", e);
    }
  }

  private static boolean deleteIfUnowned(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM blossom_blobs WHERE sha256 = ? AND NOT EXISTS "
        + "(SELECT 1 FROM blossom_owners o WHERE o.sha256 = blossom_blobs.sha256)")) {
      ps.setString(1, sha256);
      return ps.executeUpdate() == 1;
    }
  }

  private Optional<BlobInfo> one(String sql, String key) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(blob(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading the blob index failed", e);
    }
  }

  private static BlobInfo blob(ResultSet rs) throws SQLException {
    return new BlobInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5));
  }
}
