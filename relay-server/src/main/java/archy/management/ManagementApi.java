package archy.management;

import archy.management.ModerationTables.Status;
import archy.nostr.Filter;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.store.EventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The NIP-86 methods, after authorization: each reads its params, changes the tables (one transaction with the
 * version bump), reloads this process's view so the change applies before the answer, and returns the result.
 * Malformed params are a {@link RpcError}, answered as {@code {"result":null,"error":"..."}}.
 */
final class ManagementApi {
  /** Why a call failed, in words for the operator. */
  static final class RpcError extends Exception {
    RpcError(String message) {
      super(message);
    }
  }

  static final List<String> METHODS = List.of(
      "supportedmethods",
      "banpubkey", "unbanpubkey", "listbannedpubkeys",
      "allowpubkey", "unallowpubkey", "listallowedpubkeys",
      "listeventsneedingmoderation",
      "allowevent", "unallowevent", "listallowedevents",
      "banevent", "unbanevent", "listbannedevents",
      "changerelayname", "changerelaydescription", "changerelayicon",
      "allowkind", "disallowkind", "listallowedkinds", "listdisallowedkinds",
      "blockip", "unblockip", "listblockedips");

  /** NIP-56 reports: the events they name are what needs an operator's look. */
  private static final int REPORT_KIND = 1984;
  private static final int REPORTS_READ = 1_000;
  private static final int MAX_TEXT = 4_096;
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RelayModeration moderation;
  private final EventStore store;
  private final Clock clock;

  ManagementApi(RelayModeration moderation, EventStore store, Clock clock) {
    this.moderation = moderation;
    this.store = store;
    this.clock = clock;
  }

  JsonNode call(String method, JsonNode params) throws RpcError {
    ModerationTables t = moderation.tables();
    return switch (method) {
      case "supportedmethods" -> strings(METHODS);
      case "banpubkey" -> done(() -> t.pubkey(pubkey(params), Status.BANNED, reason(params)));
      case "unbanpubkey" -> done(() -> t.removePubkey(pubkey(params), Status.BANNED));
      case "allowpubkey" -> done(() -> t.pubkey(pubkey(params), Status.ALLOWED, reason(params)));
      case "unallowpubkey" -> done(() -> t.removePubkey(pubkey(params), Status.ALLOWED));
      case "listbannedpubkeys" -> list(moderation.current().bannedPubkeys(), "pubkey");
      case "listallowedpubkeys" -> list(moderation.current().allowedPubkeys(), "pubkey");
      case "listeventsneedingmoderation" -> list(reported(), "id");
      case "banevent" -> {
        String id = eventId(params);
        t.event(id, Status.BANNED, reason(params));
        moderation.reload(); // refused from now on, then removed: no window where it could come back here
        store.delete(id);
        yield BooleanNode.TRUE;
      }
      case "unbanevent" -> done(() -> t.removeEvent(eventId(params), Status.BANNED));
      case "allowevent" -> done(() -> t.event(eventId(params), Status.ALLOWED, reason(params)));
      case "unallowevent" -> done(() -> t.removeEvent(eventId(params), Status.ALLOWED));
      case "listbannedevents" -> list(moderation.current().bannedEvents(), "id");
      case "listallowedevents" -> list(moderation.current().allowedEvents(), "id");
      case "changerelayname" -> done(() -> t.setting(Moderation.NAME, text(params, "name", false)));
      case "changerelaydescription" -> done(() -> t.setting(Moderation.DESCRIPTION, text(params, "description", true)));
      case "changerelayicon" -> done(() -> t.setting(Moderation.ICON, iconUrl(params)));
      case "allowkind" -> done(() -> t.kind(kind(params), Status.ALLOWED));
      case "disallowkind" -> done(() -> t.kind(kind(params), Status.DISALLOWED));
      case "listallowedkinds" -> numbers(moderation.current().allowedKinds());
      case "listdisallowedkinds" -> numbers(moderation.current().disallowedKinds());
      case "blockip" -> done(() -> t.blockIp(ip(params), reason(params)));
      case "unblockip" -> done(() -> t.unblockIp(ip(params)));
      case "listblockedips" -> list(moderation.current().blockedIps(), "ip");
      default -> throw new RpcError("unsupported method '" + method + "' (supportedmethods lists them)");
    };
  }

  private interface Change {
    void apply() throws RpcError;
  }

  private BooleanNode done(Change change) throws RpcError {
    change.apply();
    moderation.reload();
    return BooleanNode.TRUE;
  }

