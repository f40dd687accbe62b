package archy.store;

import archy.nostr.Filter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One filter to one SQL statement; every value is a bound parameter. The shapes are chosen so that SQLite's
 * and PostgreSQL's planners walk one index in {@code created_at} order and stop at the limit:
 *
 * <ul>
 *   <li>The <b>driving</b> condition is the one whose index leads: the tag condition with the fewest values
 *       ({@code tags_lookup (name, value, created_at, kind, pubkey)}), else authors ({@code events_pubkey_created}, or
 *       {@code events_pubkey_kind_created} with one kind), else kinds ({@code events_kind_created}), else
 *       none ({@code events_created}). Ids are unique-index lookups and never need more.
 *   <li><b>One driving value</b>: a plain statement. The index is walked backwards and the id tie-break only
 *       sorts within one {@code created_at} (SQLite "TEMP B-TREE FOR LAST TERM OF ORDER BY", PostgreSQL
 *       "Incremental Sort"). A tag drive joins {@code tags t} to {@code events e}; kind, created_at and
 *       pubkey are copied into tags and covered by tags_lookup, so they filter inside the index before the join (an
 *       author × tag filter with no match reads no events row); other tag conditions are {@code EXISTS} probes on
 *       the tags primary key. One (event, name, value) row per event means no duplicates.
 *   <li><b>2–{@value #MAX_BRANCHES} driving values</b>: an IN list would make both planners read every match
 *       and sort it all. Instead each value gets its own ordered, limited branch, the branches are merged
 *       with {@code UNION} (which also drops an event matched by two tag values) on narrow rows
 *       (seq, created_at, id), and only the final {@code limit} rows fetch their JSON.
 *   <li><b>More values</b>: an IN list, read and sorted whole; a tag drive then becomes a semi-join
 *       ({@code e.seq IN (SELECT event_seq FROM tags …)}) so an event appears once.
 * </ul>
 * Counts use the semi-join shape for every filter and {@code UNION} across filters.
 */
final class QueryBuilder {
  /**
   * Longer tag values are not indexed (a PostgreSQL btree entry must stay under ~2.7 kB, and 512 UTF-16
   * units are at most 1.5 kB), so filters on them match nothing stored.
   */
  static final int MAX_INDEXED_TAG_VALUE = 512;
  /** Branches per UNION; SQLite allows 500 compound terms, and planning time grows with each. */
  static final int MAX_BRANCHES = 32;

  private static final String COLUMNS = "e.id, e.pubkey, e.kind, e.created_at, e.json";
  /** The same minus the JSON, for NIP-77 which needs only the records' keys. */
  private static final String RECORD_COLUMNS = "e.id, e.pubkey, e.kind, e.created_at";

  /** A statement and its parameters in order (String, Integer or Long). */
  record Sql(String text, List<Object> params) {
    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < params.size(); i++) {
        switch (params.get(i)) {
          case String s -> ps.setString(i + 1, s);
          case Integer n -> ps.setInt(i + 1, n);
          case Long n -> ps.setLong(i + 1, n);
          default -> throw new IllegalStateException("unexpected parameter type");
        }
      }
    }
  }

  private enum Drive { NONE, IDS, TAG, AUTHORS, KINDS }

  private record TagCondition(String name, List<String> values) {}

  /** A filter with its tag conditions cleaned up (driving one first) and its driving values. */
  private record Plan(Filter filter, Drive drive, List<TagCondition> tags, List<?> driveValues, long now) {
    boolean branches() {
      return driveValues.size() > 1 && driveValues.size() <= MAX_BRANCHES;
    }
  }

  private QueryBuilder() {}

  /** The newest {@code limit} unexpired matches, or null when the filter cannot match anything stored. */
  static Sql select(Filter filter, int limit, long now) {
    return select(filter, limit, now, COLUMNS);
  }

  /** As {@link #select(Filter, int, long)}, reading only id, pubkey, kind and created_at. */
  static Sql selectRecords(Filter filter, int limit, long now) {
    return select(filter, limit, now, RECORD_COLUMNS);
  }

  private static Sql select(Filter filter, int limit, long now, String columns) {
    Plan plan = plan(filter, now);
    if (plan == null) return null;
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    if (!plan.branches()) {
      sql.append("SELECT ").append(columns);
      String[] cols = fromWhere(sql, params, plan, null, false);
      sql.append(" ORDER BY ").append(cols[0]).append(" DESC, e.id LIMIT ?");
      params.add(limit);
      return new Sql(sql.toString(), params);
    }
    sql.append("SELECT ").append(columns).append(" FROM (");
    for (int i = 0; i < plan.driveValues().size(); i++) {
      if (i > 0) sql.append(" UNION ");
      StringBuilder branch = new StringBuilder();
      String[] cols = fromWhere(branch, params, plan, plan.driveValues().get(i), false);
      sql.append("SELECT * FROM (SELECT ").append(cols[1]).append(" AS seq, ").append(cols[0])
          .append(" AS created_at, e.id AS id").append(branch)
          .append(" ORDER BY ").append(cols[0]).append(" DESC, e.id LIMIT ?) AS b").append(i);
      params.add(limit);
    }
    sql.append(" ORDER BY created_at DESC, id LIMIT ?) AS top JOIN events e ON e.seq = top.seq"
        + " ORDER BY top.created_at DESC, top.id");
    params.add(limit);
    return new Sql(sql.toString(), params);
  }

  /** How many distinct unexpired events match any filter (UNION removes events matched twice), or null. */
  static Sql count(List<Filter> filters, long now) {
    List<Object> params = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    for (Filter filter : filters) {
      Plan plan = plan(filter, now);
      if (plan == null) continue;
      StringBuilder branch = new StringBuilder("SELECT e.seq");
      fromWhere(branch, params, plan, null, true);
      branches.add(branch.toString());
    }
    if (branches.isEmpty()) return null;
    return new Sql("SELECT count(*) FROM (" + String.join(" UNION ", branches) + ") AS matched", params);
  }

  /** Null when the filter cannot match anything stored. */
  private static Plan plan(Filter f, long now) {
    List<TagCondition> tags = new ArrayList<>();
    for (Map.Entry<String, Set<String>> condition : f.tags().entrySet()) {
      List<String> values = condition.getValue().stream()
          .filter(v -> v.length() <= MAX_INDEXED_TAG_VALUE).sorted().toList();
      if (values.isEmpty() || condition.getKey().length() != 1) return null;
      tags.add(new TagCondition(condition.getKey(), values));
    }
    tags.sort(Comparator.<TagCondition>comparingInt(t -> t.values().size()).thenComparing(TagCondition::name));
    if (!f.ids().isEmpty()) return new Plan(f, Drive.IDS, tags, List.of(), now);
    if (!tags.isEmpty()) return new Plan(f, Drive.TAG, tags, tags.getFirst().values(), now);
    if (!f.authors().isEmpty()) return new Plan(f, Drive.AUTHORS, tags, f.authors().stream().sorted().toList(), now);
    if (!f.kinds().isEmpty()) return new Plan(f, Drive.KINDS, tags, f.kinds().stream().sorted().toList(), now);
    return new Plan(f, Drive.NONE, tags, List.of(), now);
  }

  /**
   * Appends FROM and WHERE. {@code pinned} is the one driving value of a UNION branch (null: all of them).
   * Returns the created_at column to order by and the seq column.
   */
  private static String[] fromWhere(StringBuilder sql, List<Object> params, Plan plan, Object pinned,
                                    boolean semiJoin) {
    Filter f = plan.filter();
    boolean tagDrive = plan.drive() == Drive.TAG;
    boolean tagJoin = tagDrive && !semiJoin && (pinned != null || plan.driveValues().size() == 1);
    boolean tagSemiJoin = tagDrive && !tagJoin;
    String time = tagJoin ? "t.created_at" : "e.created_at";
    sql.append(tagJoin ? " FROM tags t JOIN events e ON e.seq = t.event_seq" : " FROM events e");
    sql.append(" WHERE (e.expires_at IS NULL OR e.expires_at > ?)");
    params.add(plan.now());

    List<TagCondition> probes = plan.tags();
    if (tagDrive) {
      TagCondition driving = plan.tags().getFirst();
      probes = plan.tags().subList(1, plan.tags().size());
      if (tagJoin) {
        sql.append(" AND t.name = ? AND t.value = ?");
        params.add(driving.name());
        params.add(pinned != null ? pinned : driving.values().getFirst());
      } else {
        // Kind and time bounds go inside, where tags_lookup can use them.
        sql.append(" AND e.seq IN (SELECT s.event_seq FROM tags s WHERE s.name = ? AND s.value");
        params.add(driving.name());
        in(sql, params, driving.values());
        if (!f.kinds().isEmpty()) {
          sql.append(" AND s.kind");
          in(sql, params, f.kinds());
        }
        if (!f.authors().isEmpty()) {
          sql.append(" AND s.pubkey");
          in(sql, params, f.authors());
        }
        bounds(sql, params, f, "s.created_at");
        sql.append(')');
      }
    }
    if (!f.ids().isEmpty()) {
      sql.append(" AND e.id");
      in(sql, params, f.ids());
    }
    if (!f.authors().isEmpty() && !tagSemiJoin) {
      sql.append(tagJoin ? " AND t.pubkey" : " AND e.pubkey");
      in(sql, params, plan.drive() == Drive.AUTHORS && pinned != null ? List.of(pinned) : f.authors());
    }
    if (!f.kinds().isEmpty() && !tagSemiJoin) {
      sql.append(tagJoin ? " AND t.kind" : " AND e.kind");
      in(sql, params, plan.drive() == Drive.KINDS && pinned != null ? List.of(pinned) : f.kinds());
    }
    if (!tagSemiJoin) bounds(sql, params, f, time);
    for (int i = 0; i < probes.size(); i++) {
      String x = "x" + i;
      sql.append(" AND EXISTS (SELECT 1 FROM tags ").append(x).append(" WHERE ").append(x)
          .append(".event_seq = e.seq AND ").append(x).append(".name = ? AND ").append(x).append(".value");
      params.add(probes.get(i).name());
      in(sql, params, probes.get(i).values());
      sql.append(')');
    }
    return new String[] {time, tagJoin ? "t.event_seq" : "e.seq"};
  }

  private static void bounds(StringBuilder sql, List<Object> params, Filter f, String column) {
    if (f.since() != null) {
      sql.append(" AND ").append(column).append(" >= ?");
      params.add(f.since());
    }
    if (f.until() != null) {
      sql.append(" AND ").append(column).append(" <= ?");
      params.add(f.until());
    }
  }

  /** {@code = ?} for one value, {@code IN (?, ?, …)} for more. */
  private static void in(StringBuilder sql, List<Object> params, Collection<?> values) {
    if (values.size() == 1) {
      sql.append(" = ?");
    } else {
      sql.append(" IN (?");
      sql.append(", ?".repeat(values.size() - 1));
      sql.append(')');
    }
    params.addAll(values);
  }
}