  /** Events named ({@code e} tags) by stored reports, not yet on either event list: id to what reporters said. */
  private Map<String, String> reported() {
    Moderation m = moderation.current();
    Map<String, String> out = new LinkedHashMap<>();
    Filter reports = new Filter(Set.of(), Set.of(), Set.of(REPORT_KIND), Map.of(), null, null, null);
    store.query(reports, REPORTS_READ, clock.instant().getEpochSecond(), row -> {
      JsonNode event;
      try {
        event = MAPPER.readTree(row.json());
      } catch (IOException e) {
        return true;
      }
      for (JsonNode tag : event.path("tags")) {
        String id = tag.path(1).asText();
        if (!tag.path(0).asText().equals("e") || !Hex.isLowerHex(id, 64)) continue;
        if (m.bannedEvents().containsKey(id) || m.allowedEvents().containsKey(id)) continue;
        String type = tag.path(2).asText("");
        String content = event.path("content").asText("");
        String said = (type.isEmpty() ? "reported" : type) + (content.isEmpty() ? "" : ": " + content);
        out.merge(id, said, (a, b) -> a.length() > 200 ? a : a + "; " + b);
      }
      return true;
    });
    return out;
  }

  private static String pubkey(JsonNode params) throws RpcError {
    String value = required(params, 0, "a pubkey (64 hex characters or npub)");
    try {
      return Keys.parsePublicKey(value);
    } catch (IllegalArgumentException e) {
      throw new RpcError("params[0]: " + e.getMessage());
    }
  }

  private static String eventId(JsonNode params) throws RpcError {
    String value = required(params, 0, "an event id (64 hex characters)").toLowerCase(Locale.ROOT);
    if (!Hex.isLowerHex(value, 64)) throw new RpcError("params[0] must be an event id (64 hex characters)");
    return value;
  }

  private static String reason(JsonNode params) throws RpcError {
    JsonNode v = params.path(1);
    if (v.isMissingNode() || v.isNull()) return "";
    if (!v.isValueNode()) throw new RpcError("params[1] (the reason) must be a string");
    return capped(v.asText(), "the reason");
  }

  private static String text(JsonNode params, String what, boolean mayBeEmpty) throws RpcError {
    JsonNode v = params.path(0);
    if (!v.isValueNode() || v.isNull()) throw new RpcError("params[0] must be the new " + what);
    String s = v.asText().strip();
    if (s.isEmpty() && !mayBeEmpty) throw new RpcError("the " + what + " must not be empty");
    return capped(s, "the " + what);
  }

  private static String iconUrl(JsonNode params) throws RpcError {
    String url = text(params, "icon URL", false);
    try {
      URI uri = new URI(url);
      if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) return url;
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new RpcError("params[0] must be an http:// or https:// URL of the icon");
  }

  private static int kind(JsonNode params) throws RpcError {
    JsonNode v = params.path(0);
    String s = v.isValueNode() ? v.asText() : "";
    if (!s.matches("\\d{1,5}") || Integer.parseInt(s) > 65_535) {
      throw new RpcError("params[0] must be a kind, a whole number from 0 to 65535");
    }
    return Integer.parseInt(s);
  }

  /** An IPv4 or IPv6 literal, in the form Jetty reports remote addresses in (IPv6 expanded, lowercase). */
  static String ip(JsonNode params) throws RpcError {
    String s = required(params, 0, "an IP address").strip();
    boolean literal = IPV4.matcher(s).matches() || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    if (!literal) throw new RpcError("params[0] must be an IPv4 or IPv6 address, got '" + s + "'");
    try {
      return InetAddress.getByName(s).getHostAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new RpcError("params[0] must be an IPv4 or IPv6 address, got '" + s + "'");
    }
  }

  private static String required(JsonNode params, int index, String what) throws RpcError {
    JsonNode v = params.path(index);
    if (!v.isTextual()) throw new RpcError("params[" + index + "] must be " + what);
    return v.textValue();
  }

  private static String capped(String s, String what) throws RpcError {
    if (s.length() > MAX_TEXT) throw new RpcError(what + " is longer than " + MAX_TEXT + " characters");
    return s;
  }

  private static ArrayNode list(Map<String, String> reasons, String field) {
    ArrayNode out = JSON.arrayNode();
    reasons.forEach((key, reason) -> {
      ObjectNode o = out.addObject().put(field, key);
      if (!reason.isEmpty()) o.put("reason", reason);
    });
    return out;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode out = JSON.arrayNode();
    values.forEach(out::add);
    return out;
  }

  private static ArrayNode numbers(Set<Integer> values) {
    ArrayNode out = JSON.arrayNode();
    values.forEach(out::add);
    return out;
  }
}
